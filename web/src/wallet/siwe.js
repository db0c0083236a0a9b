// Sign-In with Ethereum (EIP-4361) messages as medchaind verifies them (src/medchain/eth/siwe.cpp):
// the node's domain, a URI on that domain, the deployment's chain id and the node's nonce.
export function siweMessage({ domain, address, chainId, nonce, issuedAt = new Date(), statement = 'Sign in to medchain.' }) {
  const iso = issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    `${domain} wants you to sign in with your Ethereum account:`,
    address,
    '',
    statement,
    '',
    `URI: http://${domain}`,
    'Version: 1',
    `Chain ID: ${chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${iso}`,
  ].join('\n');
}

// The node's sign-in exchange: a nonce from the node, the message signed by the wallet, and the
// node's session for it ({token, address, expiresAt}).
export async function signInWithEthereum(api, wallet, { domain, chainId }) {
  const { nonce } = await api.post('/v1/auth/nonce');
  const message = siweMessage({ domain, address: wallet.address, chainId, nonce });
  return api.post('/v1/auth/verify', { message, signature: await wallet.signMessage(message) });
}
