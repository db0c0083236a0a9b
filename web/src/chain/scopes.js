// The consent vocabulary (docs/contracts.md): 12 category bits and READ / APPEND.
export const CATEGORIES = [
  { name: 'general', label: 'General' },
  { name: 'lab', label: 'Lab results' },
  { name: 'imaging', label: 'Imaging' },
  { name: 'medication', label: 'Medication' },
  { name: 'allergy', label: 'Allergies' },
  { name: 'immunization', label: 'Immunizations' },
  { name: 'procedure', label: 'Procedures' },
  { name: 'clinical-note', label: 'Clinical notes' },
  { name: 'mental-health', label: 'Mental health' },
  { name: 'sexual-reproductive-health', label: 'Sexual & reproductive health' },
  { name: 'genetic', label: 'Genetic' },
  { name: 'other', label: 'Other' },
];

export const READ = 1;
export const APPEND = 2;
export const ALL_CATEGORIES = (1 << CATEGORIES.length) - 1;

export const categoryLabel = (name) => CATEGORIES.find((c) => c.name === name)?.label ?? name ?? 'Unknown';
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
  { code: 1, label: 'Unconscious patient' },
  { code: 2, label: 'Life-threatening condition' },
  { code: 3, label: 'Patient cannot communicate' },
  { code: 4, label: 'Imminent risk to others' },
  { code: 5, label: 'Other (recorded off chain)' },
];

// Access-request reasons: only the keccak256 of the text is on chain, so the patient's side
// recognises these common ones by their hash and shows a custom reason as "custom".
export const REQUEST_REASONS = ['Consultation', 'Follow-up visit', 'Second opinion', 'Referral', 'Ongoing treatment'];

export const DURATIONS = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '1 day' },
  { seconds: 7 * 86400, label: '1 week' },
  { seconds: 30 * 86400, label: '30 days' },
  { seconds: 365 * 86400, label: '1 year' },
];
