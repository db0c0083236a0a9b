// The node's inbox (docs/api.md, "The inbox"): fetching it, marking items read, and one line of
// text per item. No React here, so the wording is tested on its own.

export function fetchInbox(api, { limit = 50 } = {}) {
  return api.get(`/v1/inbox?limit=${limit}`);
}

// Marks `ids` read, or every item when `ids` is 'all'. Answers {unread, total}.
export function markInboxRead(api, ids) {
  return api.post('/v1/inbox/read', ids === 'all' ? { all: true } : { ids });
}

const KINDS = {
  access_requested: (i, who) => `${who(i.doctor)} asked for access to ${list(i.scope)}`,
  emergency_opened: (i, who) => `${who(i.doctor)} opened emergency access until ${time(i.until)}`,
  access_granted: (i, who) => `${who(i.patient)} granted you ${list(i.scope)} until ${time(i.until)}`,
  request_denied: (i, who) => `${who(i.patient)} denied your request`,
  access_revoked: (i, who) => `${who(i.patient)} revoked your access`,
  grant_expiring: (i, who) => `The grant of ${who(i.patient)} to ${who(i.doctor)} ends ${time(i.until)}`,
  access_denied: (i, who) => `${who(i.doctor)} was refused ${i.action ?? 'access'}`,
  escrow_released: (i, who) =>
    `An escrow custodian released its share of a record key to ${who(i.doctor)} (emergency access)`,
};

function list(scope) {
  return scope?.length ? scope.join(', ') : 'records';
}

function time(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : 'soon';
}

// One sentence for an item; `who` renders an address (e.g. shortened).
export function describeInboxItem(item, who = (a) => a) {
  const describe = KINDS[item.kind];
  return describe ? describe(item, who) : item.kind;
}
