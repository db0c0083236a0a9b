// The node's inbox (docs/api.md, "The inbox"): fetching it, marking items read, and one line of
// text per item. No React here, so the wording is tested on its own.
import { t } from '../i18n/index.js';

export function fetchInbox(api, { limit = 50 } = {}) {
  return api.get(`/v1/inbox?limit=${limit}`);
}

// Marks `ids` read, or every item when `ids` is 'all'. Answers {unread, total}.
export function markInboxRead(api, ids) {
  return api.post('/v1/inbox/read', ids === 'all' ? { all: true } : { ids });
}

// The kinds the node sends, each with its sentence in the catalogue (state.inbox.<kind>).
const KINDS = new Set([
  'access_requested', 'emergency_opened', 'access_granted', 'request_denied', 'access_revoked', 'grant_expiring', 'access_denied',
  'escrow_released', 'recovery_proposed', 'recovery_ready', 'recovery_cancelled', 'recovery_executed',
]);

function list(scope) {
  return scope?.length ? scope.join(', ') : t('state.inbox.allRecords');
}

function time(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : t('state.inbox.soon');
}

// One sentence for an item; `who` renders an address (e.g. shortened). A kind this app does not
// know yet is named as the node names it.
export function describeInboxItem(item, who = (a) => a) {
  if (!KINDS.has(item.kind)) return item.kind;
  return t(`state.inbox.${item.kind}`, {
    doctor: item.doctor == null ? '' : who(item.doctor),
    patient: item.patient == null ? '' : who(item.patient),
    scope: list(item.scope),
    until: time(item.until),
    action: item.action ?? t('state.inbox.anyAccess'),
  });
}
