#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/federation/peer_verifier.hpp>

namespace medchain::federation {
namespace {

constexpr std::uint64_t kNow = 1'800'000'000;

Hash32 hash_of(std::string_view text) {
  return crypto::sha256(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

ByteView bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

class PeerVerifierTest : public ::testing::Test {
 protected:
  PeerVerifierTest()
      : domain_{1337,
                from_hex_fixed<Address>("0x5FbDB2315678afecb367f032d93F642f64180aa3").value()},
        operator_key_(crypto::generate_private_key()),
        caller_node_(hash_of("node one")),
        called_node_(hash_of("node two")),
        verifier_({domain_, called_node_, /*max_skew=*/60}) {}

  // The chain's registry: node one operated by operator_key_.
  OperatorLookup registry() const {
    return [this](const Hash32& node) -> Result<std::optional<Address>> {
      if (node == caller_node_) return std::optional(crypto::address_of(operator_key_));
      return std::optional<Address>();
    };
  }

  PeerRequest request(std::uint64_t timestamp = kNow, std::string_view body = "") const {
    return PeerRequest{
        caller_node_, called_node_, "GET", "/v1/peer/blobs/0x01", crypto::sha256(bytes_of(body)),
        timestamp,    fresh_nonce()};
  }

  std::string header(const PeerRequest& request, const records::StatementDomain& domain,
                     const crypto::PrivateKey& key) const {
    return sign_peer_request(request, domain, key).value();
  }

  Result<PeerIdentity> verify(const std::string& header, std::uint64_t now = kNow,
                              std::string_view target = "/v1/peer/blobs/0x01",
                              std::string_view body = "") {
    return verifier_.verify(header, "GET", target, bytes_of(body), now, registry());
  }

  records::StatementDomain domain_;
  crypto::PrivateKey operator_key_;
  Hash32 caller_node_;
  Hash32 called_node_;
  PeerVerifier verifier_;
};

TEST_F(PeerVerifierTest, AcceptsTheRegisteredOperatorOfTheCallingNode) {
  const auto identity = verify(header(request(), domain_, operator_key_));
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->node_id, caller_node_);
  EXPECT_EQ(identity->operator_address, crypto::address_of(operator_key_));
}

TEST_F(PeerVerifierTest, AcceptsATimestampWithinTheSkewEitherWay) {
  EXPECT_TRUE(verify(header(request(kNow - 60), domain_, operator_key_)).ok());
  EXPECT_TRUE(verify(header(request(kNow + 60), domain_, operator_key_)).ok());
}

TEST_F(PeerVerifierTest, RefusesARequestSignedForAnotherChain) {
  const records::StatementDomain other_chain{31337, domain_.contract};
  const auto refused = verify(header(request(), other_chain, operator_key_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kWrongChain);
}

TEST_F(PeerVerifierTest, RefusesARequestSignedForAnotherDeployment) {
  // Same chain id in the header, another contract in the signed domain: the signature recovers
  // to an address that operates nothing here.
  const records::StatementDomain other_contract{
      domain_.chain_id,
      from_hex_fixed<Address>("0x0000000000000000000000000000000000000001").value()};
  const auto refused = verify(header(request(), other_contract, operator_key_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied);
}

TEST_F(PeerVerifierTest, RefusesAStaleOrFutureRequest) {
  const auto stale = verify(header(request(kNow - 61), domain_, operator_key_));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, Errc::kUnauthenticated);
  EXPECT_NE(stale.error().message.find("stale"), std::string::npos);
  const auto future = verify(header(request(kNow + 61), domain_, operator_key_));
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().code, Errc::kUnauthenticated);
  EXPECT_NE(future.error().message.find("future"), std::string::npos);
}

TEST_F(PeerVerifierTest, RefusesAReplayedRequest) {
  const std::string signed_once = header(request(), domain_, operator_key_);
  ASSERT_TRUE(verify(signed_once).ok());
  const auto replayed = verify(signed_once, kNow + 5);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.error().code, Errc::kConflict);
  // Still refused after the verifier has pruned other nonces, for as long as it is not stale.
  ASSERT_TRUE(verify(header(request(kNow + 50), domain_, operator_key_), kNow + 50).ok());
  EXPECT_EQ(verify(signed_once, kNow + 60).error().code, Errc::kConflict);
  // Once stale it is refused as stale.
  EXPECT_EQ(verify(signed_once, kNow + 61).error().code, Errc::kUnauthenticated);
}

TEST_F(PeerVerifierTest, RefusesASignerWhoIsNotTheNodesOperator) {
  const auto stranger = crypto::generate_private_key();
  const auto refused = verify(header(request(), domain_, stranger));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied);
}

TEST_F(PeerVerifierTest, RefusesANodeTheChainDoesNotKnow) {
  PeerRequest unknown = request();
  unknown.from_node = hash_of("node nobody registered");
  const auto refused = verify(header(unknown, domain_, operator_key_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied);
}

TEST_F(PeerVerifierTest, RefusesARequestAddressedToAnotherNode) {
  PeerRequest elsewhere = request();
  elsewhere.to_node = hash_of("node three");
  const auto refused = verify(header(elsewhere, domain_, operator_key_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kUnauthenticated);
}

TEST_F(PeerVerifierTest, RefusesARequestWhosePathOrBodyWasChanged) {
  const std::string signed_header = header(request(kNow, "{}"), domain_, operator_key_);
  EXPECT_EQ(verify(signed_header, kNow, "/v1/peer/blobs/0x02", "{}").error().code,
            Errc::kPermissionDenied);
  EXPECT_EQ(verify(signed_header, kNow, "/v1/peer/blobs/0x01", "{ }").error().code,
            Errc::kPermissionDenied);
  EXPECT_TRUE(verify(signed_header, kNow, "/v1/peer/blobs/0x01", "{}").ok());
}

TEST_F(PeerVerifierTest, RefusesMalformedHeaders) {
  const std::string good = header(request(), domain_, operator_key_);
  for (const std::string& bad :
       {std::string(""), std::string("Bearer abc"), std::string("MedchainPeer"),
        std::string("MedchainPeer chain=1337"), good + ", chain=1337", good + ", extra=1",
        good.substr(0, good.size() - 2)}) {
    const auto refused = verify(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, Errc::kUnauthenticated) << bad;
  }
}

TEST(PeerRequest, HeaderRoundTrips) {
  const crypto::PrivateKey key = crypto::generate_private_key();
  const PeerRequest request{Hash32{}, Hash32{}, "GET",        "/v1/peer/keys?since=3",
                            Hash32{}, 7,        fresh_nonce()};
  const records::StatementDomain domain{10, Address{}};
  const auto parsed = parse_peer_authorization(sign_peer_request(request, domain, key).value());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->chain_id, 10u);
  EXPECT_EQ(parsed->timestamp, 7u);
  EXPECT_EQ(parsed->nonce, request.nonce);
  EXPECT_EQ(parsed->signature.size(), 65u);
  EXPECT_NE(fresh_nonce(), fresh_nonce());
}

}  // namespace
}  // namespace medchain::federation
