// Small display helpers: short addresses, durations and countdowns.
import { getAddress, isAddress } from 'ethers';
import { t } from '../i18n/index.js';

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
  if (d > 0) return t('common.duration.days', { d, h });
  if (h > 0) return t('common.duration.hours', { h, m });
  if (m > 0) return t('common.duration.minutes', { m, s });
  return t('common.duration.seconds', { s });
}

export function formatTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleString();
}

export function formatBytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
