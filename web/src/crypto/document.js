// The record document, the plaintext inside an envelope (docs/format.md):
// u32 big-endian L ‖ L bytes of manifest JSON ‖ attachment bytes.
// Manifest: {"medchain": "record/1", "resource": {...}, "attachment": null | {contentType, size, title}}.
import { concatBytes } from './bytes.js';
import { validateResource } from './fhir.js';

export const MAX_MANIFEST_SIZE = 1 << 20;

export function makeManifest(resource, attachment = null) {
  validateResource(resource);
  if (attachment) {
    const described = resource.content?.[0]?.attachment;
    if (resource.resourceType !== 'DocumentReference' || !described) {
      throw new Error('a file record holds a DocumentReference describing the file');
    }
    if (described.contentType !== attachment.contentType || described.size !== attachment.size) {
      throw new Error('the DocumentReference does not describe the attached file');
    }
  }
  return { medchain: 'record/1', resource, attachment };
}

export function encodeDocument(manifest, attachmentBytes = new Uint8Array(0)) {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  if (json.length < 1 || json.length > MAX_MANIFEST_SIZE) throw new Error('the manifest is over 1 MiB');
  const expected = manifest.attachment ? manifest.attachment.size : 0;
  if (attachmentBytes.length !== expected) {
    throw new Error(`the manifest announces ${expected} attachment bytes, ${attachmentBytes.length} given`);
  }
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, json.length, false);
  return concatBytes([prefix, json, attachmentBytes]);
}

function checkManifest(manifest) {
  if (!manifest || manifest.medchain !== 'record/1' || typeof manifest.resource !== 'object' || manifest.resource === null) {
    throw new Error('not a record/1 manifest');
  }
  const a = manifest.attachment;
  if (a !== null && (typeof a !== 'object' || typeof a.contentType !== 'string' || !Number.isInteger(a.size) || a.size < 0 || typeof a.title !== 'string')) {
    throw new Error('the manifest attachment needs contentType, size and title');
  }
}

export function decodeDocument(bytes) {
  if (bytes.length < 4) throw new Error('the record document is truncated');
  const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  if (length < 1 || length > MAX_MANIFEST_SIZE || 4 + length > bytes.length) {
    throw new Error('the record document has a bad manifest length');
  }
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + length)));
  } catch {
    throw new Error('the record manifest is not UTF-8 JSON');
  }
  checkManifest(manifest);
  const attachment = bytes.slice(4 + length);
  const expected = manifest.attachment ? manifest.attachment.size : 0;
  if (attachment.length !== expected) {
    throw new Error(`the manifest announces ${expected} attachment bytes, the document holds ${attachment.length}`);
  }
  return { manifest, attachment };
}
