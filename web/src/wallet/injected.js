// A wallet behind an injected EIP-1193 provider (MetaMask and the like): it never reveals its
// key, so every signature is a request the user confirms.
import { getAddress, hexlify, toUtf8Bytes } from 'ethers';
import { t } from '../i18n/index.js';

// Turns a provider's error into something a person can act on.
export function walletError(error) {
  const code = error?.code;
  if (code === 4001) return new Error(t('state.wallet.rejected'));
  if (code === 4100) return new Error(t('state.wallet.unauthorized'));
  if (code === 4902) return new Error(t('state.wallet.unknownChain'));
  if (code === -32002) return new Error(t('state.wallet.pending'));
  return new Error(error?.message ?? String(error));
}

export function injectedProvider() {
  return typeof window !== 'undefined' ? window.ethereum ?? null : null;
}

async function call(provider, method, params) {
  try {
    return await provider.request({ method, params });
  } catch (error) {
    throw walletError(error);
  }
}

export async function connectInjected(provider, { chainId }) {
  const accounts = await call(provider, 'eth_requestAccounts', []);
  if (!accounts?.length) throw new Error(t('state.wallet.noAccount'));
  const current = Number(await call(provider, 'eth_chainId', []));
  if (current !== chainId) {
    await call(provider, 'wallet_switchEthereumChain', [{ chainId: `0x${chainId.toString(16)}` }]);
    const switched = Number(await call(provider, 'eth_chainId', []));
    if (switched !== chainId) throw new Error(t('state.wallet.wrongChain', { current: switched, chainId }));
  }
  return injectedWallet(provider, getAddress(accounts[0]), chainId);
}

export function injectedWallet(provider, address, chainId) {
  return {
    kind: 'injected',
    get label() {
      return t('state.wallet.injected');
    },
    address,
    chainId,
    signMessage: (text) => call(provider, 'personal_sign', [hexlify(toUtf8Bytes(text)), address]),
    signTypedData: (typed) => call(provider, 'eth_signTypedData_v4', [address, JSON.stringify(typed)]),
    sendTransaction: (tx) => call(provider, 'eth_sendTransaction', [{ from: address, ...tx }]),
    call: (tx) => call(provider, 'eth_call', [tx, 'latest']),
    rpc: (method, params) => call(provider, method, params), // chain reads (src/chain/reader.js)
    waitForReceipt: async (hash) => {
      for (let i = 0; i < 120; i++) {
        const receipt = await call(provider, 'eth_getTransactionReceipt', [hash]);
        if (receipt) {
          if (receipt.status !== '0x1') throw new Error(t('state.wallet.reverted'));
          return receipt;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(t('state.wallet.notMined'));
    },
  };
}

// Calls back on account or chain changes; returns the unsubscribe function.
export function watchInjected(provider, { onAccounts, onChain }) {
  if (!provider?.on) return () => {};
  provider.on('accountsChanged', onAccounts);
  provider.on('chainChanged', onChain);
  return () => {
    provider.removeListener?.('accountsChanged', onAccounts);
    provider.removeListener?.('chainChanged', onChain);
  };
}
