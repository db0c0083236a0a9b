// Codes the node answers with, in the words of the UI catalogue; a code this app does not know
// shows as itself rather than failing the screen.
import { t } from '../../i18n/index.js';

// A permission of a grant or a request ('read', 'append').
const PERMISSION_IDS = { read: 'patient.grants.permission.read', append: 'patient.grants.permission.append' };
export const permissionWord = (p) => (PERMISSION_IDS[p] ? t(PERMISSION_IDS[p]) : p);
