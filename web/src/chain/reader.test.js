import { describe, expect, it } from 'vitest';
import { Interface, Wallet, hexlify, randomBytes, zeroPadValue } from 'ethers';
import abi from '../generated/medchain-abi.json';
import { chainReader, pinContract } from './reader.js';
import { categoryStatedBy, statedVersion, checkedDoctorKey, checkedPatientKey, checkedVersion, readsOnChain, requireChain } from './verify.js';
import { categoryTypedData } from './categoryStatement.js';

const contract = new Interface(abi);
const CONTRACT = Wallet.createRandom().address;
const node = { chainId: 31337, contract: CONTRACT };
const bytes32 = () => hexlify(randomBytes(32));

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
}

// A JSON-RPC endpoint over a tiny in-memory contract state, answering as a node of `chainId`.
function fakeChain({ chainId = 31337, patientKeys = {}, doctors = {}, guardians = [], logs = [] } = {}) {
  const seen = [];
  const rpc = async (method, params) => {
    seen.push(method);
    if (method === 'eth_chainId') return `0x${chainId.toString(16)}`;
    if (method === 'eth_getCode') return '0x6080';
    if (method === 'eth_getLogs') return logs.filter((l) => params[0].topics.every((t, i) => l.topics[i] === t));
    const call = contract.parseTransaction({ data: params[0].data });
    switch (call.name) {
      case 'eip712Domain':
        return contract.encodeFunctionResult('eip712Domain', ['0x0f', 'medchain', '1', chainId, CONTRACT, `0x${'0'.repeat(64)}`, []]);
      case 'patientKeys':
        return contract.encodeFunctionResult('patientKeys', [patientKeys[call.args[0]] ?? `0x${'0'.repeat(64)}`]);
      case 'doctors': {
        const d = doctors[call.args[0]] ?? { status: 0, key: `0x${'0'.repeat(64)}` };
        return contract.encodeFunctionResult('doctors', [d.status, `0x${'0'.repeat(64)}`, d.key]);
      }
      case 'isGuardian':
        return contract.encodeFunctionResult('isGuardian', [guardians.includes(call.args[1])]);
      case 'canRead':
        return contract.encodeFunctionResult('canRead', [Boolean(doctors[call.args[1]]?.reads?.includes(Number(call.args[2])))]);
      default:
        throw new Error(`unexpected call ${call.name}`);
    }
  };
  return { rpc, seen };
}

function recordLog(name, values) {
  const { data, topics } = contract.encodeEventLog(name, values);
  return { address: CONTRACT, data, topics, blockNumber: '0x1', transactionHash: bytes32(), logIndex: '0x0', blockHash: bytes32(), transactionIndex: '0x0', removed: false };
}

describe('the chain reader', () => {
  it('refuses a provider on another chain than the node declares', async () => {
    const { rpc } = fakeChain({ chainId: 1 });
    await expect(chainReader(rpc, node, memoryStorage()).patientKey(CONTRACT)).rejects.toThrow(/chain 1, but the node serves chain 31337/);
  });

  it('pins the first contract named for a chain and refuses another one later', () => {
    const storage = memoryStorage();
    expect(pinContract(31337, CONTRACT, storage, '')).toBe(CONTRACT);
    expect(pinContract(31337, CONTRACT.toLowerCase(), storage, '')).toBe(CONTRACT);
    const other = Wallet.createRandom().address;
    expect(() => pinContract(31337, other, storage, '')).toThrow(/this browser trusts/);
    expect(pinContract(1, other, storage, '')).toBe(other); // another chain, another pin
    expect(() => pinContract(5, other, memoryStorage(), CONTRACT)).toThrow(/this browser trusts/); // the build's pin wins
  });

  it("reads keys from the contract and versions from the record's events", async () => {
    const patient = Wallet.createRandom().address;
    const doctor = Wallet.createRandom().address;
    const [patientKey, doctorKey, recordId, d1, d2] = [bytes32(), bytes32(), bytes32(), bytes32(), bytes32()];
    const logs = [
      recordLog('RecordAdded', [recordId, patient, patient, d1, bytes32(), d1, bytes32()]),
      recordLog('RecordUpdated', [recordId, patient, doctor, 2, d1, d2, bytes32(), d2, bytes32()]),
      recordLog('RecordAdded', [bytes32(), patient, patient, bytes32(), bytes32(), bytes32(), bytes32()]),
    ];
    const { rpc } = fakeChain({ patientKeys: { [patient]: patientKey }, doctors: { [doctor]: { status: 1, key: doctorKey, reads: [1] } }, logs });
    const chain = chainReader(rpc, node, memoryStorage());
    expect(await chain.patientKey(patient)).toBe(patientKey);
    expect(await chain.patientKey(doctor)).toBe(null);
    expect(await chain.doctor(doctor)).toEqual({ verified: true, encryptionKey: doctorKey });
    expect(await chain.recordVersion(recordId, 1)).toEqual({ digest: d1, author: patient });
    expect(await chain.recordVersion(recordId, 2)).toEqual({ digest: d2, author: doctor });
    expect(await chain.recordVersion(recordId, 3)).toBe(null);
    expect(zeroPadValue(recordId, 32)).toBe(recordId);
  });

  it("reads a request's reason hash from its AccessRequested event, by the decimal id the node lists", async () => {
    const patient = Wallet.createRandom().address;
    const doctor = Wallet.createRandom().address;
    const requestId = (7n << 160n) | BigInt(doctor); // the doctor's address in the low 160 bits
    const [reasonHash, otherHash] = [bytes32(), bytes32()];
    const logs = [
      recordLog('AccessRequested', [requestId + (1n << 160n), patient, doctor, 2, 1, 3600, otherHash]),
      recordLog('AccessRequested', [requestId, patient, doctor, 2, 1, 3600, reasonHash]),
    ];
    const chain = chainReader(fakeChain({ logs }).rpc, node, memoryStorage());
    expect(await chain.requestReasonHash(requestId.toString())).toBe(reasonHash);
    expect(await chain.requestReasonHash((requestId + 2n).toString())).toBe(null);
  });
});

describe("a patient's guardians, from the chain", () => {
  it('names those a GuardianAdded named for the patient whom isGuardian still confirms', async () => {
    const [patient, other, kept, removed, elsewhere] = Array.from({ length: 5 }, () => Wallet.createRandom().address);
    const logs = [
      recordLog('GuardianAdded', [patient, kept]),
      recordLog('GuardianAdded', [patient, removed]),
      recordLog('GuardianRemoved', [patient, removed]),
      recordLog('GuardianAdded', [patient, kept]),
      recordLog('GuardianAdded', [other, elsewhere]),
    ];
    const { rpc } = fakeChain({ guardians: [kept, elsewhere], logs });
    expect(await chainReader(rpc, node, memoryStorage()).guardians(patient)).toEqual([kept]);
  });
});

describe("the node's answers checked against the chain", () => {
  const patient = Wallet.createRandom().address;
  const doctor = Wallet.createRandom().address;
  const [patientKey, doctorKey, recordId, digest] = [bytes32(), bytes32(), bytes32(), bytes32()];
  const chain = chainReader(
    fakeChain({
      patientKeys: { [patient]: patientKey },
      doctors: { [doctor]: { status: 1, key: doctorKey, reads: [2] } },
      logs: [recordLog('RecordAdded', [recordId, patient, patient, digest, bytes32(), digest, bytes32()])],
    }).rpc,
    node,
    memoryStorage(),
  );

  it('accepts the keys the chain holds and refuses swapped ones', async () => {
    expect(await checkedPatientKey(chain, patient, patientKey.toUpperCase().replace('0X', '0x'))).toBe(patientKey);
    await expect(checkedPatientKey(chain, patient, bytes32())).rejects.toThrow(/another encryption key for patient .* refused, nothing was sent/);
    await expect(checkedPatientKey(chain, doctor, bytes32())).rejects.toThrow(/not registered on chain/);
    expect(await checkedDoctorKey(chain, doctor, doctorKey)).toBe(doctorKey);
    await expect(checkedDoctorKey(chain, doctor, patientKey)).rejects.toThrow(/another encryption key for doctor/);
    await expect(checkedDoctorKey(chain, patient, patientKey)).rejects.toThrow(/not verified on chain/);
    expect(await readsOnChain(chain, patient, doctor, 'lab')).toBe(false);
    expect(await readsOnChain(chain, patient, doctor, 'imaging')).toBe(true);
  });

  it("accepts a version whose digest and author are the chain's, and refuses any other", async () => {
    expect(await checkedVersion(chain, recordId, { version: 1, digest, author: patient })).toEqual({ digest, author: patient });
    await expect(checkedVersion(chain, recordId, { version: 1, digest: bytes32(), author: patient })).rejects.toThrow(/digest for version 1 .* not the chain's/);
    await expect(checkedVersion(chain, recordId, { version: 1, digest, author: doctor })).rejects.toThrow(/another author/);
    await expect(checkedVersion(chain, recordId, { version: 2, digest, author: patient })).rejects.toThrow(/not on the chain/);
  });

  it('refuses to go on without a way to read the chain', () => {
    expect(() => requireChain({ chain: null })).toThrow(/cannot check the node against the chain/);
  });
});

describe("a version's category statement checked against the chain", () => {
  const [patient, author, guardian, outsider] = [0, 1, 2, 3].map(() => Wallet.createRandom());
  const [recordId, digest] = [bytes32(), bytes32()];
  const chain = chainReader(
    fakeChain({ guardians: [guardian.address], logs: [recordLog('RecordAdded', [recordId, patient.address, author.address, digest, bytes32(), digest, bytes32()])] }).rpc,
    node,
    memoryStorage(),
  );
  const stated = (by, category, over = digest) => {
    const { domain, types: { EIP712Domain: _d, ...types }, message } = categoryTypedData({ chainId: node.chainId, contract: CONTRACT }, { patient: patient.address, digest: over, category });
    return by.signTypedData(domain, types, message);
  };
  const listed = async (by, category = 'lab', over = digest) => ({ version: 1, digest, category: 'lab', categorySignature: await stated(by, category, over) });

  it('is read under the checked deployment', async () => {
    expect(await chain.deployment()).toEqual({ chainId: 31337, contract: CONTRACT });
  });

  it("accepts the category the version's author, the patient or a guardian stated", async () => {
    for (const by of [author, patient, guardian]) expect(await statedVersion(chain, patient.address, recordId, await listed(by))).toEqual({ digest, author: author.address });
    const role = async (by) => (await categoryStatedBy(chain, patient.address, recordId, await listed(by)))?.by;
    expect([await role(patient), await role(author), await role(guardian), await role(outsider)]).toEqual(['patient', 'author', 'guardian', undefined]);
  });

  it('refuses a relabelled, unsigned or foreign statement, or one over another digest', async () => {
    expect(await statedVersion(chain, patient.address, recordId, await listed(author, 'mental-health'))).toBeNull();
    expect(await statedVersion(chain, patient.address, recordId, await listed(outsider))).toBeNull();
    expect(await statedVersion(chain, patient.address, recordId, await listed(author, 'lab', bytes32()))).toBeNull();
    expect(await statedVersion(chain, patient.address, recordId, { version: 1, digest, category: 'lab', categorySignature: null })).toBeNull();
    expect(await statedVersion(chain, patient.address, recordId, { ...(await listed(author)), version: 2 })).toBeNull();
  });
});
