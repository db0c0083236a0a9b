// The live notifications: one stack, newest first, each dismissable (the session bounds their
// number and expires the non-critical ones). It sits in the page's flow at the top of the main
// region, not over it, so a toast can push the page down but never hide a button under itself.
import { Toast } from 'react-bootstrap';
import { t } from '../i18n/index.js';

export default function ToastStack({ toasts, onDismiss }) {
  return (
    <section className="toast-stack" aria-label={t('common.toasts.label')} aria-live="polite" aria-relevant="additions">
      {toasts.map((toast) => (
        <Toast key={toast.id} bg={toast.variant} onClose={() => onDismiss(toast.id)} className={`w-100 mb-2 ${toast.variant === 'warning' ? 'text-dark' : 'text-white'}`}>
          <div className="d-flex">
            <Toast.Body>{toast.text}</Toast.Body>
            <button type="button" className={`btn-close ${toast.variant === 'warning' ? '' : 'btn-close-white'} me-2 m-auto`} aria-label={t('common.toasts.dismiss')} onClick={() => onDismiss(toast.id)} />
          </div>
        </Toast>
      ))}
    </section>
  );
}
