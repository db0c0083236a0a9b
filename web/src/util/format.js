// Small display helpers: short addresses, durations and countdowns, times and sizes. Words and
// the order of a duration's parts are UI strings (records.format.*); times and numbers follow the
// current language through Intl. Sizes keep the IEC symbols B, KiB, MiB in every language, as
// units of measure stay (i18n guide): only the number's decimal sign changes.
import { getAddress, isAddress } from 'ethers';
import { currentLanguage, t } from '../i18n/index.js';

// 0x1234…abcd, checksummed (EIP-55) so it reads the same everywhere.
export function shortAddress(address) {
  if (!address) return '';
  if (isAddress(address)) address = getAddress(address);
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 10)}…` : '';
}

export function formatDuration(seconds) {
  if (seconds <= 0) return t('common.countdown.expired');
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return t('records.format.duration.days', { days: d, hours: h });
  if (h > 0) return t('records.format.duration.hours', { hours: h, minutes: m });
  if (m > 0) return t('records.format.duration.minutes', { minutes: m, seconds: s });
  return t('records.format.duration.seconds', { seconds: s });
}

export function formatTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleString(currentLanguage());
}

export function formatBytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  const tenths = new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
  if (n < 1024 * 1024) return `${tenths.format(n / 1024)} KiB`;
  return `${tenths.format(n / 1024 / 1024)} MiB`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
