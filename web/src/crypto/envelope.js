// The record envelope, format version 1 (docs/format.md): "MCR1" ‖ secretstream header (24) ‖
// chunks of crypto_secretstream_xchacha20poly1305, each 65,536 plaintext bytes with TAG_MESSAGE
// except the last, which carries 0..65,536 bytes with TAG_FINAL. Both directions work a chunk at
// a time, so memory stays constant in the size of the record.
import { sodium } from './sodium.js';
import { t } from '../i18n/index.js';
import { concatBytes } from './bytes.js';

export const MAGIC = new Uint8Array([0x4d, 0x43, 0x52, 0x31]); // "MCR1"
export const CHUNK_SIZE = 65536;
const HEADER_SIZE = 24;
const ABYTES = 17;
export const CIPHERTEXT_CHUNK_SIZE = CHUNK_SIZE + ABYTES;
export const PREFIX_SIZE = MAGIC.length + HEADER_SIZE;

export function ciphertextSize(plaintextSize) {
  return PREFIX_SIZE + plaintextSize + ABYTES * (Math.floor(plaintextSize / CHUNK_SIZE) + 1);
}

export async function newContentKey() {
  const s = await sodium();
  return s.crypto_secretstream_xchacha20poly1305_keygen();
}

// Encrypts a plaintext given piece by piece; emits ciphertext through `sink(bytes)`.
export class Encryptor {
  static async create(key, sink) {
    const s = await sodium();
    const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
    sink(MAGIC);
    sink(header);
    return new Encryptor(s, state, sink);
  }

  constructor(s, state, sink) {
    this.s = s;
    this.state = state;
    this.sink = sink;
    this.pending = new Uint8Array(CHUNK_SIZE);
    this.filled = 0;
    this.finished = false;
  }

  update(bytes) {
    if (this.finished) throw new Error('the envelope is already finished');
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(CHUNK_SIZE - this.filled, bytes.length - at);
      this.pending.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      // A full chunk goes out at once, so the final chunk holds 0..65,535 bytes as written
      // (the size formula counts floor(n / 65536) + 1 chunks).
      if (this.filled === CHUNK_SIZE) this.#push(this.s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    }
  }

  finish() {
    if (this.finished) throw new Error('the envelope is already finished');
    this.#push(this.s.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    this.finished = true;
  }

  #push(tag) {
    const piece = this.pending.slice(0, this.filled);
    this.sink(this.s.crypto_secretstream_xchacha20poly1305_push(this.state, piece, null, tag));
    this.filled = 0;
  }
}

// Decrypts a ciphertext given piece by piece (any sizes); emits plaintext through `sink(bytes)`.
// Fails on a wrong magic, a chunk that does not authenticate, a missing TAG_FINAL (truncation)
// and anything after TAG_FINAL.
export class Decryptor {
  static async create(key, sink) {
    return new Decryptor(await sodium(), key, sink);
  }

  constructor(s, key, sink) {
    this.s = s;
    this.key = key;
    this.sink = sink;
    this.state = null;
    this.buffer = new Uint8Array(0);
    this.finalSeen = false;
  }

  update(bytes) {
    if (this.finalSeen && bytes.length > 0) throw new Error('the envelope has bytes after its final chunk');
    this.buffer = this.buffer.length ? concatBytes([this.buffer, bytes]) : bytes.slice();
    if (!this.state) {
      if (this.buffer.length < PREFIX_SIZE) return;
      for (let i = 0; i < MAGIC.length; i++) {
        if (this.buffer[i] !== MAGIC[i]) throw new Error('not a medchain record envelope (wrong magic)');
      }
      const header = this.buffer.subarray(MAGIC.length, PREFIX_SIZE);
      this.state = this.s.crypto_secretstream_xchacha20poly1305_init_pull(header, this.key);
      this.buffer = this.buffer.slice(PREFIX_SIZE);
    }
    // Keep the last full chunk until more arrives or the input ends: it may be the final one.
    while (this.buffer.length > CIPHERTEXT_CHUNK_SIZE) {
      this.#pull(this.buffer.subarray(0, CIPHERTEXT_CHUNK_SIZE));
      this.buffer = this.buffer.slice(CIPHERTEXT_CHUNK_SIZE);
    }
  }

  finish() {
    if (!this.state) throw new Error('the envelope is truncated (no header)');
    if (this.buffer.length > 0) {
      this.#pull(this.buffer);
      this.buffer = new Uint8Array(0);
    }
    if (!this.finalSeen) throw new Error('the envelope is truncated (no final chunk)');
  }

  #pull(chunk) {
    if (this.finalSeen) throw new Error('the envelope has bytes after its final chunk');
    if (chunk.length < ABYTES) throw new Error('the envelope is truncated (a partial chunk)');
    let result;
    try {
      result = this.s.crypto_secretstream_xchacha20poly1305_pull(this.state, chunk, null);
    } catch {
      result = false;
    }
    if (!result) throw new Error(t('state.chain.recordNotDecrypting'));
    const { message, tag } = result;
    if (tag === this.s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      this.finalSeen = true;
    } else if (tag !== this.s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw new Error(`the envelope has an unexpected chunk tag ${tag}`);
    } else if (message.length !== CHUNK_SIZE) {
      throw new Error('the envelope has a short chunk before its final one');
    }
    this.sink(message);
  }
}

// Whole-buffer helpers.
export async function encryptEnvelope(key, plaintext, onProgress) {
  const parts = [];
  const encryptor = await Encryptor.create(key, (bytes) => parts.push(bytes));
  for (let at = 0; at < plaintext.length; at += CHUNK_SIZE) {
    encryptor.update(plaintext.subarray(at, at + CHUNK_SIZE));
    onProgress?.(Math.min(at + CHUNK_SIZE, plaintext.length), plaintext.length);
  }
  encryptor.finish();
  return concatBytes(parts);
}

export async function decryptEnvelope(key, ciphertext) {
  const parts = [];
  const decryptor = await Decryptor.create(key, (bytes) => parts.push(bytes));
  for (let at = 0; at < ciphertext.length; at += CIPHERTEXT_CHUNK_SIZE) {
    decryptor.update(ciphertext.subarray(at, at + CIPHERTEXT_CHUNK_SIZE));
  }
  decryptor.finish();
  return concatBytes(parts);
}
