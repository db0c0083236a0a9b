// The built-in wallet, for people without a browser wallet: a secp256k1 key kept in
// localStorage only as a keystore v3 JSON (scrypt + AES-128-CTR) under the user's passphrase,
// exportable as that same JSON file (what `medchain` keeps in ~/.medchain/keys).
import { Wallet, getAddress } from 'ethers';
import { t } from '../i18n/index.js';

const STORAGE_KEY = 'medchain.wallets';
const RPC_URL_KEY = 'medchain.rpcUrl';

// The chain JSON-RPC URL the built-in wallet reads the chain through (it has no provider of its
// own): set in this browser, else the build's VITE_MEDCHAIN_RPC_URL, else none. The node's
// Content-Security-Policy must allow it (medchaind --connect-src).
export function configuredRpcUrl(storage = globalThis.localStorage) {
  return storage?.getItem(RPC_URL_KEY) || import.meta.env?.VITE_MEDCHAIN_RPC_URL || '';
}

export function setRpcUrl(url, storage = localStorage) {
  const trimmed = url.trim();
  if (trimmed && !/^https?:\/\/[^\s]+$/.test(trimmed)) throw new Error(t('state.wallet.badRpcUrl'));
  if (trimmed) storage.setItem(RPC_URL_KEY, trimmed);
  else storage.removeItem(RPC_URL_KEY);
}

export function storedWallets(storage = localStorage) {
  try {
    const list = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function save(list, storage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(list));
}

export function checkPassphrase(passphrase) {
  if (!passphrase || passphrase.length < 8) throw new Error(t('state.wallet.shortPassphrase'));
}

// Encrypts and stores a key; `key` is a 0x private key, or null for a new random one.
export async function storeKey({ key, passphrase, label }, storage = localStorage, onProgress) {
  checkPassphrase(passphrase);
  let wallet;
  try {
    wallet = key ? new Wallet(key.trim().startsWith('0x') ? key.trim() : `0x${key.trim()}`) : Wallet.createRandom();
  } catch {
    throw new Error(t('state.wallet.notAKey'));
  }
  const keystore = await wallet.encrypt(passphrase, onProgress);
  const list = storedWallets(storage).filter((w) => w.address !== wallet.address);
  list.push({ address: wallet.address, label: label || t('state.wallet.myKey'), keystore });
  save(list, storage);
  return wallet.address;
}

// Imports a keystore v3 JSON (e.g. exported here or by the CLI); it stays encrypted as it was.
export async function importKeystore({ json, passphrase, label }, storage = localStorage, onProgress) {
  let wallet;
  try {
    wallet = await Wallet.fromEncryptedJson(json, passphrase, onProgress);
  } catch (error) {
    throw new Error(/password/i.test(error.message) ? t('state.wallet.wrongKeystorePassphrase') : t('state.wallet.notAKeystore', { reason: error.message }));
  }
  const list = storedWallets(storage).filter((w) => w.address !== wallet.address);
  list.push({ address: wallet.address, label: label || t('state.wallet.importedKey'), keystore: json });
  save(list, storage);
  return wallet.address;
}

export function forgetKey(address, storage = localStorage) {
  save(storedWallets(storage).filter((w) => w.address !== address), storage);
}

export function exportKeystore(address, storage = localStorage) {
  const entry = storedWallets(storage).find((w) => w.address === address);
  if (!entry) throw new Error(t('state.wallet.noSuchKey'));
  return entry.keystore;
}

export async function unlockKey(address, passphrase, storage = localStorage, onProgress) {
  const entry = storedWallets(storage).find((w) => w.address === getAddress(address));
  if (!entry) throw new Error(t('state.wallet.noSuchKey'));
  let wallet;
  try {
    wallet = await Wallet.fromEncryptedJson(entry.keystore, passphrase, onProgress);
  } catch {
    throw new Error(t('state.wallet.wrongPassphrase'));
  }
  return builtinWallet(wallet);
}

export function builtinWallet(wallet) {
  return {
    kind: 'builtin',
    get label() {
      return t('state.wallet.builtin');
    },
    address: wallet.address,
    signMessage: (text) => wallet.signMessage(text),
    signTypedData: (typed) => {
      const { EIP712Domain: _domain, ...types } = typed.types;
      return wallet.signTypedData(typed.domain, types, typed.message);
    },
    sendTransaction: null, // no chain RPC of its own: it acts only through the node's relay
  };
}
