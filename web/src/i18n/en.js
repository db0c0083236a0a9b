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
  'app.feed.reconnecting': 'reconnecting',
  'app.feed.off': 'off',
  'app.account': 'your account',
  'app.signOut': 'Sign out',
  'app.tryAgain': 'Try again',
  'app.connecting': 'Connecting to the node',
  // ---- end app ----

  // ---- common: components shared by every screen ----
  'common.address.label': 'address',
  'common.address.copy': '{short}: {label} {value}, press Enter to copy',
  'common.loading': 'Loading',
  'common.countdown.expired': 'expired',
  'common.countdown.left': '{duration} left',
  'common.scope.legend': 'Categories',
  'common.scope.all': 'All',
  'common.scope.none': 'None',
  'common.duration.label': 'Duration',
  'common.permissions.legend': 'Permissions',
  'common.permissions.read': 'Read records',
  'common.permissions.append': 'Add records',
  'common.camera.scan': 'Scan with camera',
  'common.camera.title': "Point the camera at the patient's QR code",
  'common.camera.view': 'Camera view',
  'common.camera.refused':
    'The camera permission was refused. Allow the camera for this site in the browser, or upload a photo of the QR code instead.',
  'common.camera.notFound': 'No camera was found. Upload a photo of the QR code instead.',
  'common.camera.inUse': 'The camera is in use by another application. Close it, or upload a photo of the QR code instead.',
  'common.camera.failed': 'The camera could not be started. Upload a photo of the QR code instead.',
  'common.camera.failedBecause': 'The camera could not be started ({reason}). Upload a photo of the QR code instead.',
  'common.doctor.label': 'doctor',
  'common.doctor.untrusted': 'profile not trusted',
  'common.patient.label': 'patient',
  'common.patient.nameNotShared': 'name not shared',
  'common.inbox.title': 'Inbox',
  'common.inbox.label': { one: 'Inbox, {count} unread', other: 'Inbox, {count} unread' },
  'common.inbox.empty': 'Nothing yet.',
  'common.inbox.unreadAt': '{at} · unread',
  'common.inbox.markAllRead': 'Mark all read',
  'common.toasts.label': 'Notifications',
  'common.toasts.dismiss': 'Dismiss',
  'common.qr.noAddress': 'The QR code does not hold an address.',
  'common.qr.notFound': 'No QR code found in that picture; try again closer and in focus.',
  'common.qr.show': 'Show my QR code',
  'common.qr.title': 'Show this to your doctor',
  'common.qr.alt': 'QR code of {address}',
  'common.qr.yourAddress': 'your address',
  'common.qr.scanPhoto': "Or scan the patient's QR code (a photo)",
  // ---- end common ----

  // ---- connect: the sign-in screen ----
  'connect.title': 'Sign in to medchain',
  'connect.intro': 'Your records are encrypted in this browser before they leave it. Node on chain {chainId}, contract {contract}.',
  'connect.contract': 'contract',
  'connect.account':
    'To use medchain you need an Ethereum account: a key that signs who you are and what you allow. It is not used for payments (the node pays the fees). Pick where your key lives:',
  'connect.injected.title': 'Browser wallet',
  'connect.injected.explain':
    'MetaMask or another wallet extension you already use. Your key stays in the wallet: it asks you to confirm each signature (signing in, your encryption key, every consent you give), and switches to chain {chainId}. Choose this if you have such a wallet.',
  'connect.injected.signIn': 'Connect and sign in',
  'connect.injected.none': 'No browser wallet found. Install one, or use the built-in wallet.',
  'connect.builtin.title': 'Built-in wallet',
  'connect.builtin.explain':
    "No extension needed: this page creates a key (or imports yours) and keeps it in this browser only, encrypted with your passphrase. It signs without asking. Clearing the browser's data deletes it, so export it to keep a backup.",
  'connect.builtin.progress': 'Key encryption progress',
  'connect.builtin.unlockTab': 'Unlock',
  'connect.builtin.passphrase': 'Passphrase',
  'connect.builtin.rpcUrl': 'Chain RPC URL',
  'connect.builtin.rpcUrlPlaceholder': 'https://…',
  'connect.builtin.rpcUrlHelp': 'The app checks every key and digest the node gives against the chain; without a URL it cannot, and records stay closed.',
  'connect.builtin.unlock': 'Unlock and sign in',
  'connect.builtin.export': 'Export keystore',
  'connect.builtin.forget': 'Forget',
  'connect.builtin.forgetConfirm': 'Forget {address} in this browser? Without an export the key is lost.',
  'connect.builtin.createTab': 'Create or import',
  'connect.builtin.newPassphrase': 'New passphrase (8 characters or more)',
  'connect.builtin.importKeyLabel': 'Private key to import (leave empty to create a new key)',
  'connect.builtin.importKey': 'Import key',
  'connect.builtin.createKey': 'Create key',
  'connect.builtin.keystoreFile': 'Or import a keystore v3 file (its passphrase above)',
  'connect.builtin.importKeystore': 'Import keystore',
  'connect.demo.title': 'Demo accounts (development chain)',
  'connect.demo.explain':
    'This node runs on a development chain. {command} created a registrar, two doctors and two patients and wrote their keys to {file} in its data directory ({directory} by default). Choose that file to sign in as one of them. These keys are public: use them for trying medchain only.',
  'connect.demo.rpcUrl': "The development chain's JSON-RPC URL",
  'connect.demo.accounts': 'Demo accounts',
  'connect.demo.signInAs': 'Sign in as {label}',
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
