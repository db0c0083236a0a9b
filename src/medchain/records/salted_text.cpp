#include <sodium.h>

#include <algorithm>
#include <medchain/crypto/keccak.hpp>
#include <medchain/records/salted_text.hpp>
#include <stdexcept>

namespace medchain::records {
namespace {

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

ByteView text_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::size_t kNoteHeaderSize = kReasonNoteMagic.size() + Salt::size();

}  // namespace

SaltedText salt_text(std::string text) {
  ensure_sodium();
  SaltedText salted{{}, std::move(text)};
  randombytes_buf(salted.salt.data(), salted.salt.size());
  return salted;
}

Hash32 salted_hash(const SaltedText& salted) {
  Bytes preimage(salted.salt.bytes.begin(), salted.salt.bytes.end());
  const ByteView text = text_bytes(salted.text);
  preimage.insert(preimage.end(), text.begin(), text.end());
  return crypto::keccak256(preimage);
}

Result<Bytes> seal_reason_note(const SaltedText& reason, const X25519PublicKey& patient) {
  if (reason.text.size() > kMaxReasonBytes) {
    return Error{Errc::kInvalidArgument,
                 "a reason has at most " + std::to_string(kMaxReasonBytes) + " bytes"};
  }
  ensure_sodium();
  Bytes plain(kReasonNoteMagic.begin(), kReasonNoteMagic.end());
  plain.insert(plain.end(), reason.salt.bytes.begin(), reason.salt.bytes.end());
  const ByteView text = text_bytes(reason.text);
  plain.insert(plain.end(), text.begin(), text.end());
  Bytes sealed(plain.size() + crypto_box_SEALBYTES);
  const int sealed_ok = crypto_box_seal(sealed.data(), plain.data(), plain.size(), patient.data());
  sodium_memzero(plain.data(), plain.size());
  if (sealed_ok != 0) throw std::runtime_error("crypto_box_seal failed");
  return sealed;
}

Result<SaltedText> open_reason_note(ByteView sealed, const Hash32& expected_hash,
                                    std::span<const EncryptionKeyPair> mine) {
  ensure_sodium();
  if (sealed.size() < crypto_box_SEALBYTES + kNoteHeaderSize ||
      sealed.size() > crypto_box_SEALBYTES + kNoteHeaderSize + kMaxReasonBytes) {
    return Error{Errc::kInvalidLength,
                 "a sealed reason has " + std::to_string(crypto_box_SEALBYTES + kNoteHeaderSize) +
                     " to " +
                     std::to_string(crypto_box_SEALBYTES + kNoteHeaderSize + kMaxReasonBytes) +
                     " bytes, got " + std::to_string(sealed.size())};
  }
  Bytes plain(sealed.size() - crypto_box_SEALBYTES);
  const auto opens = [&](const EncryptionKeyPair& pair) {
    return crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), pair.public_key.data(),
                                pair.secret.data()) == 0;
  };
  if (std::none_of(mine.begin(), mine.end(), opens)) {
    return Error{Errc::kDecryptFailed, "the reason does not open with this account's keys"};
  }
  if (!std::equal(kReasonNoteMagic.begin(), kReasonNoteMagic.end(), plain.begin())) {
    return Error{Errc::kCheckFailed, "the sealed reason is not in a known format"};
  }
  SaltedText note;
  std::copy_n(plain.begin() + kReasonNoteMagic.size(), Salt::size(), note.salt.bytes.begin());
  note.text.assign(plain.begin() + kNoteHeaderSize, plain.end());
  if (salted_hash(note) != expected_hash) {
    return Error{Errc::kCheckFailed, "the reason is not the one the chain holds the hash of"};
  }
  return note;
}

}  // namespace medchain::records
