// Escrow custodians for the end-to-end suites (issue #16): medchaind processes on a `medchain dev`
// chain, each with a custodian key its own account set on chain with the CLI. Shared by the
// emergency escrow suite and the recovery suite.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Wallet } from 'ethers';
import { medchainBinary, repo } from './system.mjs';

const nodeBinary = process.env.MEDCHAIND_BIN ?? join(dirname(medchainBinary), '../medchaind/medchaind');

// Accounts 3 to 5 of the development mnemonic (funded on anvil; public): the custodians, who
// pay for setCustodianKey themselves. medchain dev's own accounts are fresh ones.
export const CUSTODIAN_KEYS = [
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
];

export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

// A custodian node: medchaind on the dev chain's deployment with the custodian key `keyFile`.
async function startCustodian(dev, keyFile, dir) {
  copyFileSync(join(dev.dataDir, 'deployment.json'), join(dir, 'deployment.json'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(nodeBinary, [
    '--listen', `127.0.0.1:${port}`, '--rpc-url', dev.chainUrl, '--data-dir', dir,
    '--artifact', join(repo, 'contracts/out/Medchain.sol/Medchain.json'), '--custodian-key', keyFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`custodian medchaind exited ${child.exitCode}: ${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`custodian medchaind at ${url} never became ready: ${log}`);
}

// Three custodians on `dev`'s chain: each account's key imported into the CLI home `cli` uses,
// a custodian key set on chain by that account, and a node. [{address, url, child, dir}].
export async function startCustodians(dev, cli) {
  const custodians = [];
  for (const [i, key] of CUSTODIAN_KEYS.entries()) {
    const address = new Wallet(key).address;
    const dir = mkdtempSync(join(tmpdir(), `medchain-custodian-${i + 1}-`));
    const keyFile = join(dir, 'custodian.key');
    await cli('keys', 'import', '--private-key', key, '--scrypt-n', '1024');
    await cli('emergency', 'custodian-key', '--out', keyFile, '--rpc-url', dev.chainUrl, '--from', address);
    custodians.push({ address, dir, ...(await startCustodian(dev, keyFile, dir)) });
  }
  return custodians;
}

export async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

export async function stopCustodians(custodians) {
  for (const c of custodians) {
    await stopChild(c.child);
    rmSync(c.dir, { recursive: true, force: true });
  }
}

// Waits until every running custodian has indexed the chain's head: each judges from its own
// index.
export async function custodiansCaughtUp(dev, custodians) {
  const head = Number((await (await fetch(dev.chainUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) })).json()).result);
  for (const c of custodians.filter((c) => c.child.exitCode === null)) {
    for (let i = 0; ; i++) {
      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      const indexed = Number(/^medchaind_indexed_block (\d+)/m.exec(metrics)?.[1] ?? 0);
      if (indexed >= head) break;
      if (i > 150) throw new Error(`custodian ${c.url} is stuck at block ${indexed} of ${head}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
