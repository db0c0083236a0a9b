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

const ACTIONS = { 'blob.read': 'downloaded', 'key.read': 'fetched a key', 'blob.write': 'uploaded', 'record.read': 'opened', 'key.share': 'shared a key', 'request.reason': 'left a sealed reason' };
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
      setState({ error: error.code === 'not_anchored' ? 'not anchored yet' : error.message });
    }
  }
  if (!state) return <Button size="sm" variant="outline-secondary" onClick={run} aria-label={`Verify entry ${seq}`}>Verify</Button>;
  if (state.busy) return <span className="small text-secondary">checking…</span>;
  if (state.error) {
    return (
      <Button size="sm" variant="outline-secondary" onClick={run} title={state.error} aria-label={`Entry ${seq}: ${state.error}; check again`}>
        {state.error.length > 30 ? 'cannot check' : state.error} · again
      </Button>
    );
  }
  if (!state.ok) return <Badge bg="danger" title={state.why}>does not verify</Badge>;
  return <Badge bg="success" title={`anchor in block ${state.blockNumber}`}>{state.onChain ? 'anchored on chain' : "matches the node's anchor"}</Badge>;
}

export default function AuditTab({ patient }) {
  const { api } = useSession();
  const { data, error, loading } = useLoad(() => api.get(`/v1/audit?patient=${patient}&limit=1000`), [patient]);
  const entries = [...(data?.entries ?? [])].reverse();
  return (
    <>
      <h2 className="fs-5">Who saw what, when</h2>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading the audit trail" />}
      {data && entries.length === 0 && <p className="text-secondary">Nobody has accessed your records yet.</p>}
      {entries.length > 0 && (
        <Table responsive size="sm" hover aria-label="Audit trail">
          <thead><tr><th>#</th><th>When</th><th>Who</th><th>Did</th><th>What</th><th>Allowed</th><th>Verification</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td className="text-nowrap">{formatTime(e.at)}</td>
                <td><DoctorName address={e.actor} label="actor" /></td>
                <td>{ACTIONS[e.action] ?? e.action}</td>
                <td><code title={e.subject}>{shortHash(e.subject)}</code></td>
                <td>{e.allowed ? <Badge bg="success">yes</Badge> : <Badge bg="danger">refused</Badge>}</td>
                <td><Verify seq={e.seq} /></td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
