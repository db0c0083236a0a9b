// The record envelope, format version 1 (docs/format.md, "Record envelope"): a record version's
// plaintext encrypted as a libsodium secretstream (XChaCha20-Poly1305) in 64 KiB chunks behind
// the magic "MCR1", and its content key sealed to each recipient's X25519 key. Encryption and
// decryption are streams in constant memory, so a gigabyte file never sits in RAM.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <functional>
#include <medchain/core/bytes.hpp>
#include <medchain/records/encryption_key.hpp>
#include <span>

namespace medchain::records {

inline constexpr std::array<std::uint8_t, 4> kEnvelopeMagic = {'M', 'C', 'R', '1'};
inline constexpr std::size_t kChunkPlaintext = 65536;
inline constexpr std::size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;  // 17
inline constexpr std::size_t kChunkCiphertext = kChunkPlaintext + kChunkOverhead;
inline constexpr std::size_t kEnvelopeHeaderSize =
    kEnvelopeMagic.size() + crypto_secretstream_xchacha20poly1305_HEADERBYTES;  // 28
inline constexpr std::size_t kLegacySealedKeySize = 32 + crypto_box_SEALBYTES;  // 80, format 1
inline constexpr std::array<std::uint8_t, 4> kSealedKeyMagic = {'M', 'C', 'K', '2'};
// "MCK2" ‖ record id ‖ version (u32 big-endian) ‖ digest ‖ content key, sealed: 152 bytes.
inline constexpr std::size_t kBoundKeyPlaintextSize = 4 + 32 + 4 + 32 + 32;
inline constexpr std::size_t kSealedKeySize = kBoundKeyPlaintextSize + crypto_box_SEALBYTES;

// One record version's key. Never reused across versions.
using ContentKey = FixedBytes<32, struct ContentKeyTag>;

ContentKey new_content_key();

// 28 + plaintext + 17 per chunk; an empty plaintext still has one (final) chunk.
std::uint64_t ciphertext_size(std::uint64_t plaintext_size);

// What a sealed key unlocks: one version of one record, whose ciphertext has `digest` (the
// SHA-256 the chain records). Sealed with the key, so that a node cannot hand a reader a genuine
// key of another record or version in place of the one asked for (docs/format.md).
struct KeyBinding {
  Hash32 record_id;
  std::uint32_t version = 0;
  Hash32 digest;
};

// crypto_box_seal of the binding and the key to the recipient (format 2, kSealedKeySize bytes):
// only the recipient's secret opens it.
Bytes seal_content_key(const ContentKey& key, const KeyBinding& binding,
                       const X25519PublicKey& recipient);

// Opens a key sealed to `mine`. `expected` is what the reader asked for, taken from the chain
// (never from the node's answer that carried the sealed key). Errors: kDecryptFailed when it is
// not sealed to `mine` or was altered; kCheckFailed when it is sealed for another record,
// version or ciphertext; kInvalidLength for a size that is neither format. A format 1 key (80
// bytes, no binding, written before format 2) still opens: its ciphertext's digest is checked
// against the chain all the same, and a key of another record fails to decrypt it.
Result<ContentKey> open_content_key(ByteView sealed, const KeyBinding& expected,
                                    const EncryptionKeyPair& mine);

// The same with any of the account's keys (the current one and those old data may still be
// sealed to, docs/format.md "Rotating the encryption key"): the first that opens it decides.
// REQUIRES: `mine` is not empty.
Result<ContentKey> open_content_key(ByteView sealed, const KeyBinding& expected,
                                    std::span<const EncryptionKeyPair> mine);

// Encrypts a plaintext of any length pushed in pieces of any size. Copyable: a copy taken
// before the first update() produces the same ciphertext again from the same plaintext, which
// lets a client hash the ciphertext in one pass and upload it in a second without storing it.
class Encryptor {
 public:
  explicit Encryptor(const ContentKey& key);  // a fresh random secretstream header

  // Appends to `out` the magic and header (on the first call) and the ciphertext of every
  // chunk completed by `plaintext`. Holds back at most one chunk of plaintext.
  void update(ByteView plaintext, Bytes& out);
  // Appends the rest, ending with the TAG_FINAL chunk. REQUIRES: not finished yet.
  void finish(Bytes& out);

  std::uint64_t plaintext_seen() const { return seen_; }

 private:
  void start(Bytes& out);
  void push_chunk(ByteView piece, std::uint8_t tag, Bytes& out);

  crypto_secretstream_xchacha20poly1305_state state_{};
  std::array<std::uint8_t, crypto_secretstream_xchacha20poly1305_HEADERBYTES> header_{};
  Bytes pending_;  // plaintext of the chunk not yet pushed (< kChunkPlaintext bytes, or exactly)
  std::uint64_t seen_{0};
  bool started_{false};
  bool finished_{false};
};

// Receives plaintext as it is authenticated, in pieces of at most one chunk.
using PlaintextSink = std::function<Status(ByteView)>;

// Decrypts an envelope pushed in pieces of any size. Nothing reaches the sink before its chunk
// authenticated, but a stream cut short is only known at finish(): a caller that writes the
// plaintext somewhere must not trust it before finish() succeeded.
class Decryptor {
 public:
  explicit Decryptor(const ContentKey& key);

  // kDecryptFailed for a wrong magic, a chunk that does not authenticate (altered, reordered,
  // another key) or bytes after the final chunk; any error of the sink as it is.
  Status update(ByteView ciphertext, const PlaintextSink& sink);
  // kDecryptFailed if the final chunk never came (truncated).
  Status finish(const PlaintextSink& sink);

 private:
  Status pull_chunk(const PlaintextSink& sink);

  ContentKey key_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  Bytes pending_;  // ciphertext not yet decrypted
  Bytes plain_;    // one chunk's plaintext, reused
  bool started_{false};
  bool finished_{false};
};

// Produces the envelope of a plaintext source on demand, for an upload body: `plaintext` fills
// a span and returns how much it wrote, 0 at the end.
using ReadFn = std::function<Result<std::size_t>(std::span<std::uint8_t>)>;

class EncryptingReader {
 public:
  EncryptingReader(Encryptor encryptor, ReadFn plaintext);
  // Fills up to out.size() bytes of ciphertext; 0 once the envelope is complete.
  Result<std::size_t> read(std::span<std::uint8_t> out);

 private:
  Encryptor encryptor_;
  ReadFn plaintext_;
  Bytes buffer_;  // ciphertext produced but not yet handed out
  std::size_t offset_{0};
  Bytes piece_;
  bool done_{false};
};

// Whole-buffer helpers for small payloads and tests.
Bytes encrypt(const ContentKey& key, ByteView plaintext);
Result<Bytes> decrypt(const ContentKey& key, ByteView envelope);

}  // namespace medchain::records
