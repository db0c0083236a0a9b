// A patient's whole record as one FHIR R4 Bundle of type "collection", the format `medchain
// records export | import` reads and writes (docs/cli.md, "Records"; the C++ is
// apps/medchain/records/record_bundle.*): each entry a resource with a stable urn:uuid fullUrl,
// a file record's bytes base64 in its DocumentReference's content[0].attachment.data, and the
// record's category in the entry extension below. Pure functions: no React, no network.
import { sha256 } from '@noble/hashes/sha2.js';
import { validateResource } from '../crypto/fhir.js';
import { CATEGORIES } from '../chain/scopes.js';
import { t } from '../i18n/index.js';

export const CATEGORY_EXTENSION = 'https://medchain.dev/fhir/StructureDefinition/record-category';
// As the CLI: a Bundle is parsed whole; beyond this, add its records one by one.
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

// RFC 9562 version 8 (custom): the first 122 bits of SHA-256 of the name, as the C++
// fhir::name_based_uuid.
export function nameBasedUuid(name) {
  const h = hex(sha256(new TextEncoder().encode(name))).split('');
  h[12] = '8';
  h[16] = '89ab'[parseInt(h[16], 16) & 3];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

// The fullUrl of a record version's entry: the same as the CLI gives it.
export const entryFullUrl = (recordId, version) => `urn:uuid:${nameBasedUuid(`medchain bundle entry ${recordId.toLowerCase()}/${version}`)}`;

// Standard base64 of bytes, in pieces (a multiple of 3 bytes) so a large file does not overflow
// the argument list of String.fromCharCode.
export function toBase64(bytes) {
  const parts = [];
  const piece = 3 * 8192;
  for (let at = 0; at < bytes.length; at += piece) {
    parts.push(btoa(String.fromCharCode.apply(null, bytes.subarray(at, at + piece))));
  }
  return parts.join('');
}

// The bytes of standard base64 text, or null when it is not base64 (as the CLI: length a
// multiple of 4, the standard alphabet, padding only at the end).
export function fromBase64(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const hasCode = (resource, field, code) =>
  (Array.isArray(resource[field]) ? resource[field] : [resource[field]]).some((c) => c?.coding?.some((coding) => coding?.code === code));

// The category a resource suggests when its entry names none: the C++ fhir::suggest_category.
export function suggestCategory(resource) {
  switch (resource?.resourceType) {
    case 'Observation':
      if (hasCode(resource, 'category', 'laboratory')) return 'lab';
      if (hasCode(resource, 'category', 'imaging')) return 'imaging';
      if (hasCode(resource, 'category', 'procedure')) return 'procedure';
      return 'general';
    case 'DiagnosticReport':
      return hasCode(resource, 'category', 'RAD') || hasCode(resource, 'category', 'IMG') ? 'imaging' : 'lab';
    case 'MedicationStatement':
    case 'MedicationRequest':
      return 'medication';
    case 'AllergyIntolerance':
      return 'allergy';
    case 'Immunization':
      return 'immunization';
    case 'Procedure':
      return 'procedure';
    case 'ImagingStudy':
      return 'imaging';
    case 'DocumentReference': {
      const mime = resource.content?.[0]?.attachment?.contentType ?? '';
      return mime.startsWith('image/') || mime === 'application/dicom' ? 'imaging' : 'clinical-note';
    }
    default:
      return 'general';
  }
}

// The Bundle of `records`, each {recordId, version, category, resource, attachment} where
// `resource` is the manifest's and `attachment` the file's bytes or null.
export function makeBundle(records) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: records.map((r) => {
      const resource = structuredClone(r.resource);
      if (r.attachment) resource.content[0].attachment.data = toBase64(r.attachment);
      const entry = { fullUrl: entryFullUrl(r.recordId, r.version), resource };
      if (r.category) entry.extension = [{ url: CATEGORY_EXTENSION, valueCode: r.category }];
      return entry;
    }),
  };
}

function entryCategory(entry, resource) {
  for (const extension of Array.isArray(entry.extension) ? entry.extension : []) {
    if (extension?.url !== CATEGORY_EXTENSION) continue;
    if (!CATEGORIES.some((c) => c.name === extension.valueCode)) throw new Error(t('state.bundle.unknownCategory', { category: JSON.stringify(extension.valueCode) }));
    return extension.valueCode;
  }
  return suggestCategory(resource);
}

// One entry as the content of a new record, {category, resource, file}: as the CLI, a
// DocumentReference whose first attachment carries `data` becomes a file record of those bytes.
function entryContent(entry) {
  if (!entry || typeof entry !== 'object' || !entry.resource || typeof entry.resource !== 'object' || Array.isArray(entry.resource)) {
    throw new Error(t('state.bundle.noResource'));
  }
  const resource = structuredClone(entry.resource);
  const category = entryCategory(entry, resource);
  const attachment = resource.resourceType === 'DocumentReference' && Array.isArray(resource.content) ? resource.content[0]?.attachment : null;
  let file = null;
  if (attachment && typeof attachment === 'object' && 'data' in attachment) {
    const bytes = fromBase64(attachment.data);
    if (!bytes) throw new Error(t('state.bundle.notBase64'));
    delete attachment.data;
    if ('size' in attachment && attachment.size !== bytes.length) throw new Error(t('state.bundle.wrongSize'));
    attachment.contentType = attachment.contentType ?? 'application/octet-stream';
    attachment.size = bytes.length;
    attachment.title = attachment.title ?? 'attachment';
    file = { bytes, contentType: attachment.contentType, title: attachment.title };
  }
  validateResource(resource);
  return { category, resource, file };
}

// Every entry of a Bundle's JSON text checked and turned into record content, before anything is
// written: [{category, resource, file}]. Throws an Error naming the first bad entry ("entry 2 of
// 5: …; nothing imported").
export function parseBundle(text) {
  if (text.length > MAX_BUNDLE_BYTES) throw new Error(t('state.bundle.tooLarge'));
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch {
    throw new Error(t('state.bundle.notJson'));
  }
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    throw new Error(t('state.bundle.notBundle'));
  }
  const total = bundle.entry.length;
  return bundle.entry.map((entry, i) => {
    try {
      return entryContent(entry);
    } catch (error) {
      throw new Error(t('state.bundle.badEntry', { n: i + 1, total, reason: error.message }));
    }
  });
}

// The bytes a record's content weighs, for a progress bar: its resource's JSON and its file.
export const contentBytes = (content) => JSON.stringify(content.resource).length + (content.file?.bytes.length ?? 0);
