// "Who saw what, when": the node's audit log of the patient's records, each entry checkable
// against the node's on-chain anchor (read from the chain itself when the wallet can).
import { DoctorName } from '../../components/DoctorName.jsx';
import { useState } from 'react';
import { Badge, Button, Table } from 'react-bootstrap';
import { Interface } from 'ethers';
import { useSession, useLoad } from '../../state/session.jsx';
import { checkAuditProof } from '../../crypto/auditProof.js';
import { CONTRACT_ABI } from '../../chain/intents.js';
import { ErrorAlert, Loading } from '../../components/common.jsx';
import { formatTime, shortHash } from '../../util/format.js';
import { t } from '../../i18n/index.js';

// What each audited action is called, by its catalogue id (an action not listed shows as itself).
const ACTIONS = {
  'blob.read': 'patient.audit.did.blobRead',
  'key.read': 'patient.audit.did.keyRead',
  'blob.write': 'patient.audit.did.blobWrite',
  'record.read': 'patient.audit.did.recordRead',
  'key.share': 'patient.audit.did.keyShare',
  'request.reason': 'patient.audit.did.requestReason',
};
const contract = new Interface(CONTRACT_ABI);

function Verify({ seq }) {
  const { api, wallet, node } = useSession();
  const [state, setState] = useState(null);
  async function run() {
    setState({ busy: true });
    try {
      const answer = await api.get(`/v1/audit/${seq}/proof`);
      let chainRoot = null;
      if (wallet.call) {
        const data = contract.encodeFunctionData('auditRoots', [answer.anchor.nodeId, answer.anchor.toSeq]);
        [chainRoot] = contract.decodeFunctionResult('auditRoots', await wallet.call({ to: node.contract, data }));
      }
      setState(checkAuditProof(answer, chainRoot));
    } catch (error) {
      setState({ error: error.code === 'not_anchored' ? t('patient.audit.notAnchored') : error.message });
    }
  }
  if (!state) return <Button size="sm" variant="outline-secondary" onClick={run} aria-label={t('patient.audit.verifyEntry', { seq })}>{t('patient.audit.verify')}</Button>;
  if (state.busy) return <span className="small text-secondary">{t('patient.audit.checking')}</span>;
  if (state.error) {
    return (
      <Button size="sm" variant="outline-secondary" onClick={run} title={state.error} aria-label={t('patient.audit.entryError', { seq, error: state.error })}>
        {t('patient.audit.again', { error: state.error.length > 30 ? t('patient.audit.cannotCheck') : state.error })}
      </Button>
    );
  }
  if (!state.ok) return <Badge bg="danger" title={state.why}>{t('patient.audit.doesNotVerify')}</Badge>;
  return <Badge bg="success" title={t('patient.audit.anchorBlock', { block: state.blockNumber })}>{state.onChain ? t('patient.audit.onChain') : t('patient.audit.nodeAnchor')}</Badge>;
}

export default function AuditTab({ patient }) {
  const { api } = useSession();
  const { data, error, loading } = useLoad(() => api.get(`/v1/audit?patient=${patient}&limit=1000`), [patient]);
  const entries = [...(data?.entries ?? [])].reverse();
  return (
    <>
      <h2 className="fs-5">{t('patient.audit.title')}</h2>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what={t('patient.audit.loading')} />}
      {data && entries.length === 0 && <p className="text-secondary">{t('patient.audit.none')}</p>}
      {entries.length > 0 && (
        <Table responsive size="sm" hover aria-label={t('patient.audit.table')}>
          <thead><tr><th>#</th><th>{t('patient.audit.when')}</th><th>{t('patient.audit.who')}</th><th>{t('patient.audit.did')}</th><th>{t('patient.audit.what')}</th><th>{t('patient.audit.allowed')}</th><th>{t('patient.audit.verification')}</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td className="text-nowrap">{formatTime(e.at)}</td>
                <td><DoctorName address={e.actor} label={t('patient.audit.actorLabel')} /></td>
                <td>{ACTIONS[e.action] ? t(ACTIONS[e.action]) : e.action}</td>
                <td><code title={e.subject}>{shortHash(e.subject)}</code></td>
                <td>{e.allowed ? <Badge bg="success">{t('patient.audit.yes')}</Badge> : <Badge bg="danger">{t('patient.audit.refused')}</Badge>}</td>
                <td><Verify seq={e.seq} /></td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
