// Which derivation the app uses: the one whose key the chain holds (docs/format.md,
// "Encryption key"), over a wallet that signs like the built-in one and an in-memory chain.
import { describe, expect, it } from 'vitest';
import { Wallet, hexlify, randomBytes } from 'ethers';
import { FORMAT_1, format2, fromHex, newContentKey, openContentKey, sealContentKey, toHex, walletEncryptionKey } from '../crypto/index.js';
import { accountEncryptionKey, rotateEncryptionKey } from './encryptionKey.js';

const deployment = { chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };

function signer() {
  const wallet = Wallet.createRandom();
  const signed = [];
  return {
    address: wallet.address,
    signed, // the generations the user was asked to sign, in order
    signTypedData: (typed) => {
      signed.push(typed.domain.version === '1' ? 'format 1' : `generation ${typed.message.generation}`);
      const { EIP712Domain: _domain, ...types } = typed.types;
      return wallet.signTypedData(typed.domain, types, typed.message);
    },
  };
}

function chainHolding(patientKey, rotations = 0) {
  return {
    deployment: async () => deployment,
    keyRotations: async () => rotations,
    patientKey: async () => patientKey,
    doctor: async () => ({ verified: false, encryptionKey: `0x${'0'.repeat(64)}` }),
  };
}

const keyOf = async (wallet, derivation) => toHex((await walletEncryptionKey(wallet, derivation)).publicKey);

describe('the account encryption key', () => {
  it('registers with format 2, generation 0, bound to the deployment read', async () => {
    const wallet = signer();
    const pair = await accountEncryptionKey({ wallet, chain: chainHolding(null) });
    expect(pair.derivation).toEqual(format2(deployment, 0));
    expect(toHex(pair.publicKey)).toBe(await keyOf(wallet, format2(deployment, 0)));
  });

  it("derives the generation the patient's rotations count, with one signature", async () => {
    const wallet = signer();
    const onChain = await keyOf(wallet, format2(deployment, 2));
    wallet.signed.length = 0;
    const pair = await accountEncryptionKey({ wallet, chain: chainHolding(onChain, 2) });
    expect(pair.derivation.generation).toBe(2);
    expect(wallet.signed).toEqual(['generation 2']);
  });

  it('still derives a format 1 key registered before format 2', async () => {
    const wallet = signer();
    const pair = await accountEncryptionKey({ wallet, chain: chainHolding(await keyOf(wallet, FORMAT_1)) });
    expect(pair.derivation).toEqual(FORMAT_1);
  });

  it('says so when the key on chain is none of its derivations', async () => {
    const wallet = signer();
    const elsewhere = await keyOf(wallet, format2({ ...deployment, chainId: 1 }, 0));
    await expect(accountEncryptionKey({ wallet, chain: chainHolding(elsewhere) })).rejects.toThrow(
      /Your derived encryption key is not the one on chain: the chain holds 0x[0-9a-f]{64}/,
    );
  });
});

describe('rotating the encryption key', () => {
  const bytes32 = () => hexlify(randomBytes(32));
  const version = (n) => ({ version: n, digest: bytes32() });

  // A node holding the patient's copies: `copies` maps a version path to its sealed key.
  function node(patient, recordId, versions, copies) {
    const sent = [];
    return {
      sent,
      get: async (path) => {
        if (path === `/v1/patients/${patient}/records`) return { records: [{ recordId, versions }] };
        if (path === `/v1/accounts/${patient}/nonce`) return { nonce: '0' };
        const copy = copies[path.replace(/\/key$/, '')];
        if (!copy) throw Object.assign(new Error('not found'), { status: 404 });
        return { sealedKey: copy };
      },
      put: async (path, body) => sent.push({ put: path, keys: body.keys }),
      post: async (path, body) => sent.push({ post: path, function: body.function, message: body.message }),
    };
  }

  it('re-seals the copies not yet moved, leaves the moved ones, then relays the rotation', async () => {
    const wallet = signer();
    const current = { ...(await walletEncryptionKey(wallet, format2(deployment, 0))), derivation: format2(deployment, 0) };
    const next = await walletEncryptionKey(wallet, format2(deployment, 1));
    const recordId = bytes32();
    const versions = [version(1), version(2), version(3)];
    const contentKeys = [await newContentKey(), await newContentKey()];
    const at = (v) => `/v1/records/${recordId}/versions/${v.version}`;
    const binding = (v) => ({ recordId, version: v.version, digest: v.digest });
    const copies = {
      [at(versions[0])]: toHex(await sealContentKey(contentKeys[0], binding(versions[0]), current.publicKey)),
      [at(versions[1])]: toHex(await sealContentKey(contentKeys[1], binding(versions[1]), next.publicKey)), // an interrupted run's
    }; // version 3 has no copy of the patient's
    const api = node(wallet.address, recordId, versions, copies);
    const chain = chainHolding(toHex(current.publicKey));
    const result = await rotateEncryptionKey({ api, wallet, chain, node: { chainId: deployment.chainId, contract: deployment.contract } }, current);
    expect(result).toMatchObject({ resealed: 1, alreadySealed: 1 });
    expect(result.pair.derivation).toEqual(format2(deployment, 1));
    const [put, post] = api.sent;
    expect(put.put).toBe(`${at(versions[0])}/keys`);
    expect(put.keys).toHaveLength(1);
    expect(put.keys[0].recipient).toBe(wallet.address);
    expect(await openContentKey(fromHex(put.keys[0].sealedKey), binding(versions[0]), next)).toEqual(contentKeys[0]);
    expect(post).toMatchObject({ post: '/v1/relay', function: 'rotatePatientKeyBySig' });
    expect(post.message.encryptionKey).toBe(toHex(next.publicKey));
    expect(api.sent).toHaveLength(2);
  });

  it('tells the chain nothing when a copy opens with neither key', async () => {
    const wallet = signer();
    const current = { ...(await walletEncryptionKey(wallet, format2(deployment, 0))), derivation: format2(deployment, 0) };
    const recordId = bytes32();
    const v = version(1);
    const stranger = await walletEncryptionKey(signer(), FORMAT_1);
    const copies = { [`/v1/records/${recordId}/versions/1`]: toHex(await sealContentKey(await newContentKey(), { recordId, ...v }, stranger.publicKey)) };
    const api = node(wallet.address, recordId, [v], copies);
    await expect(
      rotateEncryptionKey({ api, wallet, chain: chainHolding(toHex(current.publicKey)), node: { chainId: deployment.chainId, contract: deployment.contract } }, current),
    ).rejects.toThrow(/does not open .*nothing rotated/);
    expect(api.sent).toEqual([]);
  });
});
