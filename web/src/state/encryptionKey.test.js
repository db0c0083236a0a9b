// Which derivation the app uses: the one whose key the chain holds (docs/format.md,
// "Encryption key"), over a wallet that signs like the built-in one and an in-memory chain.
import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { FORMAT_1, format2, toHex, walletEncryptionKey } from '../crypto/index.js';
import { accountEncryptionKey } from './encryptionKey.js';

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
