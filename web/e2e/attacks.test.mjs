// "Trust no node" (issue #15) in the browser. The page talks to a real `medchain dev` (node and
// anvil) through page.route, which plays a lying node: it forwards each request to the real node
// and rewrites its JSON answer (a swapped doctor key, a swapped patient key, a swapped digest, a
// swapped sealed key, a relabelled category, a reason of the node's own for a doctor's request,
// a doctor's profile the registrar did not sign).
// The chain is never touched: the app reads it through the injected wallet. Each attack must be
// refused with a visible error, and nothing may
// be written: no blob upload, no relayed intent, no sealed key, on the node (its lists unchanged)
// or on chain (the patient's intent nonce unchanged). A relabelled category is the exception: the
// grant it rides on is honest and goes through, but the relabelled version's key must not be
// shared, and the app must say so; a forged doctor profile writes nothing either, and the app
// must show the doctor's address with the profile marked untrusted, never the forged name. Then the built-in wallet, which has no provider, must refuse
// to open a record until it has a chain RPC URL, and an SVG attachment carrying script must not
// run in the app's origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Interface, JsonRpcProvider } from 'ethers';
import { launchChromium, medchainBinary, startDev } from './system.mjs';
import { injectWallet } from './provider.mjs';
import { fromHex, toHex } from '../src/crypto/bytes.js';
import { saltText, saltedHash, sealReasonNote } from '../src/crypto/saltedText.js';
import { axeSummary, expectAccessible } from './axe.mjs';

const run = promisify(execFile);
const TIMEOUT = 30000;
const ATTACKS = 10;

let dev;
let browser;
let page;
let patient; // address
let chainId;
let refused = 0;
let doctorHome; // the CLI's home for doctor 1, who requests access from the command line
const writes = []; // every request that writes something: 'POST /v1/blobs', 'PUT …/keys', …

// Reads the real node (not through the lying page) with the patient's session.
async function nodeGet(path) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('medchain.session')).token);
  const response = await fetch(dev.url + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

// The patient's intent nonce as the contract holds it: every relayed intent spends one.
async function chainNonce() {
  const { contract } = await (await fetch(`${dev.url}/v1/node`)).json();
  const abi = new Interface(['function nonces(address) view returns (uint256)']);
  const rpc = new JsonRpcProvider(dev.chainUrl, chainId, { staticNetwork: true });
  const [nonce] = abi.decodeFunctionResult('nonces', await rpc.call({ to: contract, data: abi.encodeFunctionData('nonces', [patient]) }));
  return nonce;
}

// What the node and the chain hold of the patient, to compare before and after an attack.
async function snapshot() {
  const [{ records }, { grants }, nonce] = await Promise.all([nodeGet(`/v1/patients/${patient}/records`), nodeGet(`/v1/patients/${patient}/grants`), chainNonce()]);
  return { records: JSON.stringify(records), grants: JSON.stringify(grants), nonce };
}

// Runs `medchain ARGS --json` as doctor 1; resolves to its JSON, or fails with its stderr.
async function doctorCli(...args) {
  const env = { ...process.env, MEDCHAIN_HOME: doctorHome, MEDCHAIN_PASSWORD: 'attacks test password', MEDCHAIN_NODE: dev.url };
  try {
    const { stdout } = await run(medchainBinary, [...args, '--json'], { env });
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch (error) {
    throw new Error(`medchain ${args.join(' ')} exited ${error.code}: ${error.stderr?.trim()}`);
  }
}

// Makes the node lie: answers of GET requests whose path matches `path` are rewritten by
// `rewrite(json)`. Returns the function that stops the lie.
async function lie(path, rewrite) {
  const matches = (url) => path.test(new URL(url).pathname);
  const handler = async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const response = await route.fetch();
    // A reload while the real node answered cancels the request: there is nothing to lie to then.
    await route.fulfill({ response, json: rewrite(await response.json()) }).catch((error) => {
      if (!/Route is already handled/.test(error.message)) throw error;
    });
  };
  await page.route(matches, handler);
  return () => page.unroute(matches, handler);
}

// Runs one attack: `attempt` must end with `error` visible, nothing written meanwhile, and the
// node's and chain's state as before.
async function refusedAttack({ lies, attempt, error }) {
  const before = await snapshot();
  const stops = await Promise.all(lies.map(([path, rewrite]) => lie(path, rewrite)));
  const from = writes.length;
  try {
    await attempt();
    await page.getByRole('alert').filter({ hasText: error }).waitFor();
  } finally {
    for (const stop of stops) await stop();
  }
  assert.deepEqual(writes.slice(from), [], 'nothing was uploaded, relayed or sealed');
  assert.deepEqual(await snapshot(), before, "the node's records and grants and the chain's nonce are unchanged");
  refused++;
}

async function addLabResult(value) {
  await page.getByRole('link', { name: 'Add record' }).click();
  await page.getByLabel('Test or observation').fill('HbA1c');
  await page.getByLabel('Value').fill(value);
  await page.getByLabel('Unit').fill('%');
  await page.getByRole('button', { name: 'Encrypt and add record' }).click();
}

// Grants `doctor` read access to lab results from the Access tab.
async function grantLabResults(doctor) {
  await page.getByRole('link', { name: 'Access' }).click();
  await page.reload(); // a fresh form, with the doctors as the node lists them now
  await page.getByLabel('Doctor', { exact: true }).selectOption(doctor);
  await page.getByLabel('Lab results').check();
  await page.getByRole('button', { name: 'Grant access' }).click();
}

async function closeViewer() {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
}

// Swaps one JSON field wherever it appears in an answer (the node's lists nest records in
// versions in records).
function swapping(field, from, to) {
  const swap = (value) => {
    if (Array.isArray(value)) return value.map(swap);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === field && typeof v === 'string' && v.toLowerCase() === from.toLowerCase() ? to : swap(v)]));
  };
  return swap;
}

before(async () => {
  dev = await startDev();
  chainId = (await (await fetch(`${dev.url}/v1/node`)).json()).chainId;
  browser = await launchChromium();
  const account = dev.account('patient 1');
  patient = account.address;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await injectWallet(context, { privateKey: account.privateKey, chainUrl: dev.chainUrl, chainId });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => console.error(`[patient] page error: ${error.stack ?? error.message}`));
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() !== 'GET' && (pathname.startsWith('/v1/blobs') || pathname === '/v1/relay' || pathname.endsWith('/keys'))) writes.push(`${request.method()} ${pathname}`);
  });
  await page.goto(dev.url);
  await page.getByRole('button', { name: 'Connect and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByText('No records yet').waitFor();
});

after(async () => {
  console.log(`web attacks refused: ${refused}/${ATTACKS}`);
  console.log(axeSummary());
  await browser?.close();
  await dev?.stop();
  if (doctorHome) rmSync(doctorHome, { recursive: true, force: true });
});

describe('a lying node is refused by the web app', { concurrency: false }, () => {
  let lab; // the record ids of a lab result and a clinical note, written honestly first
  let note;

  test('the patient writes two records through the honest node', async () => {
    await addLabResult('6.1');
    await page.getByRole('button', { name: /Open Lab results record/ }).waitFor();
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Kind of record').selectOption('note');
    await page.getByLabel('Title').fill('Visit');
    await page.getByLabel('Note', { exact: true }).fill('Feeling well.');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Clinical notes record/ }).waitFor();
    const { records } = await nodeGet(`/v1/patients/${patient}/records`);
    lab = records.find((r) => r.versions[0].category === 'lab');
    note = records.find((r) => r.versions[0].category === 'clinical-note');
    assert.ok(lab && note);
  });

  test("a swapped patient key: the new record is refused before its upload", async () => {
    const other = (await nodeGet('/v1/doctors')).doctors[0].encryptionKey;
    await refusedAttack({
      lies: [[new RegExp(`^/v1/patients/${patient}$`, 'i'), (info) => ({ ...info, encryptionKey: other })]],
      attempt: () => addLabResult('5.0'),
      error: /The node gave another encryption key for patient .* refused, nothing was sent/,
    });
  });

  test("a swapped doctor key: the grant is refused before it is relayed", async () => {
    const doctor = dev.account('doctor 1').address;
    const { doctors } = await nodeGet('/v1/doctors');
    const genuine = doctors.find((d) => d.address === doctor).encryptionKey;
    const forged = doctors.find((d) => d.address !== doctor && d.encryptionKey).encryptionKey;
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByText('Nobody has access to your records.').waitFor();
    await refusedAttack({
      lies: [[/^\/v1\/doctors$/, swapping('encryptionKey', genuine, forged)]],
      attempt: async () => {
        await page.reload(); // the grant form lists the doctors as the lying node gives them
        await page.getByLabel('Doctor', { exact: true }).selectOption(doctor);
        await page.getByLabel('Lab results').check();
        await page.getByRole('button', { name: 'Grant access' }).click();
      },
      error: /The node gave another encryption key for doctor .* refused, nothing was sent/,
    });
  });

  test("a swapped doctor key: a new version is not sealed to it, nor uploaded", async () => {
    // An honest grant first, so that the doctor is one of the next lab record's key holders.
    const doctor = dev.account('doctor 1').address;
    await page.reload();
    await page.getByLabel('Doctor', { exact: true }).selectOption(doctor);
    await page.getByLabel('Lab results').check();
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText(/Access granted; 1 record key shared/).waitFor();
    const { doctors } = await nodeGet('/v1/doctors');
    const genuine = doctors.find((d) => d.address === doctor).encryptionKey;
    const forged = (await nodeGet(`/v1/patients/${patient}`)).encryptionKey;
    await refusedAttack({
      lies: [[/^\/v1\/doctors$/, swapping('encryptionKey', genuine, forged)]],
      attempt: () => addLabResult('5.5'),
      error: /The node gave another encryption key for doctor .* refused, nothing was sent/,
    });
  });

  test("a forged doctor profile: the doctor shows as an untrusted address, never by the forged name", async () => {
    // doctor 1 holds the grant given above. The node swaps the registrar-signed profile it lists
    // for one the registrar did not sign: first the genuine one with another name, then doctor
    // 2's genuine profile (signed by the registrar, for doctor 2) passed off as doctor 1's.
    const doctor = dev.account('doctor 1').address;
    const { doctors } = await nodeGet('/v1/doctors');
    const genuine = doctors.find((d) => d.address === doctor).profile;
    const borrowed = doctors.find((d) => d.address === dev.account('doctor 2').address).profile;
    assert.equal(genuine?.name, 'Dr. Alice Moreau');
    assert.equal(borrowed?.name, 'Dr. Bruno Okafor');
    const same = (address) => address?.toLowerCase() === doctor.toLowerCase();
    const row = () => page.getByRole('row').filter({ has: page.getByRole('button', { name: `Revoke access of ${doctor}` }) });
    const forgeries = [
      { ...genuine, name: 'Dr. Mallory Forge' },
      { ...borrowed, doctor },
    ];
    await page.getByRole('link', { name: 'Access' }).click();
    for (const forged of forgeries) {
      const before = await snapshot();
      const from = writes.length;
      const stops = await Promise.all([
        lie(new RegExp(`^/v1/patients/${patient}/grants$`, 'i'), (list) => ({ ...list, grants: list.grants.map((g) => (same(g.doctor) ? { ...g, doctorProfile: forged } : g)) })),
        lie(/^\/v1\/doctors$/, (list) => ({ ...list, doctors: list.doctors.map((d) => (same(d.address) ? { ...d, profile: forged } : d)) })),
        lie(new RegExp(`^/v1/doctors/${doctor}/profile$`, 'i'), () => forged),
      ]);
      try {
        await page.reload(); // the grants as the lying node lists them
        const untrusted = row().getByText('profile not trusted');
        await untrusted.waitFor();
        assert.match(await untrusted.getAttribute('title'), /not signed by a registrar of the chain for this doctor/);
        assert.equal(await row().locator(`code[title="${doctor}" i]`).count(), 1, "the row shows the doctor's address");
        assert.equal(await page.getByText(forged.name).count(), 0, 'the forged name is shown nowhere');
        if (forged === forgeries[0]) await expectAccessible(page, 'access: a forged doctor profile');
      } finally {
        for (const stop of stops) await stop();
      }
      assert.deepEqual(writes.slice(from), [], 'nothing was uploaded, relayed or sealed');
      assert.deepEqual(await snapshot(), before, "the node's records and grants and the chain's nonce are unchanged");
    }
    // The honest node's profile is shown: the refusals above were the lies, not the profile.
    await page.reload();
    await row().getByText('Dr. Alice Moreau').waitFor();
    assert.equal(await row().getByText('profile not trusted').count(), 0);
    refused++;
  });

  test("a swapped digest: the version is not opened", async () => {
    await page.getByRole('link', { name: 'Records' }).click();
    await refusedAttack({
      lies: [[/^\/v1\/(patients\/[^/]+\/records|records\/[^/]+)$/, swapping('digest', lab.versions[0].digest, note.versions[0].digest)]],
      attempt: async () => {
        await page.reload(); // the timeline as the lying node lists it
        await page.getByRole('button', { name: /Open Lab results record/ }).click();
      },
      error: /The node's digest for version 1 of this record is not the chain's; refused to open it/,
    });
    assert.equal(await page.getByText('Digest matches the chain').count(), 0);
    assert.equal(await page.getByText('HbA1c: 6.1 %').count(), 0);
    await expectAccessible(page, 'record viewer: a refused version');
    await closeViewer();
  });

  test("a swapped sealed key: the version is not opened", async () => {
    const { sealedKey } = await nodeGet(`/v1/records/${note.recordId}/versions/1/key`);
    await refusedAttack({
      lies: [[new RegExp(`^/v1/records/${lab.recordId}/versions/1/key$`, 'i'), (key) => ({ ...key, sealedKey })]],
      attempt: async () => {
        await page.reload();
        await page.getByRole('button', { name: /Open Lab results record/ }).click();
      },
      error: /Refused to open version 1: the node served a key sealed for another record or version/,
    });
    assert.equal(await page.getByText('Digest matches the chain').count(), 0);
    await closeViewer();
    // The honest node's answer opens it: the refusals above were the lies, not the record.
    await page.getByRole('button', { name: /Open Lab results record/ }).click();
    await page.getByRole('dialog').getByText('Digest matches the chain').waitFor();
    await closeViewer();
  });

  describe("a doctor's reason, sealed to the patient and salted on chain", () => {
    const REASON = 'Follow-up of the blood test';
    const FORGED = 'Insurance assessment, send everything';
    let request; // as the honest node lists it
    let forged; // {reasonHash, sealedReason}: a note of the node's own, sealed to the patient

    const requestCard = () => page.getByLabel(`Request from ${dev.account('doctor 1').address}`);
    // The Requests tab after a reload: the encryption key is no longer in memory, so the patient
    // opens the reason with it (a wallet signature, nothing written).
    async function showReason() {
      await page.reload();
      await page.getByRole('link', { name: 'Requests' }).click();
      await requestCard().getByRole('button', { name: 'Open with your key' }).click();
    }

    test('the doctor requests access with a reason from the CLI; the patient reads it, checked against the chain', async () => {
      doctorHome = mkdtempSync(join(tmpdir(), 'medchain-attacks-doctor-'));
      await doctorCli('keys', 'import', '--dev-account', 'doctor 1', '--dev-dir', dev.dataDir, '--scrypt-n', '1024');
      await doctorCli('login', '--node', dev.url);
      await doctorCli('access', 'request', patient, '--scope', 'lab', '--for', '1d', '--reason', REASON);
      request = (await nodeGet(`/v1/patients/${patient}/requests`)).requests.find((r) => r.status === 'pending');
      assert.ok(request?.sealedReason, 'the node lists the sealed reason');
      const salted = await saltText(FORGED);
      const patientKey = fromHex((await nodeGet(`/v1/patients/${patient}`)).encryptionKey);
      forged = { reasonHash: saltedHash(salted), sealedReason: toHex(await sealReasonNote(salted, patientKey)) };
      await showReason();
      await requestCard().getByText(`Reason: ${REASON}`).waitFor();
      await requestCard().getByText('checked against the chain').waitFor();
    });

    const listing = (rewrite) => [new RegExp(`^/v1/patients/${patient}/requests$`, 'i'), (list) => ({ ...list, requests: list.requests.map((r) => (r.requestId === request.requestId ? rewrite(r) : r)) })];

    test("the node shows a reason of its own, sealed to the patient: refused, its text never shown", async () => {
      await refusedAttack({
        lies: [listing((r) => ({ ...r, sealedReason: forged.sealedReason }))],
        attempt: showReason,
        error: /Reason not shown: the node's reason does not match the hash the doctor put on chain/,
      });
      assert.equal(await page.getByText(FORGED).count(), 0);
    });

    test("the node lists its own reason's hash with it: refused against the chain's AccessRequested", async () => {
      await refusedAttack({
        lies: [listing((r) => ({ ...r, ...forged }))],
        attempt: showReason,
        error: /Reason not shown: the node lists another reason hash for this request than the chain holds/,
      });
      assert.equal(await page.getByText(FORGED).count(), 0);
      await page.reload(); // the honest node again, for the tests after these
    });
  });

  test('the built-in wallet opens records only with a chain RPC URL to check the node against', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const own = await context.newPage();
    own.setDefaultTimeout(TIMEOUT);
    await own.goto(dev.url);
    await own.getByLabel('New passphrase').fill('a long passphrase');
    await own.getByLabel('Private key to import').fill(dev.account('patient 1').privateKey);
    await own.getByRole('button', { name: 'Import key', exact: true }).click();
    const signInWith = async (rpcUrl) => {
      await own.getByLabel('Chain RPC URL').fill(rpcUrl);
      await own.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
      await own.getByRole('button', { name: 'Unlock and sign in' }).click();
      await own.getByRole('button', { name: /Open Lab results record/ }).click();
    };
    await signInWith('');
    await own.getByRole('dialog').getByText('This app cannot check the node against the chain').waitFor();
    await own.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
    await own.getByRole('button', { name: 'Sign out' }).click();
    await signInWith(dev.chainUrl); // medchain dev's CSP allows it (--connect-src)
    await own.getByRole('dialog').getByText('Digest matches the chain').waitFor();
    await own.getByRole('dialog').getByText('HbA1c: 6.1 %').first().waitFor();
    await context.close();
  });

  test('an SVG attachment carrying script is never rendered in the node origin', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.top.__svgRan = 1"><script>window.top.__svgRan = 2</script><circle r="9"/></svg>';
    await page.getByRole('link', { name: 'Add record' }).click();
    await page.getByLabel('Kind of record').selectOption('file');
    await page.getByTestId('file-input').setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
    await page.getByLabel('Description').fill('A drawing');
    assert.equal(await page.getByAltText('Preview of drawing.svg').count(), 0, 'the add form does not render it either');
    await page.getByRole('button', { name: 'Encrypt and add record' }).click();
    await page.getByRole('button', { name: /Open Imaging record/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Digest matches the chain').waitFor();
    await dialog.getByText('Not shown here: a image/svg+xml can carry scripts, so it only downloads.').waitFor();
    assert.equal(await dialog.locator('img, iframe, object, embed').count(), 0, 'no element renders the attachment');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
    assert.equal(Buffer.concat(await (await download.createReadStream()).toArray()).toString(), svg);
    assert.equal(await page.evaluate(() => window.__svgRan), undefined, "the SVG's script never ran in the app's origin");
    await closeViewer();
    refused++;
  });

  test("a relabelled category: a version whose statement names another category is not shared with the doctor granted the node's label", async () => {
    // The node lists the clinical note as a lab result; its statement, signed by the patient on
    // upload, says clinical-note. A doctor granted lab results must get the lab record's key only.
    const doctor = dev.account('doctor 2').address;
    const relabel = (listing) => ({ ...listing, records: listing.records.map((r) => (r.recordId === note.recordId ? { ...r, versions: r.versions.map((v) => ({ ...v, category: 'lab' })) } : r)) });
    const stop = await lie(new RegExp(`^/v1/patients/${patient}/records$`, 'i'), relabel);
    const from = writes.length;
    try {
      await grantLabResults(doctor);
      await page.getByText('Access granted; 1 record key shared. 1 version not shared: its category is not signed by its author or you.').waitFor();
    } finally {
      await stop();
    }
    const sealed = writes.slice(from).filter((w) => w.endsWith('/keys'));
    assert.deepEqual(sealed, [`PUT /v1/records/${lab.recordId}/versions/1/keys`], "only the lab record's key was sealed to the doctor");
    refused++;
  });

  test("the patient's correction is the statement that counts: the note, relabelled honestly, is then shared", async () => {
    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('button', { name: /Open Clinical notes record/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Digest matches the chain').waitFor();
    await dialog.getByLabel('Category of version 1').selectOption('lab');
    await dialog.getByRole('button', { name: 'Change category' }).click();
    await dialog.getByText('Lab results · version 1').waitFor();
    await dialog.getByRole('button', { name: 'Open version 1' }).getByText('category signed by the patient').waitFor();
    await closeViewer();
    const { records } = await nodeGet(`/v1/patients/${patient}/records`);
    const corrected = records.find((r) => r.recordId === note.recordId).versions[0];
    assert.equal(corrected.category, 'lab');
    assert.equal(corrected.categorySigner?.toLowerCase(), patient.toLowerCase(), "the node lists the patient's statement");
    const from = writes.length;
    await grantLabResults(dev.account('doctor 2').address);
    await page.getByText('Access granted; 2 record keys shared').waitFor();
    assert.ok(writes.slice(from).includes(`PUT /v1/records/${note.recordId}/versions/1/keys`), "the note's key was sealed to the doctor");
  });
});
