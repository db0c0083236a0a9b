// The node's real-time feed (GET /v1/events over WebSocket, the token in ?access_token= since a
// browser cannot set headers on a WebSocket). Reconnects with a growing delay while the session
// lasts.
import { t } from '../i18n/index.js';

// `base` is the node in use: '' for the page's own, else its http(s):// URL (api/failover.js).
export function feedUrl(base, token, here = location) {
  const origin = base || `${here.protocol}//${here.host}`;
  return `${origin.replace(/^http/, 'ws')}/v1/events?access_token=${encodeURIComponent(token)}`;
}

export function openFeed({ token, base = '', onMessage, onStatus }) {
  let socket = null;
  let closed = false;
  let delay = 1000;
  let timer = null;

  function connect() {
    socket = new WebSocket(feedUrl(base, token));
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

// The events and audited actions with a sentence of their own in the catalogue
// (state.feed.event.*, state.feed.action.*); any other is named as the node names it.
const EVENTS = new Set([
  'AccessRequested', 'RequestApproved', 'RequestDenied', 'RequestCancelled', 'AccessGranted', 'AccessRevoked', 'RecordAdded',
  'RecordUpdated', 'EmergencyAccessOpened', 'EmergencyAccessEnded', 'EmergencyPolicySet', 'GuardianAdded', 'GuardianRemoved',
  'PatientRegistered', 'DoctorVerified', 'DoctorSuspended', 'DoctorReinstated', 'DoctorKeyRotated', 'GrantExpired',
  'EmergencyAccessExpired', 'EscrowPolicySet', 'PatientKeyRotated', 'ControllerSet', 'RecoveryPolicySet', 'RecoveryProposed',
  'RecoveryApproved', 'RecoveryReady', 'RecoveryCancelled', 'RecoveryExecuted',
]);
const ACTIONS = new Set(['blob.read', 'key.read', 'blob.write', 'record.read', 'request.reason']);

// Whether a feed message only echoes what the user just did in this app (their own upload,
// their own grant), which the screen already confirmed: lists still refresh, but no toast.
const PATIENT_ACTS = new Set(['AccessGranted', 'AccessRevoked', 'RequestApproved', 'RequestDenied', 'EmergencyPolicySet', 'EscrowPolicySet', 'GuardianAdded', 'GuardianRemoved', 'PatientRegistered', 'PatientKeyRotated']);
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
    const actor = short(e.actor);
    const text = ACTIONS.has(e.action) ? t(`state.feed.action.${e.action}`, { actor }) : t('state.feed.audit', { actor, action: e.action });
    return e.allowed ? text : t('state.feed.refused', { text });
  }
  const text = EVENTS.has(message.event) ? t(`state.feed.event.${message.event}`) : message.event;
  const { doctor, patient } = message.args ?? {};
  if (doctor && !same(doctor, me)) return t('state.feed.aboutDoctor', { text, doctor: short(doctor) });
  if (patient && !same(patient, me)) return t('state.feed.aboutPatient', { text, patient: short(patient) });
  return text;
}
