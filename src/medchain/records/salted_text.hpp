// Salted commitments to text that stays off chain (docs/format.md, "Reasons and licences"): a
// doctor's reason for an access request and a doctor's licence. The chain holds only
// keccak256(salt ‖ text); the 32-byte random salt keeps a short or common text (a licence number,
// "follow-up visit") from being found by hashing guesses. A reason reaches the patient as a note
// sealed to the patient's encryption key; the patient's client opens it and checks it against
// the hash the chain holds, so a node can neither read it nor pass off a reason of its own.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/records/encryption_key.hpp>
#include <span>
#include <string>
#include <string_view>

namespace medchain::records {

using Salt = FixedBytes<32, struct SaltTag>;

inline constexpr std::size_t kMaxReasonBytes = 1024;
inline constexpr std::array<std::uint8_t, 4> kReasonNoteMagic = {'M', 'C', 'N', '1'};

struct SaltedText {
  Salt salt;
  std::string text;
};

// A fresh random salt for `text`.
SaltedText salt_text(std::string text);

// keccak256(salt ‖ UTF-8 text): what goes on chain.
Hash32 salted_hash(const SaltedText& salted);

// crypto_box_seal("MCN1" ‖ salt ‖ reason) to the patient's key. kInvalidArgument for a reason
// longer than kMaxReasonBytes.
Result<Bytes> seal_reason_note(const SaltedText& reason, const X25519PublicKey& patient);

// Opens a note with any of the patient's keys and checks it against `expected_hash`, the
// request's reason hash as the chain holds it. kDecryptFailed when no key opens it (not sealed
// to this patient, or altered); kCheckFailed when it opens but is not the reason the chain
// committed to, or is not in the note format.
Result<SaltedText> open_reason_note(ByteView sealed, const Hash32& expected_hash,
                                    std::span<const EncryptionKeyPair> mine);

}  // namespace medchain::records
