// medchain::client::NodeClient against a real medchaind on anvil: sign-in, relayed intents,
// streamed blobs of more than a mebibyte both ways, and each kind of refusal turned into the
// Errc a caller switches on.
#include <gtest/gtest.h>

#include <medchain/client/node_client.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/core/process.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/encryption_key.hpp>

#include "support/node.hpp"

namespace medchain::test {
namespace {

using client::json;

// A deterministic body that is not all one byte, so a misplaced piece shows.
Bytes pattern(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<std::uint8_t>((i * 131 + i / 977) & 0xff);
  return out;
}

// An upload's body read from `body`, `offset` its progress (which a test may rewind or check).
client::ReadFn reader_of(const Bytes& body, std::size_t& offset) {
  return [&body, &offset](std::span<std::uint8_t> out) -> Result<std::size_t> {
    const std::size_t n = std::min(out.size(), body.size() - offset);
    std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
    offset += n;
    return n;
  };
}

class NodeClientTest : public ::testing::Test {
 protected:
  NodeClientTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.party(/*funded=*/false);
    node_ = std::make_unique<Node>(ledger_);
  }

  client::NodeClient connect() {
    client::ClientOptions options;
    options.abi = std::make_shared<const chain::ContractAbi>(ledger_.medchain().abi());
    auto node = client::NodeClient::connect("http://" + node_->authority(), options);
    if (!node.ok()) throw std::runtime_error(node.error().message);
    return std::move(*node);
  }

  // Registers patient_ through the client's relay.
  void register_patient(client::NodeClient& node) {
    const auto keys =
        records::derive_encryption_key(patient_.key, records::KeyDerivation::format1());
    auto mined = node.relay(patient_.key, "registerPatientBySig",
                            {{"patient", eth::to_checksum(patient_.address)},
                             {"encryptionKey", to_hex(keys.public_key)}});
    ASSERT_TRUE(mined.ok()) << mined.error().message;
    EXPECT_EQ((*mined)["signer"], eth::to_checksum(patient_.address));
    EXPECT_EQ((*mined)["indexed"], true);
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeClientTest, SignsInRelaysAndStreamsAMebibyteAndAHalfBothWays) {
  client::NodeClient node = connect();
  EXPECT_EQ(node.info().chain_id, ledger_.chain_id());
  EXPECT_EQ(node.info().contract, ledger_.deployment().address);
  EXPECT_EQ(node.info().node_id, node_->node_id());
  EXPECT_TRUE(node.info().relays);

  EXPECT_EQ(*node.intent_nonce(patient_.address), U256(0));
  register_patient(node);
  EXPECT_EQ(*node.intent_nonce(patient_.address), U256(1));

  auto session = node.sign_in(patient_.key);
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->address, patient_.address);
  EXPECT_GT(session->expires_at, 0);
  auto me = node.get("/v1/me");
  ASSERT_TRUE(me.ok()) << me.error().message;
  EXPECT_EQ((*me)["address"], eth::to_checksum(patient_.address));
  EXPECT_EQ((*me)["patient"], true);

  const Bytes body = pattern(3 * 512 * 1024 + 17);
  const Hash32 digest = crypto::sha256(body);
  std::size_t offset = 0;
  std::uint64_t uploaded = 0;
  auto stored = node.upload_blob(
      patient_.address, "lab", digest, body.size(), reader_of(body, offset),
      [&](std::uint64_t done, std::uint64_t total) {
        EXPECT_EQ(total, body.size());
        EXPECT_GT(done, uploaded);
        uploaded = done;
      });
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ((*stored)["size"], body.size());
  EXPECT_EQ((*stored)["category"], "lab");
  EXPECT_EQ(uploaded, body.size());

  Bytes received;
  std::uint64_t downloaded = 0;
  std::size_t pieces = 0;
  auto fetched = node.download_blob(
      digest,
      [&](ByteView piece) -> Status {
        received.insert(received.end(), piece.begin(), piece.end());
        ++pieces;
        return {};
      },
      [&](std::uint64_t done, std::uint64_t total) {
        EXPECT_EQ(total, body.size());
        downloaded = done;
      });
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_TRUE(received == body) << "the downloaded blob differs";
  EXPECT_EQ(downloaded, body.size());
  EXPECT_GT(pieces, 1u) << "a 1.5 MiB body arrives in pieces, not in one buffer";

  ASSERT_TRUE(node.sign_out().ok());
  EXPECT_EQ(node.get("/v1/me").error().code, Errc::kUnauthenticated);
}

TEST_F(NodeClientTest, RefusalsBecomeTheErrcACallerSwitchesOn) {
  client::NodeClient node = connect();
  register_patient(node);
  ASSERT_TRUE(node.sign_in(patient_.key).ok());
  const Bytes body = pattern(4096);
  const Hash32 digest = crypto::sha256(body);
  std::size_t offset = 0;
  ASSERT_TRUE(
      node.upload_blob(patient_.address, "imaging", digest, body.size(), reader_of(body, offset)).ok());

  // Bytes that do not hash to the declared digest: 422, the node's code in the message.
  offset = 0;
  auto mismatch =
      node.upload_blob(patient_.address, "imaging", random_hash(), body.size(), reader_of(body, offset));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, Errc::kReverted);
  EXPECT_NE(mismatch.error().message.find("digest_mismatch"), std::string::npos)
      << mismatch.error().message;

  // The digest may follow the body (a trailer), for a caller that learns it only by producing
  // the bytes; it is checked the same way.
  const Bytes later = pattern(300 * 1024 + 5);
  offset = 0;
  auto late_mismatch = node.upload_blob_digest_after(patient_.address, "imaging", later.size(),
                                                     reader_of(later, offset), [] { return random_hash(); });
  ASSERT_FALSE(late_mismatch.ok());
  EXPECT_NE(late_mismatch.error().message.find("digest_mismatch"), std::string::npos)
      << late_mismatch.error().message;
  offset = 0;
  bool asked_after_the_body = false;
  auto late = node.upload_blob_digest_after(patient_.address, "imaging", later.size(),
                                            reader_of(later, offset), [&] {
                                              asked_after_the_body = offset == later.size();
                                              return crypto::sha256(later);
                                            });
  ASSERT_TRUE(late.ok()) << late.error().message;
  EXPECT_TRUE(asked_after_the_body);
  EXPECT_EQ((*late)["digest"], to_hex(crypto::sha256(later)));
  Bytes fetched_later;
  ASSERT_TRUE(node.download_blob(crypto::sha256(later), [&](ByteView piece) -> Status {
                    fetched_later.insert(fetched_later.end(), piece.begin(), piece.end());
                    return {};
                  }).ok());
  EXPECT_TRUE(fetched_later == later);

  // Another patient may not read this patient's blob: 403.
  client::NodeClient other = connect();
  Party stranger = ledger_.registered_patient(/*funded=*/false);
  ASSERT_TRUE(other.sign_in(stranger.key).ok());
  const Status refused = other.download_blob(digest, [](ByteView) -> Status { return {}; });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied) << refused.error().message;
  EXPECT_NE(refused.error().message.find("403"), std::string::npos) << refused.error().message;

  // An upload the node refuses at its head (a doctor without a grant) is a 403 too, even though
  // the body was still being sent.
  client::NodeClient doctor = connect();
  ASSERT_TRUE(doctor.sign_in(doctor_.key).ok());
  const Bytes big = pattern(2 * 1024 * 1024);
  std::size_t big_offset = 0;
  auto not_allowed = doctor.upload_blob(patient_.address, "lab", crypto::sha256(big), big.size(),
                                        reader_of(big, big_offset));
  ASSERT_FALSE(not_allowed.ok());
  EXPECT_EQ(not_allowed.error().code, Errc::kPermissionDenied) << not_allowed.error().message;

  // Things that do not exist: 404.
  auto missing = node.get("/v1/records/" + to_hex(random_hash()));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound) << missing.error().message;

  // The same intent twice is a conflict; an intent the contract refuses is reverted.
  const json message{{"patient", eth::to_checksum(patient_.address)},
                     {"encryptionKey", to_hex(random_hash())},
                     {"nonce", "0"},
                     {"deadline", "99999999999"}};
  auto again = node.relay(patient_.key, "registerPatientBySig", message);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().code == Errc::kReverted || again.error().code == Errc::kConflict)
      << again.error().message;

  // No session at all: 401.
  node.set_token("");
  EXPECT_EQ(node.get("/v1/me").error().code, Errc::kUnauthenticated);
}

TEST(NodeClientConnect, AnUnreachableNodeIsUnavailable) {
  const auto port = pick_free_loopback_port();
  ASSERT_TRUE(port.ok());
  auto node = client::NodeClient::connect("http://127.0.0.1:" + std::to_string(*port));
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().code, Errc::kUnavailable) << node.error().message;
  EXPECT_EQ(client::NodeClient::connect("ftp://x").error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace medchain::test
