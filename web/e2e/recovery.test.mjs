// Lost-wallet recovery in the browser (issue #16): a real `medchain dev` and three escrow
// custodian nodes. A patient with a 2-of-3 escrow and two guardians adds records with the CLI,
// one of them in two versions, sets a recovery policy needing both guardians in the browser, then
// loses their key. The guardians approve a new address in the browser, anvil's clock passes the
// 48-hour delay, a guardian moves the account in the browser, and the new address restores the
// old keys in the browser through custodians 1 and 3 while custodian 2 is down ("Restore my
// records"; `medchain recovery restore` run after it finds nothing left to do).
// Then, in the browser, the new address sees that it acts for the patient and opens every old
// version byte for byte. Another patient cancels a recovery within the delay in the browser, and
// it never happens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HDNodeWallet } from 'ethers';
import { launchChromium, medchainBinary, repo, startDev } from './system.mjs';
import { injectWallet } from './provider.mjs';
import { custodiansCaughtUp, startCustodians, stopChild, stopCustodians } from './custodians.mjs';
import { expectAccessible } from './axe.mjs';

const run = promisify(execFile);
const TIMEOUT = 30000;
const shots = join(repo, 'web/test-results/screenshots');
const DELAY = 48 * 3600; // the recovery delay a policy of 0 means

// Accounts 6 to 8 of the development mnemonic (funded on anvil; public): the two guardians and
// the new address, each paying for its own Recovery transactions.
const MNEMONIC = 'test test test test test test test test test test test junk';
const devMnemonicAccount = (index) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

let dev;
let home;
let browser;
let custodians = [];
let patient;
let guardians;
let recovered; // the new address
let chainId;
const files = {}; // label -> { recordId, versions: [bytes, ...] }

// `medchain ARGS --json` in the test's home.
async function cli(...args) {
  const env = { ...process.env, MEDCHAIN_HOME: home, MEDCHAIN_PASSWORD: 'recovery test password', MEDCHAIN_NODE: dev.url };
  try {
    const { stdout } = await run(medchainBinary, [...args, '--json'], { env, maxBuffer: 64 << 20 });
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch (error) {
    throw new Error(`medchain ${args.join(' ')} exited ${error.code}: ${error.stderr?.trim()}`);
  }
}

async function rpc(method, params = []) {
  const answer = await (await fetch(dev.chainUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json();
  if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result;
}

function writeFile(name, bytes) {
  const path = join(home, name);
  writeFileSync(path, bytes);
  return path;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  dev = await startDev();
  home = mkdtempSync(join(tmpdir(), 'medchain-recovery-home-'));
  patient = dev.account('patient 1');
  guardians = [devMnemonicAccount(6), devMnemonicAccount(7)];
  recovered = devMnemonicAccount(8);
  const imported = await cli('keys', 'import', '--dev-account', 'patient 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
  for (const account of [...guardians, recovered]) await cli('keys', 'import', '--private-key', account.privateKey, '--scrypt-n', '1024');
  await cli('login', '--from', patient.address);

  // The patient's custody: a 2-of-3 escrow and two guardians.
  custodians = await startCustodians(dev, cli);
  const custodianArgs = custodians.flatMap((c) => ['--custodian', `${c.address}=${c.url}`]);
  await cli('emergency', 'escrow', 'set', ...custodianArgs, '--threshold', '2', '--rpc-url', dev.chainUrl, '--from', patient.address);
  for (const guardian of guardians) await cli('guardians', 'add', guardian.address, '--from', patient.address);

  // Another patient with one guardian, who cancels a recovery in the last test. Signed intents
  // are made here, before anvil's clock is moved past their deadlines.
  await cli('keys', 'import', '--dev-account', 'patient 2', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
  await cli('login', '--from', dev.account('patient 2').address);
  await cli('guardians', 'add', guardians[0].address, '--from', dev.account('patient 2').address);

  // Two records, the lab one in two versions.
  const lab = [randomBytes(4096), randomBytes(5000)];
  const added = await cli('records', 'add', '--file', writeFile('lab-1.pdf', lab[0]), '--category', 'lab', '--from', patient.address);
  await cli('records', 'update', added.recordId, '--file', writeFile('lab-2.pdf', lab[1]), '--from', patient.address);
  files['Lab results'] = { recordId: added.recordId, versions: lab };
  const scan = randomBytes(300000);
  const imaging = await cli('records', 'add', '--file', writeFile('scan.pdf', scan), '--category', 'imaging', '--from', patient.address);
  files.Imaging = { recordId: imaging.recordId, versions: [scan] };

  // The patient turns recovery on in the browser: both guardians, the default delay.
  ({ chainId } = await (await fetch(`${dev.url}/v1/node`)).json());
  browser = await launchChromium();
  const own = await signedIn(patient.privateKey);
  await own.goto(`${dev.url}/#/patient/emergency`);
  const card = recoveryCard(own);
  await card.getByText('Recovery is off').waitFor();
  await card.getByLabel(/Guardians who must approve a new address/).fill('2');
  await card.getByLabel(/Hours in which your key can still cancel/).fill('48');
  await card.getByRole('button', { name: 'Save recovery policy' }).click();
  await card.getByText('2 of the 2 guardians can together move this account to a new address').waitFor();
  await own.screenshot({ path: join(shots, '26-patient-recovery-policy.png'), fullPage: true });
  await expectAccessible(own, 'patient: recovery policy');
  assert.deepEqual(await cli('recovery', 'status', patient.address, recovered.address, '--rpc-url', dev.chainUrl, '--from', patient.address).then((s) => s.threshold), 2);
  await own.context().close();

  // The patient's key is lost.
  rmSync(imported.file);
});

// A page signed in with `privateKey`'s wallet on the dev node.
async function signedIn(privateKey) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await injectWallet(context, { privateKey, chainUrl: dev.chainUrl, chainId });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(dev.url);
  await page.getByRole('button', { name: 'Connect and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const recoveryCard = (page) => page.locator('.card', { has: page.getByRole('heading', { name: 'Recovery of a lost wallet' }) });

async function timeTravel(seconds) {
  await rpc('evm_increaseTime', [seconds]);
  await rpc('evm_mine');
}

after(async () => {
  await browser?.close();
  await stopCustodians(custodians);
  await dev?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('a lost wallet recovered, read in the browser', { concurrency: false }, () => {
  test('two guardians approve in the browser, the delay passes, a guardian moves the account', async () => {
    const pages = [];
    for (const [i, guardian] of guardians.entries()) {
      const page = await signedIn(guardian.privateKey);
      pages.push(page);
      await page.goto(`${dev.url}/#/patient/emergency`);
      // Guardian 1 is patient 2's guardian too: pick the ward (the wards' order is the node's).
      await page.getByLabel('Managing the file of').selectOption(patient.address);
      const card = recoveryCard(page);
      await card.getByText('2 of the 2 guardians can together move this account').waitFor();
      await card.getByLabel("The patient's new address").fill(recovered.address);
      await card.getByText(i === 0 ? 'No guardian has approved this address.' : '1 of 2 guardians have approved this address.').waitFor();
      await card.getByRole('button', { name: 'Approve the new address' }).click();
      await page.getByText(`Approved: ${i + 1} of 2 guardians`).waitFor();
    }
    const [first] = pages;
    const card = recoveryCard(first);
    await first.reload();
    await first.getByLabel('Managing the file of').selectOption(patient.address);
    await card.getByLabel("The patient's new address").fill(recovered.address);
    await card.getByText(/All 2 guardians approved\. The account can move at /).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Move the account now' }).isDisabled(), true);
    await first.screenshot({ path: join(shots, '27-guardian-recovery.png'), fullPage: true });
    await expectAccessible(first, 'guardian: recovery of a ward');

    await timeTravel(DELAY + 60);
    await first.reload();
    await first.getByLabel('Managing the file of').selectOption(patient.address);
    await card.getByLabel("The patient's new address").fill(recovered.address);
    await card.getByText('Approved and the delay has passed: the account can move now.').waitFor();
    await card.getByRole('button', { name: 'Move the account now' }).click();
    await first.getByText('The account moved: the new address acts for the patient from now on').waitFor();
    const status = await cli('recovery', 'status', patient.address, recovered.address, '--rpc-url', dev.chainUrl, '--from', guardians[0].address);
    assert.equal(status.executed, true);
    for (const page of pages) {
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test('the new address restores the old keys in the browser through two custodians while the third is down', async () => {
    await stopChild(custodians[1].child);
    await custodiansCaughtUp(dev, custodians);
    const page = await signedIn(recovered.privateKey);
    await page.goto(`${dev.url}/#/patient/records`);
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Your recovered account' }) });
    await card.getByRole('button', { name: 'Restore my records' }).click();
    // Two versions of the lab record, one of the scan; custodian 2 named as skipped.
    await card.getByTestId('restore-result').getByText('Restored the keys of 3 record versions (0 already opened with your key).').waitFor({ timeout: 120000 });
    const skipped = card.getByRole('list', { name: 'Custodians skipped' }).getByRole('listitem');
    assert.equal(await skipped.count(), 1);
    assert.ok((await skipped.first().innerText()).includes(custodians[1].url), 'custodian 2 is the one named as skipped');
    // The list reopens the summaries sealed under the restored keys: the titles show.
    await page.getByRole('button', { name: 'Open Imaging record “scan.pdf”' }).waitFor();
    await page.getByRole('button', { name: 'Open Lab results record “lab-2.pdf”' }).waitFor();
    await page.screenshot({ path: join(shots, '29-recovered-restore.png'), fullPage: true });
    await expectAccessible(page, 'recovered address: restore my records');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // The CLI's restore, run after it, finds every copy opening already.
    await cli('login', '--from', recovered.address);
    const again = await cli('recovery', 'restore', '--rpc-url', dev.chainUrl, '--from', recovered.address);
    assert.equal(again.keyRotated, false);
    assert.equal(again.restored, 0);
    assert.equal(again.alreadyReadable, 3);
    assert.deepEqual(again.unrestored, []);
  });

  test('in the browser the new address acts for the patient and opens every old record', async () => {
    const page = await signedIn(recovered.privateKey);
    await page.goto(`${dev.url}/#/patient/records`);
    await page.getByText(/You act for patient .*: their guardians recovered their account to your address on chain/).waitFor();
    // The new address registered nothing of its own: it is offered no registration, only the patient.
    assert.equal(await page.getByRole('button', { name: 'Register' }).count(), 0);
    assert.match(await page.getByLabel('Managing the file of').locator('option:checked').innerText(), /recovered to you/);

    for (const [label, { versions }] of Object.entries(files)) {
      await page.getByRole('button', { name: new RegExp(`^Open ${label} record`) }).click();
      const viewer = page.getByRole('dialog');
      // Every version, newest first as the viewer opens it, then each older one from the history.
      for (let version = versions.length; version >= 1; version--) {
        if (version < versions.length) await viewer.getByRole('button', { name: new RegExp(`Open version ${version}\\b`) }).click();
        await viewer.getByText(new RegExp(`version ${version} ·`)).waitFor();
        await viewer.getByText('Digest matches the chain').waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByRole('button', { name: 'Download' }).click()]);
        const bytes = readFileSync(await download.path());
        assert.ok(bytes.equals(versions[version - 1]), `${label} v${version}: the bytes read in the browser differ`);
      }
      if (label === 'Imaging') {
        await page.screenshot({ path: join(shots, '25-recovered-address-reads.png') });
        await expectAccessible(page, 'recovered address: an old record opened');
      }
      await viewer.getByRole('button', { name: 'Close' }).first().click();
      await viewer.waitFor({ state: 'detached' });
    }
    // The CLI reads the same old versions.
    for (const { recordId, versions } of Object.values(files)) {
      for (const [i, expected] of versions.entries()) {
        const out = join(home, `read-${recordId.slice(2, 10)}-${i + 1}.out`);
        await cli('records', 'get', recordId, '--version', String(i + 1), '--out', out, '--rpc-url', dev.chainUrl, '--from', recovered.address);
        assert.ok(readFileSync(out).equals(expected), `${recordId} v${i + 1}: the bytes the CLI read differ`);
      }
    }
    assert.deepEqual(page.errors, []);
  });

  test('a recovery the patient cancels in the browser within the delay never happens', async () => {
    const other = dev.account('patient 2');
    const [guardian] = guardians;
    const stranger = devMnemonicAccount(9);
    const page = await signedIn(other.privateKey);
    await page.goto(`${dev.url}/#/patient/emergency`);
    const card = recoveryCard(page);
    await card.getByLabel(/Guardians who must approve a new address/).fill('1');
    await card.getByRole('button', { name: 'Save recovery policy' }).click();
    await card.getByText('1 of the 1 guardians can together move this account').waitFor();
    const approved = await cli('recovery', 'approve', other.address, stranger.address, '--rpc-url', dev.chainUrl, '--from', guardian.address);
    assert.ok(approved.readyAt > 0);
    await card.getByRole('button', { name: 'Cancel every pending recovery' }).click();
    await page.getByText('Every pending recovery of this account is cancelled').waitFor();
    await timeTravel(DELAY + 60);
    await assert.rejects(
      cli('recovery', 'execute', other.address, stranger.address, '--rpc-url', dev.chainUrl, '--from', guardian.address),
      /RecoveryNotPending/,
    );
    const status = await cli('recovery', 'status', other.address, stranger.address, '--rpc-url', dev.chainUrl, '--from', guardian.address);
    assert.equal(status.executed, false);
    assert.deepEqual(page.errors, []);
  });
});
