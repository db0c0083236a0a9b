#include <algorithm>
#include <cstring>
#include <medchain/records/envelope.hpp>
#include <stdexcept>

namespace medchain::records {
namespace {

constexpr std::uint8_t kTagMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr std::uint8_t kTagFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

Error decrypt_failed(std::string what) {
  return Error{Errc::kDecryptFailed, std::move(what)};
}

}  // namespace

ContentKey new_content_key() {
  ensure_sodium();
  ContentKey key;
  crypto_secretstream_xchacha20poly1305_keygen(key.data());
  return key;
}

std::uint64_t ciphertext_size(std::uint64_t plaintext_size) {
  return kEnvelopeHeaderSize + plaintext_size +
         kChunkOverhead * (plaintext_size / kChunkPlaintext + 1);
}

Bytes seal_content_key(const ContentKey& key, const KeyBinding& binding,
                       const X25519PublicKey& recipient) {
  ensure_sodium();
  Bytes plain;
  plain.reserve(kBoundKeyPlaintextSize);
  plain.insert(plain.end(), kSealedKeyMagic.begin(), kSealedKeyMagic.end());
  plain.insert(plain.end(), binding.record_id.bytes.begin(), binding.record_id.bytes.end());
  for (int shift = 24; shift >= 0; shift -= 8) {
    plain.push_back(static_cast<std::uint8_t>(binding.version >> shift));
  }
  plain.insert(plain.end(), binding.digest.bytes.begin(), binding.digest.bytes.end());
  plain.insert(plain.end(), key.bytes.begin(), key.bytes.end());
  Bytes sealed(kSealedKeySize);
  const int sealed_ok =
      crypto_box_seal(sealed.data(), plain.data(), plain.size(), recipient.data());
  sodium_memzero(plain.data(), plain.size());
  if (sealed_ok != 0) throw std::runtime_error("crypto_box_seal failed");
  return sealed;
}

Result<ContentKey> open_content_key(ByteView sealed, const KeyBinding& expected,
                                    const EncryptionKeyPair& mine) {
  ensure_sodium();
  if (sealed.size() != kSealedKeySize && sealed.size() != kLegacySealedKeySize) {
    return Error{Errc::kInvalidLength, "a sealed key has " + std::to_string(kSealedKeySize) +
                                           " bytes (or " + std::to_string(kLegacySealedKeySize) +
                                           " in format 1), got " + std::to_string(sealed.size())};
  }
  Bytes plain(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), mine.public_key.data(),
                           mine.secret.data()) != 0) {
    return decrypt_failed("the sealed key does not open with this account's encryption key");
  }
  ContentKey key;
  std::copy(plain.end() - key.size(), plain.end(), key.bytes.begin());
  if (sealed.size() == kLegacySealedKeySize) {
    sodium_memzero(plain.data(), plain.size());
    return key;
  }
  KeyBinding found;
  std::copy_n(plain.begin() + 4, 32, found.record_id.bytes.begin());
  for (std::size_t i = 36; i < 40; ++i) found.version = (found.version << 8) | plain[i];
  std::copy_n(plain.begin() + 40, 32, found.digest.bytes.begin());
  const bool magic_ok = std::equal(kSealedKeyMagic.begin(), kSealedKeyMagic.end(), plain.begin());
  sodium_memzero(plain.data(), plain.size());
  if (!magic_ok) return Error{Errc::kCheckFailed, "the sealed key is not in a known format"};
  if (found.record_id != expected.record_id || found.version != expected.version) {
    return Error{Errc::kCheckFailed, "the node served a key sealed for another record or version"};
  }
  if (found.digest != expected.digest) {
    return Error{Errc::kCheckFailed,
                 "the node served a key sealed for another ciphertext than the chain names"};
  }
  return key;
}

Result<ContentKey> open_content_key(ByteView sealed, const KeyBinding& expected,
                                    std::span<const EncryptionKeyPair> mine) {
  Result<ContentKey> opened = decrypt_failed("no encryption key to open the sealed key with");
  for (const EncryptionKeyPair& pair : mine) {
    opened = open_content_key(sealed, expected, pair);
    if (opened.ok() || opened.error().code != Errc::kDecryptFailed) return opened;
  }
  return opened;
}

// --- Encryptor ---

Encryptor::Encryptor(const ContentKey& key) {
  ensure_sodium();
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header_.data(), key.data());
  pending_.reserve(kChunkPlaintext);
}

void Encryptor::start(Bytes& out) {
  if (started_) return;
  started_ = true;
  out.insert(out.end(), kEnvelopeMagic.begin(), kEnvelopeMagic.end());
  out.insert(out.end(), header_.begin(), header_.end());
}

void Encryptor::push_chunk(ByteView piece, std::uint8_t tag, Bytes& out) {
  const std::size_t at = out.size();
  out.resize(at + piece.size() + kChunkOverhead);
  crypto_secretstream_xchacha20poly1305_push(&state_, out.data() + at, nullptr, piece.data(),
                                             piece.size(), nullptr, 0, tag);
}

void Encryptor::update(ByteView plaintext, Bytes& out) {
  if (finished_) throw std::logic_error("Encryptor::update after finish");
  start(out);
  seen_ += plaintext.size();
  // A full chunk is pushed as soon as it is complete: the final chunk carries the remainder,
  // 0..65,535 bytes, so a multiple of 64 KiB ends with an empty final chunk.
  while (!plaintext.empty()) {
    if (pending_.empty() && plaintext.size() >= kChunkPlaintext) {
      push_chunk(plaintext.first(kChunkPlaintext), kTagMessage, out);
      plaintext = plaintext.subspan(kChunkPlaintext);
      continue;
    }
    const std::size_t take = std::min(plaintext.size(), kChunkPlaintext - pending_.size());
    pending_.insert(pending_.end(), plaintext.begin(), plaintext.begin() + take);
    plaintext = plaintext.subspan(take);
    if (pending_.size() == kChunkPlaintext) {
      push_chunk(pending_, kTagMessage, out);
      pending_.clear();
    }
  }
}

void Encryptor::finish(Bytes& out) {
  if (finished_) throw std::logic_error("Encryptor::finish twice");
  start(out);
  push_chunk(pending_, kTagFinal, out);
  pending_.clear();
  finished_ = true;
}

// --- Decryptor ---

Decryptor::Decryptor(const ContentKey& key) : key_(key) {
  ensure_sodium();
  pending_.reserve(kChunkCiphertext);
  plain_.resize(kChunkPlaintext);
}

Status Decryptor::pull_chunk(const PlaintextSink& sink) {
  if (pending_.size() < kChunkOverhead) return decrypt_failed("the record ciphertext is cut short");
  unsigned long long length = 0;
  std::uint8_t tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_, plain_.data(), &length, &tag,
                                                 pending_.data(), pending_.size(), nullptr,
                                                 0) != 0) {
    return decrypt_failed("the record ciphertext does not authenticate (altered or another key)");
  }
  const bool full = pending_.size() == kChunkCiphertext;
  pending_.clear();
  if (tag == kTagFinal) {
    finished_ = true;
  } else if (tag != kTagMessage || !full) {
    // A short chunk must be the final one; other tags are not part of the format.
    return decrypt_failed("the record ciphertext has a chunk the format does not allow");
  }
  if (length > 0) return sink(ByteView(plain_.data(), static_cast<std::size_t>(length)));
  return {};
}

Status Decryptor::update(ByteView ciphertext, const PlaintextSink& sink) {
  while (!ciphertext.empty()) {
    if (finished_) return decrypt_failed("the record ciphertext continues after its final chunk");
    if (!started_) {
      const std::size_t take = std::min(ciphertext.size(), kEnvelopeHeaderSize - pending_.size());
      pending_.insert(pending_.end(), ciphertext.begin(), ciphertext.begin() + take);
      ciphertext = ciphertext.subspan(take);
      if (pending_.size() < kEnvelopeHeaderSize) return {};
      if (!std::equal(kEnvelopeMagic.begin(), kEnvelopeMagic.end(), pending_.begin())) {
        return decrypt_failed("not a medchain record envelope (no MCR1 magic)");
      }
      if (crypto_secretstream_xchacha20poly1305_init_pull(
              &state_, pending_.data() + kEnvelopeMagic.size(), key_.data()) != 0) {
        return decrypt_failed("the record envelope has an invalid header");
      }
      pending_.clear();
      started_ = true;
      continue;
    }
    // Chunks are cut at 65,553 bytes; a chunk is decrypted only once it is known whole.
    const std::size_t take = std::min(ciphertext.size(), kChunkCiphertext - pending_.size());
    pending_.insert(pending_.end(), ciphertext.begin(), ciphertext.begin() + take);
    ciphertext = ciphertext.subspan(take);
    if (pending_.size() == kChunkCiphertext) MEDCHAIN_TRY_STATUS(pull_chunk(sink));
  }
  return {};
}

Status Decryptor::finish(const PlaintextSink& sink) {
  if (!started_) return decrypt_failed("the record ciphertext is cut short");
  if (!finished_ && !pending_.empty()) MEDCHAIN_TRY_STATUS(pull_chunk(sink));
  if (!finished_) return decrypt_failed("the record ciphertext is cut short (no final chunk)");
  return {};
}

// --- EncryptingReader ---

EncryptingReader::EncryptingReader(Encryptor encryptor, ReadFn plaintext)
    : encryptor_(std::move(encryptor)), plaintext_(std::move(plaintext)) {
  piece_.resize(kChunkPlaintext);
}

Result<std::size_t> EncryptingReader::read(std::span<std::uint8_t> out) {
  while (offset_ == buffer_.size()) {
    if (done_) return std::size_t{0};
    buffer_.clear();
    offset_ = 0;
    MEDCHAIN_TRY(std::size_t got, plaintext_(piece_));
    if (got == 0) {
      encryptor_.finish(buffer_);
      done_ = true;
    } else {
      encryptor_.update(ByteView(piece_.data(), got), buffer_);
    }
  }
  const std::size_t n = std::min(out.size(), buffer_.size() - offset_);
  std::memcpy(out.data(), buffer_.data() + offset_, n);
  offset_ += n;
  return n;
}

// --- whole buffers ---

Bytes encrypt(const ContentKey& key, ByteView plaintext) {
  Encryptor encryptor(key);
  Bytes out;
  out.reserve(ciphertext_size(plaintext.size()));
  encryptor.update(plaintext, out);
  encryptor.finish(out);
  return out;
}

Result<Bytes> decrypt(const ContentKey& key, ByteView envelope) {
  Decryptor decryptor(key);
  Bytes plaintext;
  const PlaintextSink append = [&](ByteView piece) -> Status {
    plaintext.insert(plaintext.end(), piece.begin(), piece.end());
    return {};
  };
  MEDCHAIN_TRY_STATUS(decryptor.update(envelope, append));
  MEDCHAIN_TRY_STATUS(decryptor.finish(append));
  return plaintext;
}

}  // namespace medchain::records
