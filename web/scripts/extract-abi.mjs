// Copies the contract's ABI out of the forge artifact (built by contracts/scripts/build) into
// src/generated/, so the EIP-712 intent types are read from the ABI's *BySig struct inputs at
// build time rather than copied by hand (the C++ side does the same in chain/intents.cpp).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const artifact = resolve(here, '../../contracts/out/Medchain.sol/Medchain.json');
const target = resolve(here, '../src/generated/medchain-abi.json');

let abi;
try {
  abi = JSON.parse(readFileSync(artifact, 'utf8')).abi;
} catch (error) {
  console.error(`web: cannot read ${artifact} (run contracts/scripts/build): ${error.message}`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify(abi));
