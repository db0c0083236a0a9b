import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { merkleRoot, verifyInclusion, entryHash } from './auditProof.js';
import { toHex } from './bytes.js';

// docs/format.md, "Audit anchors": an anchor of entries 1..3 hashed SHA-256("entry i").
const h = (s) => toHex(sha256(new TextEncoder().encode(s)));
const leaves = [h('entry 1'), h('entry 2'), h('entry 3')];
const ROOT = '0xcce0098e73bb0ba1ba388e1a3c5f44a3cafb2059de19a00fea110a01fc1b4c02';
const PROOF = ['0x29b8dfcc80825109c77dd99a8950b1190f0b65cc2d876012a40e810662cb023d', '0x24665e3a9be096bd4b2d43cdc2dbfeeee189a43ef69bb6fc9ca893e0162b97b9'];

describe('audit anchors (docs/format.md vector)', () => {
  it('computes the documented leaves and root', () => {
    expect(leaves[0]).toBe('0xa8e1776584a85cc42b07c3852ba3991dcc68651c69ee859907e12ffe5bf0467a');
    expect(merkleRoot(leaves)).toBe(ROOT);
  });

  it('accepts the documented proof and refuses a wrong index, size or root', () => {
    expect(verifyInclusion({ hash: leaves[1], index: 1, size: 3, proof: PROOF, root: ROOT })).toBe(true);
    expect(verifyInclusion({ hash: leaves[1], index: 0, size: 3, proof: PROOF, root: ROOT })).toBe(false);
    expect(verifyInclusion({ hash: leaves[1], index: 1, size: 5, proof: PROOF, root: ROOT })).toBe(false);
    expect(verifyInclusion({ hash: leaves[0], index: 1, size: 3, proof: PROOF, root: ROOT })).toBe(false);
    expect(verifyInclusion({ hash: leaves[1], index: 3, size: 3, proof: PROOF, root: ROOT })).toBe(false);
  });

  it('hashes an entry into the chain deterministically and over every field', () => {
    const entry = { seq: 0, at: 1700000000, actor: '0x' + '11'.repeat(20), patient: '0x' + '22'.repeat(20), allowed: true, action: 'blob.read', subject: '0xabc' };
    const zero = '0x' + '00'.repeat(32);
    expect(entryHash(zero, entry)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(entryHash(zero, { ...entry, allowed: false })).not.toBe(entryHash(zero, entry));
    expect(entryHash(zero, { ...entry, seq: 1 })).not.toBe(entryHash(zero, entry));
  });
});
