// An EIP-1193 provider injected into the page, standing in for MetaMask: each request goes to
// this Node process, which answers with an ethers Wallet over a test key (signatures) or the dev
// chain's JSON-RPC (reads, transactions). Nothing in the app knows it is not a real wallet.
import { Wallet, JsonRpcProvider, getBytes } from 'ethers';

// `walletChainId` (default chainId) is the chain the wallet says it is on; `refuse` lists methods
// the user "rejects" (EIP-1193 code 4001), `unknownChain` makes wallet_switchEthereumChain fail
// with 4902 as MetaMask does for a chain it does not know.
export async function injectWallet(context, { privateKey, chainUrl, chainId, walletChainId = chainId, refuse = [], unknownChain = false, log = [] }) {
  const rpc = new JsonRpcProvider(chainUrl, chainId, { staticNetwork: true });
  const wallet = new Wallet(privateKey, rpc);
  const forward = (method, params) => rpc.send(method, params);
  await context.exposeBinding('__medchainWallet', async (_source, method, params) => {
    log.push(method);
    if (refuse.includes(method)) throw new Error(JSON.stringify({ code: 4001, message: 'User rejected the request.' }));
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [wallet.address];
      case 'eth_chainId':
        return `0x${walletChainId.toString(16)}`;
      case 'wallet_switchEthereumChain':
        if (unknownChain) throw new Error(JSON.stringify({ code: 4902, message: 'Unrecognized chain ID.' }));
        walletChainId = Number(params[0].chainId);
        return null;
      case 'personal_sign':
        return wallet.signMessage(getBytes(params[0]));
      case 'eth_signTypedData_v4': {
        const typed = JSON.parse(params[1]);
        const { EIP712Domain: _domain, ...types } = typed.types;
        return wallet.signTypedData(typed.domain, types, typed.message);
      }
      case 'eth_sendTransaction': {
        const { from: _from, ...tx } = params[0];
        const sent = await wallet.sendTransaction(tx);
        return sent.hash;
      }
      default:
        return forward(method, params);
    }
  });
  await context.addInitScript(() => {
    const listeners = {};
    window.ethereum = {
      isMetaMask: false,
      request: async ({ method, params }) => {
        try {
          return await window.__medchainWallet(method, params ?? []);
        } catch (error) {
          // A binding's error arrives as its message; a provider error carries an EIP-1193 code.
          let detail = { code: -32603, message: error.message };
          try {
            detail = JSON.parse(error.message.slice(error.message.indexOf('{')));
          } catch {
            /* not a provider error */
          }
          throw Object.assign(new Error(detail.message), { code: detail.code });
        }
      },
      on: (event, fn) => (listeners[event] ??= []).push(fn),
      removeListener: (event, fn) => (listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn)),
      __emit: (event, value) => (listeners[event] ?? []).forEach((fn) => fn(value)),
    };
  });
  return wallet;
}
