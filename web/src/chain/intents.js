// EIP-712 intents of the contract, read from its ABI (src/generated/medchain-abi.json, extracted
// from the forge artifact at build time): each `<name>BySig(struct IntentTypes.X m, ...)`
// function's first input is the intent struct, whose components are the EIP-712 type's fields in
// order. Nothing here is copied by hand, as in the C++ chain/intents.cpp.
import abi from '../generated/medchain-abi.json';

function intentTypesFrom(contractAbi) {
  const out = {};
  for (const item of contractAbi) {
    if (item.type !== 'function' || !item.name.endsWith('BySig')) continue;
    const struct = item.inputs[0];
    const name = struct.internalType.replace(/^struct\s+/, '').split('.').pop();
    out[item.name] = { name, fields: struct.components.map(({ name: field, type }) => ({ name: field, type })) };
  }
  return out;
}

export const INTENTS = intentTypesFrom(abi);
export const CONTRACT_ABI = abi;

// The typed data for eth_signTypedData_v4: domain medchain/1 with the chain id and contract.
export function intentTypedData(fn, { chainId, contract }, message) {
  const intent = INTENTS[fn];
  if (!intent) throw new Error(`the contract has no signed intent ${fn}`);
  const missing = intent.fields.filter((f) => message[f.name] === undefined).map((f) => f.name);
  if (missing.length) throw new Error(`${fn} needs ${missing.join(', ')}`);
  const values = {};
  for (const f of intent.fields) values[f.name] = typeof message[f.name] === 'bigint' ? message[f.name].toString() : message[f.name];
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      [intent.name]: intent.fields,
    },
    primaryType: intent.name,
    domain: { name: 'medchain', version: '1', chainId, verifyingContract: contract },
    message: values,
  };
}
