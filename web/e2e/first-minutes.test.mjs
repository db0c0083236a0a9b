// A newcomer's first minutes against a real `medchain dev`, without a browser wallet: the
// sign-in screen explains each wallet choice, offers the demo accounts of the development chain
// from the dev-accounts.json that medchain dev wrote, and each demo account's navigation shows
// the portals of its roles only. axe checks each screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startDev } from './system.mjs';
import { axeSummary, expectAccessible } from './axe.mjs';

let dev;
let browser;

before(async () => {
  dev = await startDev();
  browser = await launchChromium();
});

after(async () => {
  console.log(axeSummary());
  await browser?.close();
  await dev?.stop();
});

// A fresh browser on the sign-in screen, with the errors it reports collected.
async function signInScreen() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(dev.url);
  await page.getByRole('heading', { name: 'Sign in to medchain' }).waitFor();
  return { context, page, errors };
}

// Signs in as the demo account `label` through the demo accounts card.
async function signInAsDemo(page, label) {
  await page.getByLabel('dev-accounts.json').setInputFiles(join(dev.dataDir, 'dev-accounts.json'));
  await page.getByLabel("The development chain's JSON-RPC URL").fill(dev.chainUrl);
  await page.getByRole('button', { name: `Sign in as ${label}` }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function portalLinks(page) {
  return page.locator('#main-nav a.nav-link').allTextContents();
}

describe('the first minutes in the browser', { concurrency: false }, () => {
  test('the sign-in screen says what each wallet choice means and offers the demo accounts', async () => {
    const { context, page, errors } = await signInScreen();
    await page.getByText('It is not used for payments').waitFor();
    await page.getByText('Your key stays in the wallet').waitFor();
    await page.getByText('No extension needed').waitFor();
    await page.getByRole('heading', { name: 'Demo accounts (development chain)' }).waitFor();
    // A file that is not medchain dev's is refused with a sentence, not a stack trace.
    await page.getByLabel('dev-accounts.json').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"accounts": 3}') });
    await page.getByText('That is not the dev-accounts.json that medchain dev writes.').waitFor();
    await page.getByLabel('dev-accounts.json').setInputFiles(join(dev.dataDir, 'dev-accounts.json'));
    const labels = JSON.parse(readFileSync(join(dev.dataDir, 'dev-accounts.json'), 'utf8')).accounts.map((a) => a.label);
    for (const label of labels) await page.getByRole('button', { name: `Sign in as ${label}` }).waitFor();
    await expectAccessible(page, 'sign-in with the demo accounts');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a demo patient signs in; the navigation shows the patient portal only, and the empty list says what to do', async () => {
    const { context, page, errors } = await signInScreen();
    await signInAsDemo(page, 'patient 1');
    await page.getByRole('heading', { name: 'Patient' }).waitFor();
    await page.getByText('No records yet. To add your first, open Add record').waitFor();
    assert.deepEqual(await portalLinks(page), ['Patient']);
    await expectAccessible(page, 'demo patient: no records yet');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a demo doctor sees the doctor portal only, and how to ask a patient for access', async () => {
    const { context, page, errors } = await signInScreen();
    await signInAsDemo(page, 'doctor 1');
    await page.getByRole('heading', { name: /Doctor/ }).waitFor();
    await page.getByText('To ask for it, enter the patient\'s address under Find a patient').waitFor();
    assert.deepEqual(await portalLinks(page), ['Doctor']);
    await expectAccessible(page, 'demo doctor: no patients yet');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the demo registrar sees the registrar portal only', async () => {
    const { context, page, errors } = await signInScreen();
    await signInAsDemo(page, 'registrar');
    await page.getByRole('heading', { name: 'Registrar' }).waitFor();
    assert.deepEqual(await portalLinks(page), ['Registrar']);
    await expectAccessible(page, 'demo registrar');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
