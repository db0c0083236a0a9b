// What a node keeps: uploads count against their patient's quota (--quota-bytes), and a blob
// that no on-chain record version names is removed after a grace period (--orphan-grace),
// audited, while blobs that versions name stay.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "support/node.hpp"

namespace medchain::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

Hash32 sha256_of(const std::string& content) {
  return crypto::sha256(
      ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
}

TEST(NodeStorage, UploadsCountAgainstThePatientsQuota) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party alice = ledger.registered_patient(/*funded=*/false);
  const Party bob = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--quota-bytes", "100"});
  const std::string alice_token = node.token_for(alice);
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", std::string(60, 'a')).status, 201);
  const Reply over = node.upload(alice_token, alice.address, "lab", std::string(41, 'b'));
  EXPECT_EQ(over.status, 413) << over.body.dump();
  EXPECT_EQ(over.body["code"], "quota_exceeded");
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", std::string(40, 'c')).status, 201);
  // Full now: even a byte is refused; another patient's quota is their own.
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", "d").status, 413);
  EXPECT_EQ(node.upload(node.token_for(bob), bob.address, "lab", std::string(100, 'e')).status,
            201);
}

TEST(NodeStorage, ABlobNoVersionNamesIsRemovedAfterTheGrace) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party alice = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--orphan-grace", "4"});
  const std::string token = node.token_for(alice);
  const std::string named = "a lab result that reaches the chain";
  const std::string unnamed = "an upload whose record never came";
  ASSERT_EQ(node.upload(token, alice.address, "lab", named).status, 201);
  const Reply added = node.relay(alice, "addRecordBySig",
                                 {{"patient", eth::to_checksum(alice.address)},
                                  {"recordId", to_hex(random_hash())},
                                  {"digest", to_hex(sha256_of(named))},
                                  {"nodeId", to_hex(node.node_id())},
                                  {"contentId", to_hex(sha256_of(named))}});
  ASSERT_EQ(added.status, 200) << added.body.dump();
  ASSERT_EQ(node.upload(token, alice.address, "lab", unnamed).status, 201);
  const std::string unnamed_path = "/v1/blobs/" + to_hex(sha256_of(unnamed));
  const std::string named_path = "/v1/blobs/" + to_hex(sha256_of(named));
  const std::string hex = to_hex(sha256_of(unnamed), false);
  const auto file = node.dir() / "blobs" / "blobs" / hex.substr(0, 2) / hex.substr(2, 2) / hex;
  ASSERT_TRUE(std::filesystem::exists(file)) << file;

  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (std::filesystem::exists(file) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_FALSE(std::filesystem::exists(file)) << "not collected within 30 s";
  EXPECT_EQ(node.get(unnamed_path, token).status, 404);
  EXPECT_EQ(node.get(named_path, token).status, 200);

  // The removal is in the patient's audit trail, by the node itself (the zero address).
  const Reply audit =
      node.get("/v1/audit?patient=" + eth::to_checksum(alice.address) + "&limit=100", token);
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  std::vector<std::string> collected;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] == "blob.collect") collected.push_back(entry.value("subject", ""));
  }
  EXPECT_EQ(collected, std::vector<std::string>{to_hex(sha256_of(unnamed))});
}

}  // namespace
}  // namespace medchain::test
