// Checking a node's audit entry against its on-chain anchor (docs/format.md, "Audit anchors"):
// the entry hash chain link, and the RFC 6962 / RFC 9162 §2.1.3.2 inclusion proof.
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, fromHex, toHex } from './bytes.js';

function u64(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false);
  return out;
}

function text(value) {
  const bytes = new TextEncoder().encode(value);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length, false);
  return concatBytes([length, bytes]);
}

export function entryHash(previousHash, entry) {
  return toHex(sha256(concatBytes([
    fromHex(previousHash), u64(entry.seq), u64(entry.at), fromHex(entry.actor), fromHex(entry.patient),
    new Uint8Array([entry.allowed ? 1 : 0]), text(entry.action), text(entry.subject),
  ])));
}

const leafHash = (hash) => sha256(concatBytes([new Uint8Array([0]), hash]));
const nodeHash = (left, right) => sha256(concatBytes([new Uint8Array([1]), left, right]));

// The RFC 6962 head of leaves (32-byte entry hashes), for tests and for checking a whole batch.
export function merkleRoot(leaves) {
  if (leaves.length === 1) return toHex(leafHash(fromHex(leaves[0])));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return toHex(nodeHash(fromHex(merkleRoot(leaves.slice(0, k))), fromHex(merkleRoot(leaves.slice(k)))));
}

// True when `proof` takes the leaf of `hash` at `index` in a tree of `size` to `root`.
export function verifyInclusion({ hash, index, size, proof, root }) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(fromHex(hash));
  for (const p of proof.map(fromHex)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && equalBytes(r, fromHex(root));
}

// Checks a GET /v1/audit/{seq}/proof answer; `anchorRoot` is the root read from the chain
// (auditRoots(nodeId, toSeq)) when the caller could read it, else the node's anchor is used.
export function checkAuditProof(answer, anchorRoot) {
  const { entry, previousHash, anchor, proof } = answer;
  if (entryHash(previousHash, entry) !== entry.hash) return { ok: false, why: 'the entry does not hash to its hash' };
  const index = entry.seq - anchor.fromSeq;
  const size = anchor.toSeq - anchor.fromSeq + 1;
  const root = anchorRoot ?? anchor.merkleRoot;
  if (!verifyInclusion({ hash: entry.hash, index, size, proof, root })) return { ok: false, why: 'the proof does not lead to the anchored root' };
  return { ok: true, onChain: !!anchorRoot, blockNumber: anchor.blockNumber };
}
