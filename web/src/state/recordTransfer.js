// Export and import of a patient's whole record (state/recordBundle.js has the format): the
// newest version of every record the caller can open, each checked against the chain as
// openRecord does; and a checked Bundle's entries added one by one as new records.
import { addRecord, openRecord } from './actions.js';
import { contentBytes, makeBundle } from './recordBundle.js';
import { makeSummary, validateSummary } from './patientSummary.js';
import { t } from '../i18n/index.js';

// The Bundle of the newest version of every record of `patient` the caller holds a key of.
// onProgress({done, total}) after each record. Returns {bundle, records, skipped, resources}.
export async function exportRecords(ctx, patient, onProgress) {
  const { records } = await ctx.api.get(`/v1/patients/${patient}/records`);
  const withVersions = records.filter((r) => r.versions.length);
  const opened = [];
  let skipped = 0;
  for (const [i, record] of withVersions.entries()) {
    const version = record.versions[record.versions.length - 1];
    try {
      const { manifest, attachment } = await openRecord(ctx, { recordId: record.recordId, version });
      opened.push({ recordId: record.recordId, version: version.version, category: version.category, resource: manifest.resource, attachment: manifest.attachment ? attachment : null });
    } catch (error) {
      if (!error.noKey) throw new Error(t('state.transfer.recordFailed', { n: i + 1, total: withVersions.length, reason: error.message }));
      skipped++; // no key shared with this account: not the caller's to export
    }
    onProgress?.({ done: i + 1, total: withVersions.length });
  }
  return { bundle: makeBundle(opened), records: opened.length, skipped, resources: opened.map((r) => r.resource) };
}

// How much of an entry of `weight` bytes is through, by writeVersion's steps: counted as its
// ciphertext uploads, all of it once uploaded, so the bar never goes back.
function sentOf(weight, phase, done, of) {
  if (phase === 'uploading') return Math.floor((weight * done) / (of || 1));
  return ['recording', 'sharing', 'summary', 'done'].includes(phase) ? weight : 0;
}

// Adds `contents` (parseBundle's answer) as new records of `patient`, in order.
// onProgress({done, total, bytesDone, bytesTotal, step}) as it goes. A failure names the entry
// and how many went in before it; returns the records written.
export async function importRecords(ctx, patient, contents, onProgress) {
  const total = contents.length;
  const bytesTotal = contents.reduce((sum, c) => sum + contentBytes(c), 0);
  let bytesDone = 0;
  const written = [];
  for (const [i, content] of contents.entries()) {
    const weight = contentBytes(content);
    try {
      const result = await addRecord(ctx, {
        patient,
        category: content.category,
        resource: content.resource,
        file: content.file,
        onProgress: ({ step, phase, done, total: of }) => onProgress?.({ done: i, total, step, bytesDone: bytesDone + sentOf(weight, phase, done, of), bytesTotal }),
      });
      written.push(result);
    } catch (error) {
      const where = { n: i + 1, total, reason: error.message };
      const message = i === 0 ? t('state.transfer.firstFailed', where) : t('state.transfer.laterFailed', { ...where, count: i });
      throw Object.assign(new Error(message), { imported: i });
    }
    bytesDone += weight;
    onProgress?.({ done: i + 1, total, step: t('state.write.step.imported'), bytesDone, bytesTotal });
  }
  return written;
}

// The International Patient Summary of the records exportRecords opens, checked by the IPS rules
// before it is handed out. Returns {summary, skipped}.
export async function exportSummary(ctx, patient, onProgress) {
  const { resources, skipped } = await exportRecords(ctx, patient, onProgress);
  const documentId = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  const summary = makeSummary({ patient, resources, now: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), documentId });
  validateSummary(summary);
  return { summary, skipped };
}
