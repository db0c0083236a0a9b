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
  'patient.portal.heading': 'Patient',
  'patient.portal.loadingRoles': 'Reading your roles',
  'patient.portal.managing': 'Managing the file of',
  'patient.portal.myself': 'myself',
  'patient.portal.ward': '{name} (as guardian)',
  'patient.portal.current': 'Patient {address}',
  'patient.portal.addressLabel': 'patient',
  'patient.portal.sections': 'Patient sections',
  'patient.portal.registerToKeep': 'Register to keep records here.',
  'patient.portal.noRecords':
    'No records yet. To add your first, open Add record: fill in a lab result, a medication, an allergy or a note, or drop a file (an X-ray, a PDF). It is encrypted in this browser before it is sent. A doctor you grant append access can add records too.',
  'patient.tab.records': 'Records',
  'patient.tab.add': 'Add record',
  'patient.tab.requests': 'Requests',
  'patient.tab.grants': 'Access',
  'patient.tab.emergency': 'Emergency & guardians',
  'patient.tab.audit': 'Audit trail',
  'patient.tab.transfer': 'Export & import',
  'patient.tab.details': 'My details',
  'patient.tab.key': 'Encryption key',
  'patient.register.title': 'Register as a patient',
  'patient.register.explain':
    'Your wallet signs two messages: one derives your encryption key (only its public half goes on chain), the other registers you. The node pays the gas.',
  'patient.register.done': 'You are registered',
  'patient.register.button': 'Register',
  'patient.grants.doctor': 'Doctor',
  'patient.grants.chooseDoctor': 'Choose a verified doctor',
  'patient.grants.fromNowFor': 'From now, for',
  'patient.grants.changed': 'Access changed',
  'patient.grants.granted': 'Access granted',
  'patient.grants.saveChanges': 'Save changes',
  'patient.grants.grant': 'Grant access',
  'patient.grants.title': 'Doctors with access',
  'patient.grants.loading': 'Loading grants',
  'patient.grants.none': 'Nobody has access to your records.',
  'patient.grants.table': 'Grants',
  'patient.grants.categories': 'Categories',
  'patient.grants.may': 'May',
  'patient.grants.expires': 'Expires',
  'patient.grants.actions': 'Actions',
  'patient.grants.change': 'Change',
  'patient.grants.revokeOf': 'Revoke access of {doctor}',
  'patient.grants.revoked': 'Access revoked',
  'patient.grants.revoke': 'Revoke',
  'patient.grants.changeOf': 'Change access of {doctor}',
  'patient.requests.reasonOpening': 'Reason: opening…',
  'patient.requests.reasonIs': 'Reason: {reason}',
  'patient.requests.reasonPatientOnly': 'sealed to the patient; only their app opens it',
  'patient.requests.reasonNone': 'none given',
  'patient.requests.reasonMissing': 'the doctor left none for you with this node (only its hash is on chain)',
  'patient.requests.reasonLocked': 'sealed to your key',
  'patient.requests.openWithKey': 'Open with your key',
  'patient.requests.checked': 'checked against the chain',
  'patient.requests.notChecked': 'not checked against the chain',
  'patient.requests.reasonNotShown': 'Reason not shown: {error}.',
  'patient.requests.allow': 'Allow these categories',
  'patient.requests.for': 'For',
  'patient.requests.approved': 'Approved',
  'patient.requests.approve': 'Approve',
  'patient.requests.denied': 'Request denied',
  'patient.requests.deny': 'Deny',
  'patient.requests.title': 'Access requests',
  'patient.requests.pendingOnly': 'Pending only',
  'patient.requests.showDecided': 'Show decided too',
  'patient.requests.loading': 'Loading requests',
  'patient.requests.none': 'No requests.',
  'patient.requests.nonePending': 'No pending requests.',
  'patient.requests.from': 'Request from {doctor}',
  'patient.requests.doctor': 'Doctor {doctor}',
  'patient.requests.asksFor': 'Asks for {categories}',
  'patient.requests.toFor': 'To {permissions} for {duration}',
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
