#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/records/doctor_profile.hpp>

namespace medchain::records {
namespace {

// The vector of docs/format.md, "Doctor profiles": the signing hash from ethers'
// TypedDataEncoder, the signature RFC 6979's (ethers' Wallet.signTypedData and cast agree).
const crypto::PrivateKey kRegistrarKey =
    from_hex_fixed<crypto::PrivateKey>(
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
        .value();
const Address kRegistrar =
    from_hex_fixed<Address>("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").value();
const StatementDomain kDomain{
    31337, from_hex_fixed<Address>("0x5FbDB2315678afecb367f032d93F642f64180aa3").value()};
const DoctorProfile kProfile{
    from_hex_fixed<Address>("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value(),
    "Dr. Alice Moreau", "Cardiology", "H\xC3\xB4pital Saint-Louis", 1767225600};
constexpr const char* kSigningHash =
    "0x42ae9f6e3019939747c7496020f8a8e5a1acbabec5b04224b6bc9ee8ead35764";
constexpr const char* kSignature =
    "0x2aa5f13a99f0a7421cda813ee5781410739add120782b9524692cea1e5e050fa7ed4910d78bd1da03451e6e3d900"
    "7c2f1db95f6716efbabb0df8cbdd2f553a761c";

TEST(DoctorProfile, MatchesTheReferenceVector) {
  const auto data = profile_typed_data(kProfile, kDomain).value();
  EXPECT_EQ(to_hex(eth::eip712::signing_hash(data).value()), kSigningHash);
  EXPECT_EQ(to_hex(sign_profile(kProfile, kDomain, kRegistrarKey).value()), kSignature);
  EXPECT_EQ(profile_signer(kProfile, kDomain, from_hex(kSignature).value()).value(), kRegistrar);
}

TEST(DoctorProfile, HoldsForOneDoctorTextAndDeploymentOnly) {
  const Bytes signature = from_hex(kSignature).value();
  DoctorProfile renamed = kProfile;
  renamed.name = "Dr. Mallory";
  EXPECT_NE(profile_signer(renamed, kDomain, signature).value(), kRegistrar);
  DoctorProfile other_doctor = kProfile;
  other_doctor.doctor.bytes[0] ^= 1;
  EXPECT_NE(profile_signer(other_doctor, kDomain, signature).value(), kRegistrar);
  DoctorProfile reissued = kProfile;
  reissued.issued_at += 1;
  EXPECT_NE(profile_signer(reissued, kDomain, signature).value(), kRegistrar);
  StatementDomain other_chain = kDomain;
  other_chain.chain_id = 1;
  EXPECT_NE(profile_signer(kProfile, other_chain, signature).value(), kRegistrar);
  StatementDomain other_contract = kDomain;
  other_contract.contract.bytes[19] ^= 1;
  EXPECT_NE(profile_signer(kProfile, other_contract, signature).value(), kRegistrar);
  EXPECT_FALSE(profile_signer(kProfile, kDomain, Bytes(64, 1)).ok());  // malformed
}

TEST(DoctorProfile, RefusesFieldsNoOneShouldBeShown) {
  DoctorProfile profile = kProfile;
  profile.name = "";
  EXPECT_EQ(check_profile_fields(profile).error().code, Errc::kInvalidArgument);
  profile.name = std::string(kMaxProfileField + 1, 'a');
  EXPECT_EQ(check_profile_fields(profile).error().code, Errc::kInvalidArgument);
  profile.name = std::string(kMaxProfileField, 'a');
  EXPECT_TRUE(check_profile_fields(profile).ok());
  profile.specialty = "Cardio\nlogy";
  EXPECT_EQ(check_profile_fields(profile).error().code, Errc::kInvalidArgument);
  profile.specialty = "\xC3";  // a truncated sequence
  EXPECT_EQ(check_profile_fields(profile).error().code, Errc::kInvalidArgument);
  profile.specialty = "\xC0\xAF";  // an overlong '/'
  EXPECT_EQ(check_profile_fields(profile).error().code, Errc::kInvalidArgument);
  profile.specialty = "";
  profile.institution = "\xE2\x80\xAE";  // U+202E is printable text here; only controls go
  EXPECT_TRUE(check_profile_fields(profile).ok());
  EXPECT_EQ(profile_typed_data(DoctorProfile{}, kDomain).error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace medchain::records
