// The clinical views in a real browser against a real `medchain dev`: a lab result as a readable
// card (value, unit, reference range, flag, the raw FHIR JSON on request), the changes between
// two versions, a multi-frame DICOM stepped through with window/level and zoom, and a record
// printed to PDF without the app around it. axe checks each new screen.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium, startDev, repo } from './system.mjs';
import { injectWallet } from './provider.mjs';
import { makeMultiFrameDicom } from './dicom.mjs';
import { axeSummary, expectAccessible } from './axe.mjs';

const shots = resolve(repo, 'web/test-results/screenshots');
// This suite's screenshots, copied to docs/ui by MEDCHAIN_UPDATE_UI_DOCS=1 (docs/ui.md shows them).
const SCREENSHOTS = ['15-observation-card', '16-version-changes', '17-dicom-frames', '18-record-print'];
let dev;
let browser;
let page;
const errors = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  dev = await startDev();
  const chainId = (await (await fetch(`${dev.url}/v1/node`)).json()).chainId;
  browser = await launchChromium();
  const account = dev.account('patient 1');
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await injectWallet(context, { privateKey: account.privateKey, chainUrl: dev.chainUrl, chainId });
  // The Print button calls window.print(), which headless chromium ignores: count the calls.
  await context.addInitScript(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(dev.url);
  await page.getByRole('button', { name: 'Connect and sign in' }).click();
  await page.getByRole('heading', { name: 'Patient' }).waitFor();
});

// The page after each step, for diagnosing a failure.
let step = 0;
afterEach(async () => {
  mkdirSync(join(shots, '../after-each'), { recursive: true });
  await page?.screenshot({ path: join(shots, `../after-each/clinical-${++step}.png`), fullPage: true }).catch(() => {});
});

after(async () => {
  console.log(axeSummary());
  await browser?.close();
  await dev?.stop();
  if (process.env.MEDCHAIN_UPDATE_UI_DOCS) {
    for (const name of SCREENSHOTS) copyFileSync(join(shots, `${name}.png`), resolve(repo, 'docs/ui', `${name}.png`));
  }
});

const dialog = () => page.getByRole('dialog');
const closeDialog = () => dialog().getByRole('button', { name: 'Close' }).first().click();

async function fillLab(scope, { value, low, high }) {
  await scope.getByLabel('Test or observation').fill('HbA1c');
  await scope.getByLabel('Value').fill(value);
  await scope.getByLabel('Unit').fill('%');
  await scope.getByLabel('Reference range low').fill(low);
  await scope.getByLabel('Reference range high').fill(high);
}

describe('clinical views', { concurrency: false }, () => {
  test('a lab result reads as a card: value, unit, reference range and flag; the FHIR JSON on request', async () => {
    await page.getByRole('link', { name: 'Add record' }).click();
    await fillLab(page, { value: '6.1', low: '4', high: '5.6' });
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Lab results record/ }).click();
    const card = dialog().getByRole('region', { name: 'Record contents' });
    await card.getByRole('heading', { name: 'HbA1c' }).waitFor();
    assert.equal(await card.locator('.observation-value').textContent(), '6.1%');
    await card.getByText('High (H)').waitFor();
    assert.equal(await card.locator('[data-flag]').getAttribute('data-flag'), 'H');
    await card.getByRole('row', { name: 'Reference range 4–5.6%' }).waitFor();
    await card.getByRole('button', { name: 'Show FHIR JSON' }).click();
    const json = JSON.parse(await card.getByLabel('FHIR JSON').textContent());
    assert.deepEqual(json.referenceRange, [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }]);
    await expectAccessible(page, 'record viewer: observation card with FHIR JSON', { include: '[role="dialog"]' });
    await card.getByRole('button', { name: 'Hide FHIR JSON' }).click();
    await page.screenshot({ path: join(shots, '15-observation-card.png') });
  });

  test('version 2 is compared with version 1, field by field', async () => {
    await dialog().getByRole('button', { name: 'Add a new version…' }).click();
    await fillLab(dialog(), { value: '5.4', low: '4', high: '5.6' });
    await dialog().getByRole('button', { name: 'Encrypt and add version' }).click();
    const card = dialog().getByRole('region', { name: 'Record contents' });
    await card.locator('.observation-value', { hasText: '5.4%' }).waitFor();
    await card.getByText('Normal (N)').waitFor();
    await dialog().getByRole('button', { name: 'Compare with version 1' }).click();
    const changes = dialog().getByRole('region', { name: 'Changes from version 1 to version 2' });
    const row = changes.getByRole('row', { name: /Value quantity › value/ });
    await row.waitFor();
    assert.deepEqual(await row.locator('td').allTextContents(), ['changed', '6.1', '5.4']);
    // The form writes the date too; everything else is the same in both versions.
    const labels = await changes.locator('tbody th').allTextContents();
    assert.ok(labels.every((l) => ['Value quantity › value', 'Effective date time'].includes(l)), labels.join(', '));
    await expectAccessible(page, 'record viewer: changes between versions', { include: '[role="dialog"]' });
    await page.screenshot({ path: join(shots, '16-version-changes.png') });
    await dialog().getByRole('button', { name: 'Hide the changes' }).click();
  });

  test('the record prints without the app around it, to a PDF', async () => {
    await dialog().getByRole('button', { name: 'Print' }).click();
    assert.equal(await page.evaluate(() => window.__printed), 1);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#main-nav').isVisible(), false, 'the navigation is not printed');
    assert.equal(await dialog().getByRole('button', { name: 'Download' }).isVisible(), false, 'nor the buttons');
    assert.equal(await dialog().getByRole('heading', { name: 'Version history' }).isVisible(), false, 'nor the history');
    const card = dialog().getByRole('region', { name: 'Record contents' });
    for (const text of ['HbA1c', '5.4%', 'Normal (N)', '4–5.6%']) assert.ok(await card.getByText(text).first().isVisible(), `${text} is printed`);
    await page.screenshot({ path: join(shots, '18-record-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    assert.equal(pages.length, 1, 'the record fits one page: the app chrome is not printed');
    await page.emulateMedia({ media: 'screen' });
    await closeDialog();
  });

  test('a multi-frame DICOM steps through its frames, with window/level and zoom', async () => {
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Kind of record').selectOption('file');
    await page.getByTestId('file-input').setInputFiles({ name: 'cine.dcm', mimeType: '', buffer: makeMultiFrameDicom(3) });
    await page.getByLabel('Description').fill('Cine loop');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Imaging record/ }).first().click();
    const image = dialog().getByRole('img', { name: 'DICOM image cine.dcm' });
    const state = dialog().getByTestId('dicom-state');
    await dialog().locator('[data-state="loaded"]').waitFor();
    await state.getByText(/^Frame 1 of 3/).waitFor();
    const first = await image.screenshot();
    await dialog().getByRole('button', { name: 'Next frame' }).click();
    await state.getByText(/^Frame 2 of 3/).waitFor();
    assert.notDeepEqual(await image.screenshot(), first, 'frame 2 is drawn, not frame 1 again');
    await image.focus();
    await page.keyboard.press('PageDown');
    await state.getByText(/^Frame 3 of 3/).waitFor();
    assert.equal(await dialog().getByRole('button', { name: 'Next frame' }).isDisabled(), true);
    await page.keyboard.press('PageUp');
    assert.equal(await image.getAttribute('data-frame'), '2');

    const width = Number(await image.getAttribute('data-window-width'));
    const center = Number(await image.getAttribute('data-window-center'));
    const before = await image.screenshot();
    await dialog().getByRole('button', { name: 'More contrast' }).click();
    await dialog().getByRole('button', { name: 'Brighter' }).click();
    assert.ok(Number(await image.getAttribute('data-window-width')) < width, 'the window narrowed');
    assert.ok(Number(await image.getAttribute('data-window-center')) < center, 'the level went down');
    assert.notDeepEqual(await image.screenshot(), before, 'the new window/level is drawn');
    await dialog().getByRole('button', { name: 'Zoom in' }).click();
    assert.equal(await image.getAttribute('data-zoom'), '125');
    await dialog().getByRole('button', { name: 'Pan left' }).click();
    await dialog().getByRole('button', { name: 'Reset view' }).click();
    assert.equal(await image.getAttribute('data-zoom'), '100');
    assert.equal(Number(await image.getAttribute('data-window-width')), width);
    await page.screenshot({ path: join(shots, '17-dicom-frames.png') });
    await expectAccessible(page, 'record viewer: multi-frame DICOM with controls', { include: '[role="dialog"]' });
    await closeDialog();
    assert.deepEqual(errors, []);
  });
});
