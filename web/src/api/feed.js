// The node's real-time feed (GET /v1/events over WebSocket, the token in ?access_token= since a
// browser cannot set headers on a WebSocket). Reconnects with a growing delay while the session
// lasts.
export function openFeed({ token, onMessage, onStatus }) {
  let socket = null;
  let closed = false;
  let delay = 1000;
  let timer = null;

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${location.host}/v1/events?access_token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      delay = 1000;
      onStatus?.('live');
    };
    socket.onmessage = (event) => {
      try {
        onMessage(JSON.parse(event.data));
      } catch {
        /* a message that is not JSON is ignored */
      }
    };
    socket.onclose = () => {
      if (closed) return;
      onStatus?.('reconnecting');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
    onStatus?.('off');
  };
}

const EVENT_TEXT = {
  AccessRequested: 'A doctor asked for access',
  RequestApproved: 'An access request was approved',
  RequestDenied: 'An access request was denied',
  RequestCancelled: 'An access request was cancelled',
  AccessGranted: 'Access was granted',
  AccessRevoked: 'Access was revoked',
  RecordAdded: 'A record was added',
  RecordUpdated: 'A record was updated',
  EmergencyAccessOpened: 'Emergency access was opened',
  EmergencyAccessEnded: 'Emergency access ended',
  EmergencyPolicySet: 'The emergency policy changed',
  GuardianAdded: 'A guardian was added',
  GuardianRemoved: 'A guardian was removed',
  PatientRegistered: 'A patient registered',
  DoctorVerified: 'A doctor was verified',
  DoctorSuspended: 'A doctor was suspended',
  DoctorReinstated: 'A doctor was reinstated',
  DoctorKeyRotated: "A doctor's encryption key changed",
  GrantExpired: 'A grant ran out',
  EmergencyAccessExpired: 'An emergency window ran out',
};

const ACTION_TEXT = {
  'blob.read': 'downloaded a record', 'key.read': 'fetched a record key', 'blob.write': 'uploaded a record', 'record.read': 'tried to read a record',
  'request.reason': 'left a sealed reason for an access request',
};

// Whether a feed message only echoes what the user just did in this app (their own upload,
// their own grant), which the screen already confirmed: lists still refresh, but no toast.
const PATIENT_ACTS = new Set(['AccessGranted', 'AccessRevoked', 'RequestApproved', 'RequestDenied', 'EmergencyPolicySet', 'GuardianAdded', 'GuardianRemoved', 'PatientRegistered']);
const DOCTOR_ACTS = new Set(['AccessRequested', 'RequestCancelled', 'EmergencyAccessOpened', 'DoctorKeyRotated']);
const same = (a, b) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

export function isOwnAction(message, me) {
  if (message.type === 'audit') return same(message.entry.actor, me);
  const args = message.args ?? {};
  if (same(args.author, me) || same(args.by, me) || same(args.editor, me) || same(args.registrar, me)) return true;
  if (PATIENT_ACTS.has(message.event) && same(args.patient, me) && !args.by) return true;
  return DOCTOR_ACTS.has(message.event) && same(args.doctor, me);
}

// The toast text of a feed message.
export function describeFeedMessage(message, short, me) {
  if (message.type === 'audit') {
    const e = message.entry;
    return `${short(e.actor)} ${ACTION_TEXT[e.action] ?? e.action}${e.allowed ? '' : ' (refused)'}`;
  }
  const text = EVENT_TEXT[message.event] ?? message.event;
  const { doctor, patient } = message.args ?? {};
  let who = '';
  if (doctor && !same(doctor, me)) who = ` — doctor ${short(doctor)}`;
  else if (patient && !same(patient, me)) who = ` — patient ${short(patient)}`;
  return `${text}${who}`;
}
