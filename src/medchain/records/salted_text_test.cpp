#include <gtest/gtest.h>
#include <sodium.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/records/salted_text.hpp>

namespace medchain::records {
namespace {

EncryptionKeyPair key_pair() {
  EncryptionKeyPair pair;
  crypto_box_keypair(pair.public_key.data(), pair.secret.data());
  return pair;
}

TEST(SaltedText, HashIsKeccakOfSaltThenText) {
  SaltedText salted{{}, "abc"};
  salted.salt.bytes.fill(0x11);
  Bytes preimage(32, 0x11);
  preimage.insert(preimage.end(), {'a', 'b', 'c'});
  EXPECT_EQ(salted_hash(salted), crypto::keccak256(preimage));
}

TEST(SaltedText, EachSaltIsFreshSoTheSameTextHashesDifferently) {
  const SaltedText a = salt_text("follow-up");
  const SaltedText b = salt_text("follow-up");
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(salted_hash(a), salted_hash(b));
}

TEST(SaltedText, AReasonOpensOnlyForItsPatientAndOnlyAgainstItsHash) {
  const EncryptionKeyPair patient = key_pair();
  const EncryptionKeyPair stranger = key_pair();
  const SaltedText reason = salt_text("Second opinion on the MRI");
  const Bytes sealed = seal_reason_note(reason, patient.public_key).value();

  const auto opened = open_reason_note(sealed, salted_hash(reason), std::span(&patient, 1));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->text, reason.text);

  const auto wrong_key = open_reason_note(sealed, salted_hash(reason), std::span(&stranger, 1));
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error().code, Errc::kDecryptFailed);

  // A node that seals a reason of its own to the patient cannot make it match the chain's hash.
  const Bytes forged =
      seal_reason_note(salt_text("Emergency: sign now"), patient.public_key).value();
  const auto refused = open_reason_note(forged, salted_hash(reason), std::span(&patient, 1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kCheckFailed);
}

TEST(SaltedText, SizesOutsideTheFormatAreRefused) {
  const EncryptionKeyPair patient = key_pair();
  EXPECT_EQ(seal_reason_note(salt_text(std::string(kMaxReasonBytes + 1, 'x')), patient.public_key)
                .error()
                .code,
            Errc::kInvalidArgument);
  EXPECT_TRUE(
      seal_reason_note(salt_text(std::string(kMaxReasonBytes, 'x')), patient.public_key).ok());
  EXPECT_EQ(open_reason_note(Bytes(10), Hash32{}, std::span(&patient, 1)).error().code,
            Errc::kInvalidLength);
}

}  // namespace
}  // namespace medchain::records
