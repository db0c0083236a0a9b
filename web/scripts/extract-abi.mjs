// Copies the contracts' ABIs out of the forge artifacts (built by contracts/scripts/build) into
// src/generated/, so the EIP-712 intent types are read from the ABI's *BySig struct inputs at
// build time rather than copied by hand (the C++ side does the same in chain/intents.cpp).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Medchain, and Recovery (the lost-wallet recovery contract Medchain.recovery() names).
const contracts = [
  ['Medchain.sol/Medchain.json', 'medchain-abi.json'],
  ['Recovery.sol/Recovery.json', 'recovery-abi.json'],
];

for (const [artifactPath, targetName] of contracts) {
  const artifact = resolve(here, '../../contracts/out', artifactPath);
  const target = resolve(here, '../src/generated', targetName);
  let abi;
  try {
    abi = JSON.parse(readFileSync(artifact, 'utf8')).abi;
  } catch (error) {
    console.error(`web: cannot read ${artifact} (run contracts/scripts/build): ${error.message}`);
    process.exit(1);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(abi));
}
