// Interoperability of the web app and the `medchain` CLI against one `medchain dev`: a record the
// browser encrypts is read byte for byte by the CLI, a record the CLI encrypts opens in the
// browser with the same content, and a version added in the browser is read by `records get
// --version`. The CLI uses the same demo patient's key, imported into a throwaway home.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchChromium, medchainBinary, repo, startDev } from './system.mjs';
import { injectWallet } from './provider.mjs';
import { axeSummary, expectAccessible } from './axe.mjs';

const run = promisify(execFile);
const TIMEOUT = 30000;
const shots = join(repo, 'web/test-results/screenshots');

let dev;
let browser;
let page;
let patient;
let home;
const pageErrors = [];

// Runs `medchain ARGS --json` as the patient; resolves to its JSON, or fails with its stderr.
async function cli(...args) {
  const env = { ...process.env, MEDCHAIN_HOME: home, MEDCHAIN_PASSWORD: 'interop test password', MEDCHAIN_NODE: dev.url };
  try {
    const { stdout } = await run(medchainBinary, [...args, '--json'], { env, maxBuffer: 64 << 20 });
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch (error) {
    throw new Error(`medchain ${args.join(' ')} exited ${error.code}: ${error.stderr?.trim()}`);
  }
}

// `records get` into a file; resolves to the bytes it wrote.
async function cliGet(recordId, ...more) {
  const out = join(home, `out-${Math.random().toString(16).slice(2)}`);
  await cli('records', 'get', recordId, '-o', out, ...more);
  return readFileSync(out);
}

async function cliRecords() {
  return (await cli('records', 'list')).records;
}

// A small PNG drawn by the browser itself, a mark in the given colour.
async function drawPng(mark) {
  return Buffer.from(
    await page.evaluate((mark) => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
      const g = canvas.getContext('2d');
      g.fillStyle = '#246';
      g.fillRect(0, 0, 64, 48);
      g.fillStyle = mark;
      g.fillRect(8, 8, 20, 30);
      return canvas.toDataURL('image/png').split(',')[1];
    }, mark),
    'base64',
  );
}

async function openRecord(name) {
  await page.getByRole('link', { name: 'Records' }).click();
  await page.getByRole('button', { name }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Digest matches the chain').waitFor();
  return dialog;
}

async function closeDialog() {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5000 }).catch(async (e) => {
    await page.screenshot({ path: '/tmp/interop-fail.png' });
    throw e;
  });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  dev = await startDev();
  const { chainId } = await (await fetch(`${dev.url}/v1/node`)).json();
  patient = dev.account('patient 1');
  home = mkdtempSync(join(tmpdir(), 'medchain-interop-home-'));
  await cli('keys', 'import', '--dev-account', 'patient 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
  await cli('login', '--node', dev.url);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await injectWallet(context, { privateKey: patient.privateKey, chainUrl: dev.chainUrl, chainId });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(dev.url);
  await page.getByRole('button', { name: 'Connect and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
});

after(async () => {
  console.log(axeSummary());
  await browser?.close();
  await dev?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (process.env.MEDCHAIN_UPDATE_UI_DOCS) {
    mkdirSync(join(repo, 'docs/ui'), { recursive: true });
    copyFileSync(join(shots, '15-record-versions.png'), join(repo, 'docs/ui/15-record-versions.png'));
  }
});

describe('the browser and the CLI read each other\'s records', { concurrency: false }, () => {
  let png;
  let browserFile; // the record id of the PNG the browser added

  test('an observation and a PNG added in the browser are read by the CLI', async () => {
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Test or observation').fill('Serum potassium');
    await page.getByLabel('Value').fill('4.2');
    await page.getByLabel('Unit').fill('mmol/L');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Lab results record/ }).waitFor();

    png = await drawPng('#fc0');
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Kind of record').selectOption('file');
    await page.getByTestId('file-input').setInputFiles({ name: 'hand.png', mimeType: 'image/png', buffer: png });
    await page.getByLabel('Description').fill('Hand X-ray');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Imaging record/ }).waitFor();

    const records = await cliRecords();
    const byCategory = (c) => records.find((r) => r.versions.at(-1).category === c);
    const lab = byCategory('lab');
    browserFile = byCategory('imaging').recordId;
    assert.ok(lab && browserFile, `the CLI lists both records: ${JSON.stringify(records)}`);

    // The file's bytes come back exactly; the observation as the resource the browser wrote.
    assert.deepEqual(await cliGet(browserFile), png);
    const observation = JSON.parse((await cliGet(lab.recordId)).toString('utf8'));
    assert.equal(observation.resourceType, 'Observation');
    assert.equal(observation.code.text, 'Serum potassium');
    assert.deepEqual(observation.valueQuantity, { value: 4.2, unit: 'mmol/L' });
    assert.equal(observation.subject.reference.toLowerCase().includes(patient.address.slice(2).toLowerCase()), true);
    // Field for field the resource the browser itself shows and downloads.
    const dialog = await openRecord(/Open Lab results record/);
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
    assert.deepEqual(JSON.parse(Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8')), observation);
    await closeDialog();
  });

  test('a file and a FHIR resource added by the CLI open in the browser with the same content', async () => {
    // Over one 64 KiB chunk, so the envelope has several.
    const rows = Array.from({ length: 12000 }, (_, i) => `${i * 4},${Math.round(1000 * Math.sin(i / 9))}`);
    const bytes = Buffer.from(`t_ms,uV\n${rows.join('\n')}\n`);
    const file = join(home, 'ecg.csv');
    writeFileSync(file, bytes);
    const added = await cli('records', 'add', '--file', file, '--content-type', 'text/csv', '--title', 'ecg.csv', '--category', 'clinical-note');
    assert.equal(added.version, 1);
    assert.ok(added.keysSealedTo.includes(patient.address), JSON.stringify(added));

    const resource = {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      code: { text: 'Peanuts' },
      patient: { reference: `Patient/${patient.address}` },
      criticality: 'high',
    };
    const resourceFile = join(home, 'allergy.json');
    writeFileSync(resourceFile, JSON.stringify(resource));
    const allergy = await cli('records', 'add', '--resource', resourceFile);
    assert.equal(allergy.category, 'allergy');

    // The browser lists the CLI's file, shows it, and downloads the same bytes.
    let dialog = await openRecord(/Open Clinical notes record/);
    await dialog.getByText('Attachment: ecg.csv (text/csv').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
    assert.equal(download.suggestedFilename(), 'ecg.csv');
    assert.deepEqual(Buffer.concat(await (await download.createReadStream()).toArray()), bytes);
    // The CLI signed the category statement of its upload; the browser checks it on chain.
    const history = dialog.getByRole('button', { name: 'Open version 1' });
    await history.getByText('category signed by the patient').waitFor();
    await closeDialog();

    dialog = await openRecord(/Open Allergies record/);
    await dialog.getByText('Allergy: Peanuts').waitFor();
    await dialog.getByRole('row', { name: 'criticality high' }).waitFor();
    await closeDialog();
  });

  test("a version added in the browser is read by the CLI's records get --version", async () => {
    const png2 = await drawPng('#e33');
    assert.notDeepEqual(png2, png);
    const dialog = await openRecord(/Open Imaging record/);
    await dialog.getByRole('button', { name: 'Add a new version…' }).click();
    await dialog.getByLabel('Kind of record').selectOption('file');
    await dialog.getByTestId('file-input').setInputFiles({ name: 'hand-annotated.png', mimeType: 'image/png', buffer: png2 });
    await dialog.getByLabel('Description').fill('Hand X-ray, annotated');
    await dialog.getByRole('button', { name: 'Encrypt and add version' }).click();
    await dialog.getByRole('button', { name: 'Open version 2' }).waitFor();
    await dialog.getByText('version 2 ·').waitFor();
    await dialog.getByAltText('hand-annotated.png').waitFor();
    // Version 1 still opens, with its own file.
    await dialog.getByRole('button', { name: 'Open version 1' }).click();
    await dialog.getByAltText('hand.png').waitFor();
    await dialog.getByRole('button', { name: 'Open version 1' }).and(page.locator('[aria-current="true"]')).waitFor();
    await page.waitForTimeout(300);
    await dialog.screenshot({ path: join(shots, '15-record-versions.png') });
    await expectAccessible(page, 'record viewer: version history');
    await closeDialog();

    const shown = await cli('records', 'show', browserFile);
    assert.equal(shown.versions.length, 2);
    assert.deepEqual(await cliGet(browserFile, '--version', '2'), png2);
    assert.deepEqual(await cliGet(browserFile, '--version', '1'), png);
    assert.deepEqual(pageErrors, []);
  });
});
