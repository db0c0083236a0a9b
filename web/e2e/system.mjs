// The system under test: a real `medchain dev` (anvil, the contract, demo accounts, medchaind
// serving web/dist) on free loopback ports in a throwaway data directory, and Debian's chromium.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const medchainBinary = process.env.MEDCHAIN_BIN ?? join(repo, 'build/release/apps/medchain/medchain');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitFor(url, child, seconds) {
  for (let i = 0; i < seconds * 10; i++) {
    if (child.exitCode !== null) throw new Error(`medchain dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

// `args`: more options of `medchain dev` (say ['--nodes', '3']); `nodeUrls` lists every node
// it started, node 1 (`url`, which serves the web app) first.
export async function startDev({ args = [] } = {}) {
  if (!existsSync(medchainBinary)) throw new Error(`${medchainBinary} is missing: build the release preset first`);
  if (!existsSync(join(repo, 'web/dist/index.html'))) throw new Error('web/dist is missing: run npm run build in web/');
  const dataDir = mkdtempSync(join(tmpdir(), 'medchain-e2e-'));
  // With several nodes one keeps its index on PostgreSQL, whose server runs as the postgres user
  // when the tests run as root: it must be able to pass through (not list) the data directory.
  if (args.includes('--nodes')) chmodSync(dataDir, 0o711);
  const chainPort = await freePort();
  const nodePort = await freePort();
  const child = spawn(medchainBinary, ['dev', '--data-dir', dataDir, '--chain-port', String(chainPort), '--node-port', String(nodePort), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${nodePort}`;
  try {
    // Demo accounts are written once the node answers and the parties are registered.
    await waitFor(`${url}/readyz`, child, 120);
    for (let i = 0; i < 100 && !output.includes('Press Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 100));
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${error.message}\n${output}`);
  }
  const { accounts } = JSON.parse(readFileSync(join(dataDir, 'dev-accounts.json'), 'utf8'));
  const account = (label) => accounts.find((a) => a.label === label);
  const nodeUrls = [...output.matchAll(/^ {2}node(?: \d)? +(http:\/\/127\.0\.0\.1:\d+)/gm)].map((m) => m[1]);
  return {
    url,
    nodeUrls,
    chainUrl: `http://127.0.0.1:${chainPort}`,
    dataDir,
    account,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
