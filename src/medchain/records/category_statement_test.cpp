#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/records/category_statement.hpp>

namespace medchain::records {
namespace {

// The vector of docs/format.md, "Category statements": the signing hash from ethers'
// TypedDataEncoder, the signature from `cast wallet sign --data` (RFC 6979, so reproducible).
const crypto::PrivateKey kKey =
    from_hex_fixed<crypto::PrivateKey>(
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
        .value();
const StatementDomain kDomain{
    31337, from_hex_fixed<Address>("0x5FbDB2315678afecb367f032d93F642f64180aa3").value()};
const CategoryStatement kStatement{
    from_hex_fixed<Address>("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").value(),
    from_hex_fixed<Hash32>("0x0101010101010101010101010101010101010101010101010101010101010101")
        .value(),
    1};  // lab
constexpr const char* kSigningHash =
    "0x8dd04921e0f3abc68bd99c20df55cbdb648bd1d060af68e1d25c9d51c4f1eb09";
constexpr const char* kSignature =
    "0x269ae26fef0d0ca183f1c91030abf1698ea5f1e3a732efdbb69b12210d05cf5561c33304a77df73374fd9b0afb51"
    "4375b5ae11e45b8176ee1cb8060ff98b2dff1b";

TEST(CategoryStatement, MatchesTheReferenceVector) {
  const auto data = category_typed_data(kStatement, kDomain).value();
  EXPECT_EQ(to_hex(eth::eip712::signing_hash(data).value()), kSigningHash);
  EXPECT_EQ(to_hex(sign_category(kStatement, kDomain, kKey).value()), kSignature);
  EXPECT_EQ(category_signer(kStatement, kDomain, from_hex(kSignature).value()).value(),
            kStatement.patient);
}

TEST(CategoryStatement, HoldsForOneCategoryDigestAndDeployment) {
  const Bytes signature = from_hex(kSignature).value();
  CategoryStatement relabelled = kStatement;
  relabelled.category = 2;  // imaging
  EXPECT_NE(category_signer(relabelled, kDomain, signature).value(), kStatement.patient);
  CategoryStatement other_bytes = kStatement;
  other_bytes.digest.bytes[0] ^= 1;
  EXPECT_NE(category_signer(other_bytes, kDomain, signature).value(), kStatement.patient);
  StatementDomain other_chain = kDomain;
  other_chain.chain_id = 1;
  EXPECT_NE(category_signer(kStatement, other_chain, signature).value(), kStatement.patient);
  EXPECT_FALSE(category_signer(kStatement, kDomain, Bytes(64, 1)).ok());  // malformed
  CategoryStatement unknown = kStatement;
  unknown.category = 12;
  EXPECT_EQ(category_typed_data(unknown, kDomain).error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace medchain::records
