// The patient's emergency escrow (state/escrowDealing.js): the policy in force, checked against
// the chain, and choosing k of n custodians among the accounts with a custodian key on chain
// (each with its node's URL, filled in when it operates a registered storage node), then dealing
// and setting it, as `medchain emergency escrow set` does.
import { useState } from 'react';
import { Alert, Card, Form, ListGroup, Table } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { checkedEscrowPolicy } from '../../state/emergencyEscrow.js';
import { setEmergencyEscrow } from '../../state/escrowDealing.js';
import { ActionButton, Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

async function loadEscrow(ctx, patient) {
  const custodians = await ctx.chain.custodians();
  let policy = null;
  try {
    policy = await checkedEscrowPolicy(ctx, patient);
  } catch (error) {
    if (!error.noKey) throw error; // noKey: no policy set
  }
  return { custodians, policy };
}

export default function EscrowSettings({ patient, isSelf }) {
  const { ctx, toast, unlockEncryptionKey } = useSession();
  const { data, error: loadError, loading, reload } = useLoad(() => (ctx.chain ? loadEscrow(ctx, patient) : Promise.resolve(null)), [patient]);
  const [chosen, setChosen] = useState({}); // account -> url, for the custodians ticked
  const [threshold, setThreshold] = useState(2);
  const [step, setStep] = useState('');
  const [error, setError] = useState(null);
  const picked = (data?.custodians ?? []).filter((c) => c.account in chosen);
  const valid = picked.length >= 2 && threshold >= 2 && threshold <= picked.length && picked.every((c) => /^https?:\/\/\S+$/.test(chosen[c.account].trim()));
  return (
    <Card className="mt-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('escrow.settings.title')}</Card.Title>
        <Card.Text className="small text-secondary">{t('escrow.settings.explain')}</Card.Text>
        <ErrorAlert error={loadError ?? error} onClose={() => setError(null)} />
        {loading && !data && <Loading />}
        {data?.policy ? (
          <>
            <p className="mb-1">{t('escrow.settings.current', { threshold: data.policy.threshold, count: data.policy.count })}</p>
            <ListGroup className="mb-3" aria-label={t('escrow.settings.currentLabel')}>
              {data.policy.custodians.map((c) => (
                <ListGroup.Item key={c.account} className="small"><Address value={c.account} label={t('escrow.settings.custodian')} /> {c.url}</ListGroup.Item>
              ))}
            </ListGroup>
          </>
        ) : (
          data && <p className="text-secondary">{t('escrow.settings.none')}</p>
        )}
        {isSelf && data && (data.custodians.length < 2 ? <Alert variant="secondary" className="small">{t('escrow.settings.tooFewOnChain')}</Alert> : (
          <Form onSubmit={(e) => e.preventDefault()}>
            <Table size="sm" responsive aria-label={t('escrow.settings.chooseLabel')}>
              <thead><tr><th>{t('escrow.settings.column.use')}</th><th>{t('escrow.settings.column.custodian')}</th><th>{t('escrow.settings.column.url')}</th></tr></thead>
              <tbody>
                {data.custodians.map((c, i) => (
                  <tr key={c.account}>
                    <td>
                      <Form.Check id={`custodian-${i}`} aria-label={t('escrow.settings.use', { account: c.account })} checked={c.account in chosen}
                        onChange={(e) => setChosen((now) => { const next = { ...now }; if (e.target.checked) next[c.account] = c.url; else delete next[c.account]; return next; })} />
                    </td>
                    <td><Address value={c.account} label={t('escrow.settings.custodian')} /></td>
                    <td>
                      <Form.Control size="sm" aria-label={t('escrow.settings.urlOf', { account: c.account })} disabled={!(c.account in chosen)}
                        value={chosen[c.account] ?? c.url} onChange={(e) => setChosen((now) => ({ ...now, [c.account]: e.target.value }))} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Form.Group className="mb-3" controlId="escrow-threshold" style={{ maxWidth: 320 }}>
              <Form.Label>{t('escrow.settings.threshold', { count: picked.length })}</Form.Label>
              <Form.Control type="number" min={2} max={Math.max(2, picked.length)} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
            </Form.Group>
            {step && <p className="small" role="status">{step}</p>}
            <ActionButton disabled={!valid} onError={(e) => { setStep(''); setError(e); }}
              action={async () => {
                const custodians = picked.map((c) => ({ account: c.account, url: chosen[c.account] }));
                const done = await setEmergencyEscrow(ctx, { patient, threshold, custodians }, unlockEncryptionKey, setStep);
                setStep('');
                toast(t('escrow.settings.done', { threshold: done.threshold, custodians: done.custodians.length, count: done.versionsWrapped }), 'success');
                setChosen({});
                reload();
              }}>
              {t('escrow.settings.set')}
            </ActionButton>
          </Form>
        ))}
      </Card.Body>
    </Card>
  );
}
