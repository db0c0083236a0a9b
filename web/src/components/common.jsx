// Small building blocks shared by the portals.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Form, OverlayTrigger, Spinner, Tooltip } from 'react-bootstrap';
import { CATEGORIES, DURATIONS } from '../chain/scopes.js';
import { formatDuration, nowSeconds, shortAddress } from '../util/format.js';
import { t } from '../i18n/index.js';

// An address shown short, the whole one in a tooltip and on copy.
// The accessible name starts with the text shown (WCAG 2.5.3, label in name), then says what the
// address is. Inside another control (a version to open) it cannot be a button of its own:
// `copyable={false}` shows it only.
export function Address({ value, label, copyable = true }) {
  if (!value) return null;
  if (!copyable) return <code className="text-reset text-nowrap" title={value}>{shortAddress(value)}</code>;
  return (
    <OverlayTrigger overlay={<Tooltip>{value}</Tooltip>}>
      <code
        className="text-body text-nowrap"
        title={value}
        role="button"
        tabIndex={0}
        aria-label={t('common.address.copy', { short: shortAddress(value), label: label ?? t('common.address.label'), value })}
        onClick={() => navigator.clipboard?.writeText(value)}
        onKeyDown={(e) => e.key === 'Enter' && navigator.clipboard?.writeText(value)}
      >
        {shortAddress(value)}
      </code>
    </OverlayTrigger>
  );
}

export function ErrorAlert({ error, onClose }) {
  if (!error) return null;
  return (
    <Alert variant="danger" dismissible={!!onClose} onClose={onClose} role="alert">
      {String(error)}
    </Alert>
  );
}

export function Loading({ what = t('common.loading') }) {
  return (
    <div className="d-flex align-items-center gap-2 text-secondary my-3" role="status">
      <Spinner animation="border" size="sm" /> {what}…
    </div>
  );
}

// A button that runs an async action, shows a spinner meanwhile and reports failure.
export function ActionButton({ action, children, onError, onDone, variant = 'primary', ...props }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant={variant}
      disabled={busy || props.disabled}
      {...props}
      onClick={async () => {
        setBusy(true);
        try {
          const result = await action();
          onDone?.(result);
        } catch (error) {
          onError?.(error.message ?? String(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy && <Spinner animation="border" size="sm" className="me-1" aria-hidden="true" />}
      {children}
    </Button>
  );
}

// A live countdown to a Unix time.
export function Countdown({ until }) {
  const [now, setNow] = useState(nowSeconds());
  useEffect(() => {
    const timer = setInterval(() => setNow(nowSeconds()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = until - now;
  const variant = left <= 0 ? 'secondary' : left < 3600 ? 'warning' : 'success';
  return (
    <Badge bg={variant} text={variant === 'warning' ? 'dark' : undefined} aria-live="off">
      {left <= 0 ? t('common.countdown.expired') : t('common.countdown.left', { duration: formatDuration(left) })}
    </Badge>
  );
}

export function CategoryBadges({ names }) {
  return names.map((name) => (
    <Badge key={name} bg="light" text="dark" className="me-1 border">
      {CATEGORIES.find((c) => c.name === name)?.label ?? name}
    </Badge>
  ));
}

// Checkboxes for a scope (category names).
export function ScopePicker({ id, value, onChange, legend = t('common.scope.legend') }) {
  const toggle = (name) => onChange(value.includes(name) ? value.filter((n) => n !== name) : [...value, name]);
  return (
    <fieldset className="mb-3">
      <legend className="form-label fs-6">{legend}</legend>
      <div className="d-flex flex-wrap gap-2">
        {CATEGORIES.map((c) => (
          <Form.Check key={c.name} inline type="checkbox" id={`${id}-${c.name}`} label={c.label} checked={value.includes(c.name)} onChange={() => toggle(c.name)} />
        ))}
      </div>
      <div className="mt-1">
        <Button size="sm" variant="link" className="p-0 me-3" onClick={() => onChange(CATEGORIES.map((c) => c.name))}>{t('common.scope.all')}</Button>
        <Button size="sm" variant="link" className="p-0" onClick={() => onChange([])}>{t('common.scope.none')}</Button>
      </div>
    </fieldset>
  );
}

export function DurationSelect({ id, value, onChange, label = t('common.duration.label') }) {
  return (
    <Form.Group className="mb-3" controlId={id}>
      <Form.Label>{label}</Form.Label>
      <Form.Select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {DURATIONS.map((d) => (
          <option key={d.seconds} value={d.seconds}>{d.label}</option>
        ))}
      </Form.Select>
    </Form.Group>
  );
}

export function PermissionChecks({ id, value, onChange }) {
  const toggle = (p) => onChange(value.includes(p) ? value.filter((x) => x !== p) : [...value, p]);
  return (
    <fieldset className="mb-3">
      <legend className="form-label fs-6">{t('common.permissions.legend')}</legend>
      <Form.Check inline id={`${id}-read`} label={t('common.permissions.read')} checked={value.includes('read')} onChange={() => toggle('read')} />
      <Form.Check inline id={`${id}-append`} label={t('common.permissions.append')} checked={value.includes('append')} onChange={() => toggle('append')} />
    </fieldset>
  );
}
