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
