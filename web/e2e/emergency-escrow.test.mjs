// The emergency escrow in the web app (issue #16): a real `medchain dev`, three custodian
// medchaind processes on the same chain (each with a custodian key it set on chain with the
// CLI), and a patient who deals a 2-of-3 escrow in the browser between two records the CLI
// adds (the first one's key wrapped by the browser, the second's by the CLI to the browser's
// policy), then adds a third in the browser. A verified doctor with no grant opens an emergency
// window in the browser and reads all three through custodians 1 and 3 while custodian 2 is
// down, byte for byte, the page naming the one skipped; without the window (before it opens,
// and after it ends) the custodians refuse and there is nothing to read. The patient also keeps
// an emergency summary on a screen of their own (allergies, medications, conditions, blood type),
// which the CLI reads back; the doctor sees it first, above the records, opened through the
// escrow in the window and refused without one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Wallet, concat, keccak256, toUtf8Bytes } from 'ethers';
import { launchChromium, medchainBinary, repo, startDev } from './system.mjs';
import { injectWallet } from './provider.mjs';
import { custodiansCaughtUp, startCustodians, stopChild, stopCustodians } from './custodians.mjs';
import { expectAccessible } from './axe.mjs';
import { siweMessage } from '../src/wallet/siwe.js';

const run = promisify(execFile);
const TIMEOUT = 30000;
const shots = join(repo, 'web/test-results/screenshots');

let dev;
let home;
let browser;
let doctor; // { context, page, errors }
let patient;
let doctorAccount;
let custodians = []; // { address, url, child, dir }
const files = {}; // category -> { recordId, bytes, name }

// `medchain ARGS --json` in the test's home (keys of the patient, the doctor and the custodians).
async function cli(...args) {
  const env = { ...process.env, MEDCHAIN_HOME: home, MEDCHAIN_PASSWORD: 'escrow test password', MEDCHAIN_NODE: dev.url };
  try {
    const { stdout } = await run(medchainBinary, [...args, '--json'], { env, maxBuffer: 64 << 20 });
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch (error) {
    throw new Error(`medchain ${args.join(' ')} exited ${error.code}: ${error.stderr?.trim()}`);
  }
}




// What custodian `c` answers the doctor asking for a partial of `category`'s record, as the
// browser would ask it (signed in there with the doctor's key): status and problem code.
async function askCustodian(c, category) {
  const wallet = new Wallet(doctorAccount.privateKey);
  const node = await (await fetch(`${c.url}/v1/node`)).json();
  const { nonce } = await (await fetch(`${c.url}/v1/auth/nonce`, { method: 'POST' })).json();
  const message = siweMessage({ domain: node.siweDomain, address: wallet.address, chainId: node.chainId, nonce });
  const signIn = await fetch(`${c.url}/v1/auth/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message, signature: await wallet.signMessage(message) }) });
  const { token } = await signIn.json();
  const policy = await cli('emergency', 'escrow', 'show', '--patient', patient.address, '--from', patient.address);
  const escrowKey = await (await fetch(`${dev.url}/v1/records/${files[category].recordId}/versions/1/escrow-key`, { headers: { Authorization: `Bearer ${await patientToken()}` } })).json();
  const response = await fetch(`${c.url}/v1/patients/${patient.address}/escrow-partials`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ recordId: files[category].recordId, version: 1, policyHash: policy.policyHash, wrappedKey: escrowKey.wrappedKey }),
  });
  return { status: response.status, code: (await response.json()).code };
}

// docs/format.md, "Emergency summary": the record id everyone derives from the patient.
const emergencySummaryRecordId = (address) => keccak256(concat([toUtf8Bytes('medchain.emergency-summary'), address]));

let patientSession;
async function patientToken() {
  if (patientSession) return patientSession;
  const wallet = new Wallet(patient.privateKey);
  const node = await (await fetch(`${dev.url}/v1/node`)).json();
  const { nonce } = await (await fetch(`${dev.url}/v1/auth/nonce`, { method: 'POST' })).json();
  const message = siweMessage({ domain: node.siweDomain, address: wallet.address, chainId: node.chainId, nonce });
  const answer = await (await fetch(`${dev.url}/v1/auth/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message, signature: await wallet.signMessage(message) }) })).json();
  patientSession = answer.token;
  return patientSession;
}

// Opens `category`'s record in the doctor's viewer and downloads its attachment; returns the
// viewer and the bytes.
async function readInBrowser(category) {
  const page = doctor.page;
  await page.getByRole('button', { name: new RegExp(`^Open ${category} record`) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Digest matches the chain').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
  const bytes = readFileSync(await download.path());
  return { dialog, bytes };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  dev = await startDev();
  const { chainId } = await (await fetch(`${dev.url}/v1/node`)).json();
  home = mkdtempSync(join(tmpdir(), 'medchain-escrow-home-'));
  patient = dev.account('patient 1');
  doctorAccount = dev.account('doctor 2');
  await cli('keys', 'import', '--dev-account', 'patient 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
  await cli('login', '--from', patient.address);

  // Three custodians: a key each, set on chain by the custodian's own account, and a node.
  custodians = await startCustodians(dev, cli);

  // A record before the escrow (its key wrapped by `escrow set`), the escrow, one after it.
  const add = async (category, name, size) => {
    const bytes = randomBytes(size);
    const path = join(home, name);
    writeFileSync(path, bytes);
    const added = await cli('records', 'add', '--file', path, '--category', category, '--from', patient.address);
    files[category] = { recordId: added.recordId, bytes, name, escrowed: added.escrowed };
  };
  await add('lab', 'before.pdf', 4096);

  // The patient deals the escrow in the browser (EscrowSettings): custodians chosen among the
  // accounts with a key on chain, 2 of 3; the existing record's key is wrapped to it.
  browser = await launchChromium();
  const own = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await injectWallet(own, { privateKey: patient.privateKey, chainUrl: dev.chainUrl, chainId });
  const mine = await own.newPage();
  mine.setDefaultTimeout(TIMEOUT);
  await mine.goto(dev.url);
  await mine.getByRole('button', { name: 'Connect and sign in' }).click();
  await mine.getByRole('button', { name: 'Sign out' }).waitFor();
  await mine.getByRole('link', { name: 'Emergency & guardians' }).click();
  await mine.getByText('No escrow is set').waitFor();
  for (const c of custodians) {
    await mine.getByLabel(`Make ${c.address} a custodian`).check();
    await mine.getByLabel(`URL of ${c.address}'s node`).fill(c.url);
  }
  await mine.getByLabel(/How many must release a key/).fill('2');
  await mine.getByRole('button', { name: 'Set the escrow' }).click();
  await mine.getByText('Escrow set: any 2 of 3 custodians; 1 existing record version wrapped to it').waitFor({ timeout: 60000 });
  await mine.getByText('In force: any 2 of these 3 custodians together.').waitFor();
  await mine.screenshot({ path: join(shots, '22-patient-escrow-settings.png'), fullPage: true });
  await expectAccessible(mine, 'patient: emergency escrow settings');
  // The CLI reads the policy the browser published, checked against the chain, and wraps to it.
  const shown = await cli('emergency', 'escrow', 'show', '--rpc-url', dev.chainUrl, '--from', patient.address);
  assert.equal(shown.chainChecked, true);
  assert.equal(shown.threshold, 2);
  await add('imaging', 'after.pdf', 300000);
  assert.equal(files.imaging.escrowed, true);
  await cli('emergency', 'policy', '--allow', '--from', patient.address);

  // A record the patient adds in the browser after the escrow: the app wraps its key too.
  await mine.getByRole('link', { name: 'Add record' }).click();
  await mine.getByLabel('Category (who may see it depends on this)').selectOption({ label: 'General' });
  await mine.getByLabel('Test or observation').fill('HbA1c');
  await mine.getByLabel('Value').fill('6.1');
  await mine.getByLabel('Unit').fill('%');
  await mine.getByRole('button', { name: 'Encrypt and add record' }).click();
  await mine.getByRole('button', { name: /^Open General record/ }).waitFor();
  // The emergency summary, on its own screen: saved as a version of the record whose id derives
  // from the patient, escrowed, and shown back.
  await mine.getByRole('link', { name: 'Emergency summary' }).click();
  await mine.getByText('No emergency summary yet.').waitFor();
  await mine.getByLabel('Allergies and intolerances').fill('Penicillin\nLatex');
  await mine.getByLabel('Medications you take').fill('Metformin 500 mg');
  await mine.getByLabel('Conditions').fill('Type 2 diabetes');
  await mine.getByLabel('Blood type').selectOption('O-');
  await mine.getByRole('button', { name: 'Save emergency summary' }).click();
  await mine.getByText('Emergency summary saved and escrowed').waitFor({ timeout: 60000 });
  await mine.getByText('Version 1.').waitFor();
  await mine.getByTestId('my-summary-blood-type').getByText('O-').waitFor();
  await mine.screenshot({ path: join(shots, '23-patient-emergency-summary.png'), fullPage: true });
  await expectAccessible(mine, 'patient: emergency summary');
  // The CLI opens what the browser wrote: the same record id, an IPS document stating the facts.
  const summary = await cli('emergency', 'summary', 'show', '--rpc-url', dev.chainUrl, '--from', patient.address);
  assert.equal(summary.recordId, emergencySummaryRecordId(patient.address));
  assert.deepEqual(summary.facts, { allergies: ['Penicillin', 'Latex'], medications: ['Metformin 500 mg'], conditions: ['Type 2 diabetes'], bloodType: 'O-' });
  assert.equal(summary.chainChecked, true);
  const { records } = await (await fetch(`${dev.url}/v1/patients/${patient.address}/records`, { headers: { Authorization: `Bearer ${await patientToken()}` } })).json();
  files.general = { recordId: records.find((r) => r.versions[0].category === 'general' && r.recordId !== emergencySummaryRecordId(patient.address)).recordId };
  const wrappedByTheApp = await fetch(`${dev.url}/v1/records/${files.general.recordId}/versions/1/escrow-key`, { headers: { Authorization: `Bearer ${await patientToken()}` } });
  assert.equal(wrappedByTheApp.status, 200, 'the web app stored no escrow-wrapped key');
  await own.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await injectWallet(context, { privateKey: doctorAccount.privateKey, chainUrl: dev.chainUrl, chainId });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) errors.push(message.text());
  });
  doctor = { context, page, errors };
  await page.goto(dev.url);
  await page.getByRole('button', { name: 'Connect and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
});

after(async () => {
  await browser?.close();
  await stopCustodians(custodians);
  await dev?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the emergency escrow in the browser', { concurrency: false }, () => {
  test('without a window the doctor has nothing to read and the custodians refuse', async () => {
    const page = doctor.page;
    await page.goto(`${dev.url}/#/doctor/patient/${patient.address}`);
    await page.getByText("You have no access to this patient's records.").waitFor();
    await page.getByText('No records you may read.').waitFor();
    await page.getByText("You may not read this patient's emergency summary: no grant of general records and no emergency window.").waitFor();
    for (const c of custodians) assert.deepEqual(await askCustodian(c, 'lab'), { status: 403, code: 'no_emergency_window' });
  });

  test('with a window open and custodian 2 down, both records open byte for byte through custodians 1 and 3', async () => {
    const page = doctor.page;
    await stopChild(custodians[1].child);
    await page.getByRole('button', { name: 'Emergency access…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').selectOption({ label: 'Life-threatening condition' });
    await dialog.getByLabel('I understand').check();
    await dialog.getByRole('button', { name: 'Open emergency access' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Open Lab results record/ }).waitFor();
    await custodiansCaughtUp(dev, custodians);

    // The emergency summary comes first, above the records, opened through the escrow.
    await page.reload();
    const summary = page.getByRole('region', { name: 'Emergency summary' });
    await summary.getByRole('button', { name: 'Open the emergency summary' }).click();
    await summary.getByRole('list', { name: 'Allergies' }).getByText('Penicillin').waitFor();
    await summary.getByText('Opened through the emergency escrow (2 of 3 custodians).').waitFor();
    assert.equal(await summary.getByTestId('emergency-summary-blood-type').innerText(), 'O-');
    assert.deepEqual(await summary.getByRole('list', { name: 'Medications' }).getByRole('listitem').allInnerTexts(), ['Metformin 500 mg']);
    const records = page.getByRole('heading', { name: 'Records you may read' });
    assert.ok((await summary.boundingBox()).y < (await records.boundingBox()).y, 'the emergency summary is not above the records');
    await page.screenshot({ path: join(shots, '24-doctor-emergency-summary.png') });

    for (const [category, label] of [['lab', 'Lab results'], ['imaging', 'Imaging']]) {
      const { dialog: viewer, bytes } = await readInBrowser(label);
      assert.ok(bytes.equals(files[category].bytes), `${category}: the bytes read through the escrow differ`);
      await viewer.getByText('Opened through the emergency escrow (2 of 3 custodians).').waitFor();
      const skipped = viewer.getByRole('list', { name: 'Custodians skipped' }).getByRole('listitem');
      assert.equal(await skipped.count(), 1);
      assert.match(await skipped.first().innerText(), new RegExp(`at ${custodians[1].url} was skipped: The node is unreachable`));
      if (category === 'imaging') {
        await page.screenshot({ path: join(shots, '21-doctor-emergency-escrow.png') });
        await expectAccessible(page, 'doctor: a record opened through the emergency escrow');
      }
      await viewer.getByRole('button', { name: 'Close' }).first().click();
      await viewer.waitFor({ state: 'detached' });
    }
    // The observation the patient's browser wrapped opens the same way.
    await page.getByRole('button', { name: /^Open General record/ }).click();
    const viewer = page.getByRole('dialog');
    await viewer.getByText('Opened through the emergency escrow (2 of 3 custodians).').waitFor();
    await viewer.getByText('HbA1c').first().waitFor();
    await viewer.getByRole('button', { name: 'Close' }).first().click();
  });

  test('after the window ends the records are gone and the custodians refuse again', async () => {
    await cli('keys', 'import', '--dev-account', 'doctor 2', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
    await cli('login', '--from', doctorAccount.address);
    await cli('emergency', 'close', '--patient', patient.address, '--from', doctorAccount.address);
    await custodiansCaughtUp(dev, custodians);
    const page = doctor.page;
    await page.reload();
    await page.getByText('No records you may read.').waitFor();
    await page.getByText("You may not read this patient's emergency summary: no grant of general records and no emergency window.").waitFor();
    for (const c of [custodians[0], custodians[2]]) assert.deepEqual(await askCustodian(c, 'imaging'), { status: 403, code: 'no_emergency_window' });
    assert.deepEqual(doctor.errors, []);
  });
});
