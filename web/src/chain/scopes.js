// The consent vocabulary (docs/contracts.md): 12 category bits and READ / APPEND.
import { t } from '../i18n/index.js';

// An entry whose `label` is read from the UI catalogue each time it is shown (the language can
// change while the app runs), so the lists below stay plain data.
const labelled = (entry, id) => Object.defineProperty(entry, 'label', { get: () => t(id), enumerable: true });

export const CATEGORIES = [
  'general', 'lab', 'imaging', 'medication', 'allergy', 'immunization', 'procedure', 'clinical-note', 'mental-health',
  'sexual-reproductive-health', 'genetic', 'other',
].map((name) => labelled({ name }, `state.category.${name}`));

export const READ = 1;
export const APPEND = 2;
export const ALL_CATEGORIES = (1 << CATEGORIES.length) - 1;

export const categoryLabel = (name) => CATEGORIES.find((c) => c.name === name)?.label ?? name ?? t('state.category.unknown');
export const categoryIndex = (name) => CATEGORIES.findIndex((c) => c.name === name);

export function scopeMask(names) {
  return names.reduce((mask, name) => mask | (1 << categoryIndex(name)), 0);
}

export function scopeNames(mask) {
  return CATEGORIES.filter((_, i) => mask & (1 << i)).map((c) => c.name);
}

export function scopeCovers(mask, category) {
  const i = categoryIndex(category);
  return i >= 0 && (mask & (1 << i)) !== 0;
}

export function permissionsMask(names) {
  return (names.includes('read') ? READ : 0) | (names.includes('append') ? APPEND : 0);
}

// Emergency reason codes (on chain only as numbers).
export const REASON_CODES = [
  { code: 1, id: 'unconscious' },
  { code: 2, id: 'lifeThreatening' },
  { code: 3, id: 'cannotCommunicate' },
  { code: 4, id: 'riskToOthers' },
  { code: 5, id: 'other' },
].map((reason) => labelled(reason, `state.emergencyReason.${reason.id}`));

// Access-request reasons a doctor picks from (the text, in the doctor's language, is what is
// sealed to the patient). An array whose items are read from the catalogue when used.
export const REQUEST_REASONS = ['consultation', 'followUp', 'secondOpinion', 'referral', 'ongoingTreatment'].reduce(
  (list, id, i) => Object.defineProperty(list, i, { get: () => t(`state.requestReason.${id}`), enumerable: true }),
  [],
);

export const DURATIONS = [
  { seconds: 3600, id: 'hour' },
  { seconds: 86400, id: 'day' },
  { seconds: 7 * 86400, id: 'week' },
  { seconds: 30 * 86400, id: 'month' },
  { seconds: 365 * 86400, id: 'year' },
].map((duration) => labelled(duration, `state.duration.${duration.id}`));
