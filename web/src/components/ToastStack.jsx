// The live notifications: one stack, newest first, each dismissable (the session bounds their
// number and expires the non-critical ones). It sits in the page's flow at the top of the main
// region, not over it, so a toast can push the page down but never hide a button under itself.
import { Toast } from 'react-bootstrap';

export default function ToastStack({ toasts, onDismiss }) {
  return (
    <section className="toast-stack" aria-label="Notifications" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <Toast key={t.id} bg={t.variant} onClose={() => onDismiss(t.id)} className={`w-100 mb-2 ${t.variant === 'warning' ? 'text-dark' : 'text-white'}`}>
          <div className="d-flex">
            <Toast.Body>{t.text}</Toast.Body>
            <button type="button" className={`btn-close ${t.variant === 'warning' ? '' : 'btn-close-white'} me-2 m-auto`} aria-label="Dismiss" onClick={() => onDismiss(t.id)} />
          </div>
        </Toast>
      ))}
    </section>
  );
}
