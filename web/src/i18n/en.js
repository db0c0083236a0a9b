// English, the reference catalogue (see index.js for the message format). Ids are
// area.screen.what; each area has its own section so that screens grow without touching
// each other's lines.
export default {
  // ---- app: the frame, navigation, sign-in ----
  'app.portal.patient': 'Patient',
  'app.portal.doctor': 'Doctor',
  'app.portal.registrar': 'Registrar',
  'app.portal.guardian': 'Guardian',
  'app.nav.menu': 'Menu',
  'app.nav.portals': 'Portals',
  'app.feed.title': 'Real-time updates from the node',
  'app.feed.live': 'live',
  'app.account': 'your account',
  'app.signOut': 'Sign out',
  'app.tryAgain': 'Try again',
  'app.connecting': 'Connecting to the node',
  // ---- end app ----

  // ---- common: components shared by every screen ----
  // ---- end common ----

  // ---- connect: the sign-in screen ----
  // ---- end connect ----

  // ---- patient: the patient's (and guardian's) portal ----
  'patient.key.title': 'Your encryption key',
  'patient.key.explain':
    "Record keys are sealed to this key; only its public half is on chain. Your wallet derives it by signing a message bound to this deployment. If you ever signed that message on a site you do not trust, rotate it: your copies of every record key are sealed to the next key first, then the chain is told. Your wallet signs the new key's message, then the rotation.",
  'patient.key.publicKey': 'Your encryption public key',
  'patient.key.derivation': 'Key derivation',
  'patient.key.show': 'Show my encryption key',
  'patient.key.rotate': 'Rotate my encryption key',
  'patient.key.rotated': {
    one: 'Encryption key rotated to {derivation}; {count} record key sealed to it',
    other: 'Encryption key rotated to {derivation}; {count} record keys sealed to it',
  },
  // ---- end patient ----

  // ---- doctor: the doctor's portal ----
  // ---- end doctor ----

  // ---- records: timeline, viewer, forms, clinical cards, DICOM ----
  // ---- end records ----

  // ---- registrar: the registrar's portal ----
  // ---- end registrar ----

  // ---- state: toasts and errors raised outside the screens ----
  // ---- end state ----
};
