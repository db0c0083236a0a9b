import { Badge, Container, Nav, Navbar, Button, Alert } from 'react-bootstrap';
import ToastStack from './components/ToastStack.jsx';
import { useSession } from './state/session.jsx';
import { useRoute } from './util/route.js';
import { Address, Loading } from './components/common.jsx';
import { t } from './i18n/index.js';
import ConnectScreen from './screens/ConnectScreen.jsx';
import InboxMenu from './components/InboxMenu.jsx';
import PatientPortal from './screens/patient/PatientPortal.jsx';
import DoctorPortal from './screens/doctor/DoctorPortal.jsx';
import RegistrarPortal from './screens/registrar/RegistrarPortal.jsx';

const PORTALS = [
  { path: 'patient', label: 'app.portal.patient', Component: PatientPortal },
  { path: 'doctor', label: 'app.portal.doctor', Component: DoctorPortal },
  { path: 'registrar', label: 'app.portal.registrar', Component: RegistrarPortal },
];

// The portals a signed-in caller's roles open (from the node's /v1/me). The patient portal is
// a guardian's too (the wards' files are managed there), and the portal of an address a
// recovery moved a patient to. Someone with no role yet sees the two
// portals where one starts: registering as a patient, or asking a registrar to verify them as a
// doctor.
function portalsOf(me) {
  if (!me) return [];
  const controls = (me.controllerOf ?? []).length > 0; // a recovered patient's new address
  const guardianOnly = !me.patient && !controls && me.guardianOf.length > 0;
  const hasRole = { patient: me.patient || controls || guardianOnly, doctor: !!me.doctor, registrar: me.registrar };
  const shown = PORTALS.filter((p) => hasRole[p.path]).map((p) => (p.path === 'patient' && guardianOnly ? { ...p, label: 'app.portal.guardian' } : p));
  return shown.length ? shown : PORTALS.filter((p) => p.path !== 'registrar');
}

// The portal a signed-in caller lands on: the role they have.
function defaultPortal(me) {
  if (me?.registrar) return 'registrar';
  if (me?.doctor) return 'doctor';
  return 'patient';
}

export default function App() {
  const { node, nodeError, loadNode, session, me, signOut, toasts, dismissToast, feedStatus, wallet } = useSession();
  const [first, ...rest] = useRoute();
  const portals = portalsOf(me);
  // A portal outside the caller's roles still opens by its address (a patient on the way to
  // being verified as a doctor shows the registrar their key there); the navigation omits it.
  const current = PORTALS.find((p) => p.path === first) ?? PORTALS.find((p) => p.path === defaultPortal(me));
  return (
    <>
      <Navbar bg="dark" data-bs-theme="dark" expand="md" className="mb-3">
        <Container>
          <Navbar.Brand href="#/">medchain</Navbar.Brand>
          {session && (
            <>
              <Navbar.Toggle aria-controls="main-nav" aria-label={t('app.nav.menu')} />
              <Navbar.Collapse id="main-nav">
                <Nav as="nav" className="me-auto" aria-label={t('app.nav.portals')}>
                  {portals.map((p) => (
                    <Nav.Link key={p.path} href={`#/${p.path}`} active={current.path === p.path}>{t(p.label)}</Nav.Link>
                  ))}
                </Nav>
                <div className="d-flex align-items-center gap-2 text-light small flex-wrap">
                  <Badge bg={feedStatus === 'live' ? 'success' : 'secondary'} title={t('app.feed.title')}>
                    {t(`app.feed.${feedStatus}`)}
                  </Badge>
                  <InboxMenu />
                  <span>{wallet?.label}</span>
                  <span className="text-light"><Address value={session.address} label={t('app.account')} /></span>
                  <Button size="sm" variant="outline-light" onClick={signOut}>{t('app.signOut')}</Button>
                </div>
              </Navbar.Collapse>
            </>
          )}
        </Container>
      </Navbar>
      <Container as="main" className="pb-5">
        <ToastStack toasts={toasts} onDismiss={dismissToast} />
        {nodeError && (
          <Alert variant="danger">
            {nodeError} <Button size="sm" variant="outline-danger" onClick={loadNode}>{t('app.tryAgain')}</Button>
          </Alert>
        )}
        {!node && !nodeError && <Loading what={t('app.connecting')} />}
        {node && !session && <ConnectScreen />}
        {node && session && <current.Component sub={rest} />}
      </Container>
    </>
  );
}
