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

  // ---- escrow ----
  // The doctor's emergency read through the patient's escrow (state/emergencyEscrow.js).
  'escrow.read.noPolicy': 'No key for this record was shared with you, and this patient has set no emergency escrow on chain, so it cannot be opened.',
  'escrow.read.policyNotOnChain': "The node's escrow policy of this patient is not the one the chain names; refused.",
  'escrow.read.notEscrowed': "No key for this record was shared with you, and its key is not in the patient's emergency escrow (it was written before the escrow, by an app that does not escrow keys).",
  'escrow.read.olderPolicy': "This version's key was escrowed under an earlier escrow policy of the patient; the custodians of the current one cannot open it.",
  'escrow.read.otherChain': 'its node serves chain {chainId}',
  'escrow.read.wrongIndex': 'it answered as custodian {index}',
  'escrow.read.skipped': 'Custodian {custodian} at {url} was skipped: {reason}',
  'escrow.read.refused': 'The custodians refused to release the key: {reason}',
  'escrow.read.tooFew': '{answered} of the {count} custodians answered; the escrow needs {threshold}.',
  // The note in the record viewer.
  'escrow.note.opened': 'Opened through the emergency escrow ({used} of {count} custodians).',
  'escrow.note.explain':
    "No key of this record was shared with you: {threshold} of the patient's custodians each released a part of it for your emergency window, checked by its proof. The patient is notified of every release.",
  'escrow.note.skippedLabel': 'Custodians skipped',
  // The patient's custodian settings (screens/patient/EscrowSettings.jsx, state/escrowDealing.js).
  'escrow.settings.title': 'Emergency escrow',
  'escrow.settings.explain':
    "Custodians (storage nodes or people with a custodian key on chain) each hold a share of a key that opens your records' keys. In an emergency, a doctor with an open window gets a record's key only when enough of them release their part; fewer learn nothing. Every release is audited and you are notified.",
  'escrow.settings.current': 'In force: any {threshold} of these {count} custodians together.',
  'escrow.settings.currentLabel': 'Your custodians',
  'escrow.settings.none': 'No escrow is set: a doctor in an emergency reads only the records whose keys you shared with them.',
  'escrow.settings.tooFewOnChain': 'Fewer than two accounts have a custodian key on chain, so no escrow can be set yet.',
  'escrow.settings.chooseLabel': 'Accounts with a custodian key on chain',
  'escrow.settings.column.use': 'Use',
  'escrow.settings.column.custodian': 'Custodian',
  'escrow.settings.column.url': 'Its node',
  'escrow.settings.custodian': 'custodian',
  'escrow.settings.use': 'Make {account} a custodian',
  'escrow.settings.urlOf': "URL of {account}'s node",
  'escrow.settings.threshold': {
    one: 'How many must release a key ({count} custodian chosen)',
    other: 'How many must release a key (of the {count} custodians chosen)',
  },
  'escrow.settings.set': 'Set the escrow',
  'escrow.settings.done': {
    one: 'Escrow set: any {threshold} of {custodians} custodians; {count} existing record version wrapped to it',
    other: 'Escrow set: any {threshold} of {custodians} custodians; {count} existing record versions wrapped to it',
  },
  'escrow.set.needsBrowserWallet': 'Setting the escrow is a transaction of your own (setEscrowPolicy): connect a browser wallet holding a little ether; the built-in wallet acts only through the node.',
  'escrow.set.noCustodianKey': '{account} has no custodian key on chain.',
  'escrow.set.notOnChain': 'The chain does not hold the new escrow policy after the transaction; nothing was published.',
  'escrow.set.depositFailed': "Custodian {index} ({url}) did not take its share: {reason}. The policy is on chain; set the escrow again to deal a new one.",
  'escrow.set.step.keys': "Reading the custodians' keys on chain…",
  'escrow.set.step.deal': 'Dealing the shares in your browser…',
  'escrow.set.step.chain': 'Setting the policy on chain (your wallet asks)…',
  'escrow.set.step.publish': 'Publishing the policy on your node…',
  'escrow.set.step.deposit': 'Depositing share {index} at {url}…',
  'escrow.set.step.wrap': "Wrapping your records' keys to the escrow…",
  // ---- end escrow ----
};
