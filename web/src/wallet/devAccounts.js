// The demo accounts of `medchain dev` (apps/medchain/dev): it writes them, keys included, to
// dev-accounts.json in its data directory. The web app never ships or fetches these keys; the
// user hands the file over on the sign-in screen, which offers it on development chains only.
import { t } from '../i18n/index.js';

// Chain ids of local development chains: anvil's default (medchain dev) and ganache's.
const DEV_CHAIN_IDS = new Set([31337, 1337]);

export function isDevChain(chainId) {
  return DEV_CHAIN_IDS.has(Number(chainId));
}

// The accounts of a dev-accounts.json text: [{ label, address, privateKey }]. Throws an Error
// a person can read when the text is not such a file.
export function parseDevAccounts(text) {
  let accounts;
  try {
    accounts = JSON.parse(text).accounts;
  } catch {
    accounts = null;
  }
  const valid = (a) => typeof a?.label === 'string' && /^0x[0-9a-fA-F]{64}$/.test(a?.privateKey ?? '');
  if (!Array.isArray(accounts) || accounts.length === 0 || !accounts.every(valid)) {
    throw new Error(t('state.wallet.notDevAccounts'));
  }
  return accounts.map(({ label, address, privateKey }) => ({ label, address, privateKey }));
}
