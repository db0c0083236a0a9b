// The web app's input and output against a real `medchain dev`: a patient exports the whole
// record as a FHIR Bundle, which is the CLI's own export of the same records entry for entry;
// a fresh patient imports it (a bad Bundle is refused first, nothing written) and ends up with
// the same resources; live notifications never cover the button clicked next; the navbar inbox
// keeps what was read across sign-in; a doctor scans a patient's QR code with Chromium's fake
// camera (a Y4M file this test draws). axe checks each new screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { chromium } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchChromium, medchainBinary, startDev } from './system.mjs';
import { axeSummary, expectAccessible } from './axe.mjs';

const run = promisify(execFile);
let dev;
let browser;
let home;
let doctorHome;

before(async () => {
  dev = await startDev();
  browser = await launchChromium();
  home = mkdtempSync(join(tmpdir(), 'medchain-webio-home-'));
  doctorHome = mkdtempSync(join(tmpdir(), 'medchain-webio-doctor-'));
});

after(async () => {
  console.log(axeSummary());
  await browser?.close();
  await dev?.stop();
  for (const dir of [home, doctorHome]) if (dir) rmSync(dir, { recursive: true, force: true });
});

// `medchain ARGS` as patient 1 (its key imported into a throwaway home), or with `asHome` another
// account's home; resolves to stdout.
async function cli(...args) {
  return cliIn(home, ...args);
}

async function cliIn(asHome, ...args) {
  const env = { ...process.env, MEDCHAIN_HOME: asHome, MEDCHAIN_PASSWORD: 'webio test password', MEDCHAIN_NODE: dev.url };
  try {
    return (await run(medchainBinary, args, { env, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    throw new Error(`medchain ${args.join(' ')} exited ${error.code}: ${error.stderr?.trim()}`);
  }
}

// A fresh browser signed in as the demo account `label`, with the page errors it reports.
async function signedIn(label, on = browser) {
  const context = await on.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(dev.url);
  await page.getByLabel('dev-accounts.json').setInputFiles(join(dev.dataDir, 'dev-accounts.json'));
  await page.getByLabel("The development chain's JSON-RPC URL").fill(dev.chainUrl);
  await page.getByRole('button', { name: `Sign in as ${label}` }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, errors };
}

async function exportBundle(page) {
  await page.getByRole('link', { name: 'Export & import' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as FHIR Bundle' }).click()]);
  await page.getByText(/^Exported \d+ records?/).waitFor();
  return JSON.parse(Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8'));
}

// What two exports must share: each entry's resource and category, in a stable order.
const contentOf = (bundle) =>
  bundle.entry.map((e) => ({ resource: e.resource, category: e.extension?.[0]?.valueCode })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('export and import of the whole record in the web app', { concurrency: false }, () => {
  let exported;
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');

  test('the patient exports every record as the FHIR Bundle the CLI exports', async () => {
    const { context, page, errors } = await signedIn('patient 1');
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Test or observation').fill('Serum sodium');
    await page.getByLabel('Value').fill('139');
    await page.getByLabel('Unit').fill('mmol/L');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Lab results record/ }).waitFor();
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Kind of record').selectOption('file');
    await page.getByTestId('file-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
    await page.getByLabel('Description').fill('A dot');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Imaging record/ }).waitFor();

    exported = await exportBundle(page);
    assert.equal(exported.resourceType, 'Bundle');
    assert.equal(exported.type, 'collection');
    assert.equal(exported.entry.length, 2);
    const file = exported.entry.find((e) => e.resource.resourceType === 'DocumentReference');
    assert.deepEqual(Buffer.from(file.resource.content[0].attachment.data, 'base64'), png);
    assert.deepEqual(file.extension, [{ url: 'https://medchain.dev/fhir/StructureDefinition/record-category', valueCode: 'imaging' }]);
    await expectAccessible(page, 'patient: export and import');

    // The CLI's export of the same records: the same entries, fullUrls included.
    await cli('keys', 'import', '--dev-account', 'patient 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
    await cli('login', '--node', dev.url);
    const byCli = JSON.parse(await cli('records', 'export', '--rpc-url', dev.chainUrl));
    const byUrl = (bundle) => Object.fromEntries(bundle.entry.map((e) => [e.fullUrl, e]));
    assert.deepEqual(byUrl(exported), byUrl(byCli));

    // The patient summary: the same sections holding the same resources as the CLI's.
    const [ips] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export patient summary (IPS)' }).click()]);
    await page.getByText('Exported the patient summary (IPS)').waitFor();
    const summary = JSON.parse(Buffer.concat(await (await ips.createReadStream()).toArray()).toString('utf8'));
    const sections = (bundle) => {
      const urls = Object.fromEntries(bundle.entry.map((e) => [e.fullUrl, e.resource]));
      return bundle.entry[0].resource.section.map((s) => ({ title: s.title, code: s.code, emptyReason: s.emptyReason, resources: (s.entry ?? []).map((r) => urls[r.reference]) }));
    };
    const byCliSummary = JSON.parse(await cli('records', 'export', '--summary', '--rpc-url', dev.chainUrl));
    assert.equal(summary.type, 'document');
    assert.deepEqual(summary.entry[1].resource, byCliSummary.entry[1].resource);
    assert.deepEqual(sections(summary), sections(byCliSummary));
    assert.equal(sections(summary).find((s) => s.code.coding[0].code === '30954-2').resources[0].code.text, 'Serum sodium');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a fresh patient imports it: a bad Bundle is refused whole, the good one gives the same resources', async () => {
    const { context, page, errors } = await signedIn('patient 2');
    await page.getByRole('link', { name: 'Export & import' }).click();
    const picker = page.getByLabel('Bundle file (JSON)');
    const bad = structuredClone(exported);
    delete bad.entry[1].resource.status;
    await picker.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByText(/^bad\.json: Entry 2 of 2: .* needs status; nothing imported\.$/).waitFor();
    await expectAccessible(page, 'patient: import refused');
    assert.equal(await page.getByRole('button', { name: /^Import \d+ record/ }).count(), 0);

    await picker.setInputFiles({ name: 'export.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await page.getByText('export.json: 2 entries checked').waitFor();
    await page.getByRole('button', { name: 'Import 2 records' }).click();
    const bar = page.getByRole('progressbar', { name: 'Records imported' });
    await bar.waitFor();
    assert.match(await bar.textContent(), /^[0-2]\/2 · .* of .*$/); // records and bytes
    await expectAccessible(page, 'patient: importing');
    await page.getByText('Imported 2 records from export.json.').waitFor();
    await expectAccessible(page, 'patient: import done');

    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('button', { name: /Open Lab results record/ }).waitFor();
    await page.getByRole('button', { name: /Open Imaging record/ }).waitFor();
    const again = await exportBundle(page);
    assert.deepEqual(contentOf(again), contentOf(exported));
    assert.notDeepEqual(again.entry.map((e) => e.fullUrl).sort(), exported.entry.map((e) => e.fullUrl).sort()); // new records
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('live notifications stack without covering the next button, and the inbox keeps the requests', async () => {
    const { context, page, errors } = await signedIn('patient 1');
    const patient = dev.account('patient 1').address;
    await page.getByRole('link', { name: 'Export & import' }).click();
    const button = page.getByRole('button', { name: 'Export as FHIR Bundle' });
    await button.waitFor();
    await cliIn(doctorHome, 'keys', 'import', '--dev-account', 'doctor 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
    await cliIn(doctorHome, 'login', '--node', dev.url);
    const toasts = page.getByRole('region', { name: 'Notifications' }).locator('.toast');
    const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    let most = 0;
    for (const scope of ['lab', 'imaging', 'medication']) {
      const before = await page.getByRole('button', { name: /^Inbox, \d+ unread/ }).getAttribute('aria-label');
      await cliIn(doctorHome, 'access', 'request', patient, '--scope', scope, '--for', '1d');
      await page.waitForFunction((label) => document.querySelector('[aria-label^="Inbox,"]')?.getAttribute('aria-label') !== label, before);
      const shown = await toasts.count();
      most = Math.max(most, shown);
      const target = await button.boundingBox();
      for (let i = 0; i < shown; i++) {
        const box = await toasts.nth(i).boundingBox();
        if (box) assert.equal(overlaps(box, target), false, `toast ${i} ${JSON.stringify(box)} covers the button ${JSON.stringify(target)}`);
      }
    }
    assert.ok(most >= 2, `several toasts were shown at once (at most ${most})`);
    await expectAccessible(page, 'patient: notifications stacked');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.ok(download.suggestedFilename().endsWith('.json'));

    // The inbox holds the three requests; marking one read sticks across sign-out and sign-in.
    const inbox = page.getByRole('button', { name: 'Inbox, 3 unread' });
    await inbox.click();
    const items = page.locator('.inbox-menu [data-inbox-id]');
    assert.equal(await items.count(), 3);
    await items.filter({ hasText: 'asked for access to medication' }).waitFor();
    await expectAccessible(page, 'navbar inbox open');
    await items.filter({ hasText: 'asked for access to lab' }).click();
    await page.getByRole('button', { name: 'Inbox, 2 unread' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await context.close();

    const again = await signedIn('patient 1');
    await again.page.getByRole('button', { name: 'Inbox, 2 unread' }).click();
    const kept = again.page.locator('.inbox-menu [data-inbox-id]');
    assert.equal(await kept.count(), 3);
    const lab = kept.filter({ hasText: 'asked for access to lab' });
    assert.equal(await lab.getByText('· unread').count(), 0);
    assert.match(await lab.getAttribute('class'), /text-muted/);
    assert.deepEqual([...errors, ...again.errors], []);
    await again.context.close();
  });

  test('a doctor scans the patient\'s QR code with the camera; the stream stops; a refused camera says so', async () => {
    const patient = dev.account('patient 2').address;
    const y4m = join(home, 'qr.y4m');
    writeFileSync(y4m, qrVideo(`ethereum:${patient}`));
    const cameraBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    });
    try {
      const { context, page, errors } = await signedIn('doctor 1', cameraBrowser);
      await context.grantPermissions(['camera'], { origin: dev.url });
      // Every stream the page opens, to see that it is stopped after the scan.
      await page.evaluate(() => {
        const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        window.__streams = [];
        navigator.mediaDevices.getUserMedia = async (c) => { const s = await open(c); window.__streams.push(s); return s; };
      });
      await page.getByRole('button', { name: 'Scan with camera' }).click();
      await page.waitForFunction((address) => location.hash.includes(address), patient, { timeout: 20000 });
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      assert.deepEqual(await page.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState))), ['ended']);
      await expectAccessible(page, 'doctor: patient found by camera');
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await cameraBrowser.close();
    }

    // Without a camera permission (the test browser grants none) the dialog says what to do.
    const { context, page } = await signedIn('doctor 1');
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: /refused|No camera/ }).waitFor();
    await expectAccessible(page, 'doctor: camera refused');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await context.close();
  });
});

// A short Y4M video (4:2:0, I420 planes) of the QR code of `text`, black on white, for
// Chromium's --use-file-for-fake-video-capture.
function qrVideo(text) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const width = 320;
  const height = 240;
  const scale = Math.floor(Math.min(width, height) / (modules.size + 8));
  const left = Math.floor((width - modules.size * scale) / 2);
  const top = Math.floor((height - modules.size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < modules.size * scale; y++) {
    for (let x = 0; x < modules.size * scale; x++) {
      if (modules.data[Math.floor(y / scale) * modules.size + Math.floor(x / scale)]) luma[(top + y) * width + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array(5).fill(frame)]);
}
