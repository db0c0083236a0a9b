#include <gtest/gtest.h>

#include <medchain/crypto/sha256.hpp>
#include <medchain/records/escrow.hpp>

namespace medchain::records {
namespace {

EncryptionKeyPair key_pair() {
  EncryptionKeyPair pair;
  crypto_box_keypair(pair.public_key.data(), pair.secret.data());
  return pair;
}

KeyBinding binding_of(const std::string& record, std::uint32_t version) {
  return {crypto::sha256(as_bytes("record " + record)), version,
          crypto::sha256(as_bytes("ciphertext " + record + std::to_string(version)))};
}

// A patient's escrow among n fresh custodians, every share opened by its custodian.
struct Escrow {
  std::vector<EncryptionKeyPair> custodians;
  EscrowDealing dealing;
  std::vector<EscrowShare> shares;

  Escrow(std::uint8_t k, std::uint8_t n) {
    std::vector<X25519PublicKey> keys;
    for (int i = 0; i < n; ++i) {
      custodians.push_back(key_pair());
      keys.push_back(custodians.back().public_key);
    }
    dealing = deal_escrow(patient(), k, keys).value();
    for (std::uint8_t i = 1; i <= n; ++i) {
      shares.push_back(
          open_escrow_share(dealing.sealed_shares[i - 1], policy(), i, custodians[i - 1]).value());
    }
  }
  static Address patient() { return Address::from_view(Bytes(20, 0xaa)).value(); }
  const EscrowPolicy& policy() const { return dealing.policy; }

  // The doctor's partial from custodian `index` for a wrapped key.
  EscrowPartial partial(std::uint8_t index, ByteView wrapped, const KeyBinding& binding,
                        const EncryptionKeyPair& doctor) const {
    const Bytes sealed =
        make_escrow_partial(shares[index - 1], policy(), wrapped, binding, doctor.public_key)
            .value();
    return open_escrow_partial(sealed, policy(), wrapped, binding, doctor).value();
  }
};

struct Wrapped {
  ContentKey key = new_content_key();
  KeyBinding binding;
  Bytes bytes;
};

Wrapped wrap(const Escrow& escrow, const KeyBinding& binding) {
  Wrapped w;
  w.binding = binding;
  w.bytes = wrap_for_escrow(w.key, binding, escrow.policy().escrow_key()).value();
  return w;
}

Result<ContentKey> combine(const Escrow& escrow, const Wrapped& w,
                           std::vector<std::uint8_t> indices, const EncryptionKeyPair& doctor) {
  std::vector<EscrowPartial> partials;
  for (std::uint8_t i : indices) partials.push_back(escrow.partial(i, w.bytes, w.binding, doctor));
  return open_escrow_wrapped_key(w.bytes, w.binding, escrow.policy(), partials);
}

TEST(Escrow, SizesAreFixed) {
  const Escrow escrow(2, 3);
  for (const Bytes& sealed : escrow.dealing.sealed_shares) {
    EXPECT_EQ(sealed.size(), kSealedEscrowShareSize);
  }
  EXPECT_EQ(kSealedEscrowShareSize, 139u);
  EXPECT_EQ(kEscrowWrappedKeySize, 144u);
  EXPECT_EQ(kSealedEscrowPartialSize, 281u);
  const Wrapped w = wrap(escrow, binding_of("a", 1));
  EXPECT_EQ(w.bytes.size(), kEscrowWrappedKeySize);
  EXPECT_EQ(escrow.policy().commitments.size(), 2u);
}

TEST(Escrow, AnyTwoOfThreeOpenAndOneDoesNot) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("a", 1));
  for (std::vector<std::uint8_t> set :
       {std::vector<std::uint8_t>{1, 2}, {1, 3}, {2, 3}, {3, 1}, {1, 2, 3}}) {
    auto opened = combine(escrow, w, set, doctor);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened.value(), w.key);
  }
  for (std::uint8_t i = 1; i <= 3; ++i) {
    auto alone = combine(escrow, w, {i}, doctor);
    ASSERT_FALSE(alone.ok());
    EXPECT_EQ(alone.error().code, Errc::kDecryptFailed);
  }
}

TEST(Escrow, AnyThreeOfFiveOpenAndTwoDoNot) {
  const Escrow escrow(3, 5);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("b", 7));
  for (std::uint8_t a = 1; a <= 5; ++a) {
    for (std::uint8_t b = a + 1; b <= 5; ++b) {
      auto two = combine(escrow, w, {a, b}, doctor);
      ASSERT_FALSE(two.ok());
      EXPECT_EQ(two.error().code, Errc::kDecryptFailed);
      for (std::uint8_t c = b + 1; c <= 5; ++c) {
        auto three = combine(escrow, w, {a, b, c}, doctor);
        ASSERT_TRUE(three.ok()) << three.error().message;
        EXPECT_EQ(three.value(), w.key);
      }
    }
  }
}

// Even with k partials, two that are really a k - 1 set plus a forged one open nothing: the
// interpolation only works on the committed polynomial.
TEST(Escrow, KMinusOnePartialsWithAGuessedOneFail) {
  const Escrow escrow(3, 5);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("c", 1));
  std::vector<EscrowPartial> partials = {escrow.partial(1, w.bytes, w.binding, doctor),
                                         escrow.partial(2, w.bytes, w.binding, doctor),
                                         escrow.partial(4, w.bytes, w.binding, doctor)};
  partials[2].point = escrow.policy().escrow_key();  // a guess
  auto opened = open_escrow_wrapped_key(w.bytes, w.binding, escrow.policy(), partials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kDecryptFailed);
}

TEST(Escrow, PartialsOfVersionOneDoNotOpenVersionTwo) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped v1 = wrap(escrow, binding_of("r", 1));
  const Wrapped v2 = wrap(escrow, binding_of("r", 2));
  std::vector<EscrowPartial> of_v1 = {escrow.partial(1, v1.bytes, v1.binding, doctor),
                                      escrow.partial(2, v1.bytes, v1.binding, doctor)};
  ASSERT_TRUE(open_escrow_wrapped_key(v1.bytes, v1.binding, escrow.policy(), of_v1).ok());
  // The raw points do not open version 2 (another R) …
  auto reused = open_escrow_wrapped_key(v2.bytes, v2.binding, escrow.policy(), of_v1);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, Errc::kDecryptFailed);
  // … and a sealed partial of version 1 is refused when presented for version 2.
  const Bytes sealed = make_escrow_partial(escrow.shares[0], escrow.policy(), v1.bytes, v1.binding,
                                           doctor.public_key)
                           .value();
  auto mixed = open_escrow_partial(sealed, escrow.policy(), v2.bytes, v2.binding, doctor);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().code, Errc::kCheckFailed);
  auto other_binding = open_escrow_partial(sealed, escrow.policy(), v1.bytes, v2.binding, doctor);
  ASSERT_FALSE(other_binding.ok());
  EXPECT_EQ(other_binding.error().code, Errc::kCheckFailed);
}

TEST(Escrow, WrappedKeyIsBoundToItsVersion) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("r", 1));
  std::vector<EscrowPartial> partials = {escrow.partial(1, w.bytes, w.binding, doctor),
                                         escrow.partial(3, w.bytes, w.binding, doctor)};
  KeyBinding other = w.binding;
  other.digest = crypto::sha256(as_bytes("another ciphertext"));
  auto opened = open_escrow_wrapped_key(w.bytes, other, escrow.policy(), partials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);  // the proof of r is for the other digest
  Bytes tampered = w.bytes;
  tampered[120] ^= 1;  // the AEAD ciphertext
  opened = open_escrow_wrapped_key(tampered, w.binding, escrow.policy(), partials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kDecryptFailed);
  tampered = w.bytes;
  tampered[40] ^= 1;  // the proof of r
  opened = open_escrow_wrapped_key(tampered, w.binding, escrow.policy(), partials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
}

// A writer (a doctor adding a version inside an emergency window) copies R of a version outside
// the window into a wrapped key of its own: custodians must not answer, or their partials would
// give it the other version's S.
TEST(Escrow, CustodianRefusesAnEphemeralCopiedFromAnotherVersion) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped target = wrap(escrow, binding_of("outside the window", 1));
  Wrapped own = wrap(escrow, binding_of("inside the window", 1));
  std::copy_n(target.bytes.begin(), 32, own.bytes.begin());  // R alone
  auto partial = make_escrow_partial(escrow.shares[0], escrow.policy(), own.bytes, own.binding,
                                     doctor.public_key);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.error().code, Errc::kCheckFailed);
  std::copy_n(target.bytes.begin(), 96, own.bytes.begin());  // R and its proof
  partial = make_escrow_partial(escrow.shares[0], escrow.policy(), own.bytes, own.binding,
                                doctor.public_key);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.error().code, Errc::kCheckFailed);
}

TEST(Escrow, ShareOfAnotherPatientOrPolicyIsRefused) {
  const Escrow escrow(2, 3);
  const Bytes& sealed = escrow.dealing.sealed_shares[0];
  EscrowPolicy other_patient = escrow.policy();
  other_patient.patient.bytes[0] ^= 1;
  auto opened = open_escrow_share(sealed, other_patient, 1, escrow.custodians[0]);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
  // Another dealing's policy (another escrow key) for the same custodians.
  const Escrow other(2, 3);
  opened = open_escrow_share(sealed, other.policy(), 1, escrow.custodians[0]);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
  // Share 1 presented as custodian 2's.
  opened = open_escrow_share(sealed, escrow.policy(), 2, escrow.custodians[0]);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
  // Another custodian cannot open it.
  opened = open_escrow_share(sealed, escrow.policy(), 1, escrow.custodians[1]);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kDecryptFailed);
}

TEST(Escrow, TamperedShareFailsTheFeldmanCheck) {
  const Escrow escrow(2, 3);
  EscrowShare share = escrow.shares[1];
  EXPECT_TRUE(verify_escrow_share(escrow.policy(), share).ok());
  share.secret.bytes[0] ^= 1;
  auto verified = verify_escrow_share(escrow.policy(), share);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, Errc::kCheckFailed);
  // The share plus 2^255 has the same image under libsodium (which ignores the top bit) but is
  // not the dealt share (found by escrow_open_fuzz).
  share = escrow.shares[1];
  share.secret.bytes[31] ^= 0x80;
  verified = verify_escrow_share(escrow.policy(), share);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, Errc::kCheckFailed);
  // A commitment changed after the dealing (a dealer cheating, or a node serving another policy)
  // makes the shares fail the check.
  EscrowPolicy altered = escrow.policy();
  altered.commitments[1] = altered.commitments[0];
  auto opened =
      open_escrow_share(escrow.dealing.sealed_shares[0], altered, 1, escrow.custodians[0]);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
}

TEST(Escrow, LyingCustodianIsNamedByItsProof) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("r", 1));
  EscrowShare lie = escrow.shares[1];
  lie.secret.bytes[0] ^= 1;
  const Bytes sealed =
      make_escrow_partial(lie, escrow.policy(), w.bytes, w.binding, doctor.public_key).value();
  auto opened = open_escrow_partial(sealed, escrow.policy(), w.bytes, w.binding, doctor);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kCheckFailed);
  EXPECT_NE(opened.error().message.find("custodian 2"), std::string::npos);
  // Without the proof (the raw point), combining fails to decrypt.
  std::vector<EscrowPartial> partials = {escrow.partial(1, w.bytes, w.binding, doctor),
                                         escrow.partial(2, w.bytes, w.binding, doctor)};
  partials[1].point.bytes[0] ^= 2;
  auto combined = open_escrow_wrapped_key(w.bytes, w.binding, escrow.policy(), partials);
  ASSERT_FALSE(combined.ok());
  EXPECT_EQ(combined.error().code, Errc::kDecryptFailed);
}

TEST(Escrow, PartialSealedToAnotherDoctorDoesNotOpen) {
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("r", 1));
  const Bytes sealed =
      make_escrow_partial(escrow.shares[0], escrow.policy(), w.bytes, w.binding, doctor.public_key)
          .value();
  auto opened = open_escrow_partial(sealed, escrow.policy(), w.bytes, w.binding, key_pair());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::kDecryptFailed);
}

TEST(Escrow, BadArgumentsAreInvalid) {
  std::vector<X25519PublicKey> keys(3);
  for (auto& key : keys) key = key_pair().public_key;
  const Address patient = Escrow::patient();
  EXPECT_EQ(deal_escrow(patient, 1, keys).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(deal_escrow(patient, 4, keys).error().code, Errc::kInvalidArgument);
  const Escrow escrow(2, 3);
  const EncryptionKeyPair doctor = key_pair();
  const Wrapped w = wrap(escrow, binding_of("r", 1));
  const EscrowPartial one = escrow.partial(1, w.bytes, w.binding, doctor);
  std::vector<EscrowPartial> duplicate = {one, one};
  EXPECT_EQ(open_escrow_wrapped_key(w.bytes, w.binding, escrow.policy(), duplicate).error().code,
            Errc::kInvalidArgument);
  std::vector<EscrowPartial> out_of_range = {one, {4, one.point}};
  EXPECT_EQ(open_escrow_wrapped_key(w.bytes, w.binding, escrow.policy(), out_of_range).error().code,
            Errc::kInvalidArgument);
  // An identity point as R is refused by a custodian.
  Bytes identity_r = w.bytes;
  std::fill_n(identity_r.begin(), 32, 0);
  EXPECT_EQ(make_escrow_partial(escrow.shares[0], escrow.policy(), identity_r, w.binding,
                                doctor.public_key)
                .error()
                .code,
            Errc::kInvalidArgument);
  EXPECT_EQ(make_escrow_partial(escrow.shares[0], escrow.policy(), Bytes(143), w.binding,
                                doctor.public_key)
                .error()
                .code,
            Errc::kInvalidLength);
}

}  // namespace
}  // namespace medchain::records
