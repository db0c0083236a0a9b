// The live notifications' rules, apart from React so they are tested on their own: newest first,
// at most TOAST_LIMIT, and a critical one (danger, warning) stays until the user dismisses it.
export const TOAST_LIMIT = 4;
export const TOAST_MS = 6000;
const CRITICAL = new Set(['danger', 'warning']);

export const expires = (variant) => !CRITICAL.has(variant);

// The list with `item` on top; the oldest beyond the limit drop off.
export function withToast(list, item, limit = TOAST_LIMIT) {
  return [item, ...list].slice(0, limit);
}
