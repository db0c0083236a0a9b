// The transaction sender's fault handling on anvil: a stuck transaction replaced with bumped
// fees, a node restart while a transaction is in flight, the wrong chain, an unreachable node.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <thread>

#include "support/ledger.hpp"

namespace medchain::test {
namespace {

using namespace std::chrono_literals;
using chain::DevChainKind;
using nlohmann::json;

const crypto::PrivateKey kDevKey =
    crypto::parse_private_key(
        from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value())
        .value();

chain::SenderOptions quick_replacement() {
  chain::SenderOptions options;
  options.replace_after = 300ms;
  options.receipt_timeout = 20s;
  return options;
}

TEST(TransactionSender, ReplacesAStuckTransactionWithBumpedFees) {
  Ledger ledger(DevChainKind::kAnvil, quick_replacement());
  Party recipient = ledger.party(/*funded=*/false);
  ASSERT_TRUE(ledger.client().rpc().call("evm_setAutomine", json::array({false})).ok());
  chain::TransactionSender& sender = *ledger.admin().sender;
  chain::PendingTransaction pending = sender.submit({recipient.address, {}, 1, 21'000}).value();
  const U256 first_fee = pending.transaction.max_fee_per_gas;

  std::thread miner([&] {
    std::this_thread::sleep_for(1'200ms);
    ASSERT_TRUE(ledger.client().rpc().call("evm_mine", json::array()).ok());
  });
  auto receipt = sender.wait(pending);
  miner.join();
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  ASSERT_GE(pending.hashes.size(), 2u);
  EXPECT_EQ(receipt->transaction_hash, pending.hashes.back());
  EXPECT_GT(pending.transaction.max_fee_per_gas, first_fee);
  EXPECT_FALSE(ledger.client().receipt(pending.hashes.front()).value().has_value());
  EXPECT_EQ(ledger.client().balance(recipient.address).value(), 1u);
}

TEST(TransactionSender, SurvivesANodeRestartWithoutSendingTwice) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("medchain-restart-" + to_hex(random_hash()));
  std::filesystem::create_directories(dir);
  chain::DevChainOptions options;
  options.executable = std::filesystem::path(MEDCHAIN_SOURCE_DIR) / "node_modules/.bin/anvil";
  options.port = pick_free_loopback_port().value();
  options.state_file = dir / "state.json";
  auto chain = std::make_unique<chain::DevChain>(chain::DevChain::start(options).value());
  chain::EthClient client(chain::HttpEndpoint::parse(chain->url()).value(),
                          chain::RpcOptions{1'000ms, 2, 10ms});
  auto sender =
      chain::TransactionSender::connect(client, kDevKey, 31337, quick_replacement()).value();
  const Address recipient = crypto::address_of(crypto::generate_private_key());
  const std::uint64_t nonce = client.transaction_count(sender->address()).value();

  ASSERT_TRUE(client.rpc().call("evm_setAutomine", json::array({false})).ok());
  chain::PendingTransaction pending = sender->submit({recipient, {}, 7, 21'000}).value();
  chain->stop();
  // The node is gone: waiting fails promptly instead of hanging.
  const auto before = std::chrono::steady_clock::now();
  auto lost = sender->wait(pending);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, Errc::kUnavailable) << lost.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);

  // Back on the same port with the saved chain: the same transaction (or its replacement, same
  // nonce) is mined exactly once.
  chain = std::make_unique<chain::DevChain>(chain::DevChain::start(options).value());
  auto receipt = sender->wait(pending);
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  EXPECT_EQ(client.transaction_count(sender->address()).value(), nonce + 1);
  EXPECT_EQ(client.balance(recipient).value(), 7u);
  chain->stop();
  std::filesystem::remove_all(dir);
}

TEST(TransactionSender, ReportsANonceTakenByAnotherTransaction) {
  Ledger ledger(DevChainKind::kAnvil, quick_replacement());
  Party recipient = ledger.party(/*funded=*/false);
  ASSERT_TRUE(ledger.client().rpc().call("evm_setAutomine", json::array({false})).ok());
  chain::PendingTransaction ours =
      ledger.admin().sender->submit({recipient.address, {}, 1, 21'000}).value();
  // Another process with the same key replaces it in the pool with higher fees.
  eth::Eip1559Transaction theirs = ours.transaction;
  theirs.value = 2;
  theirs.max_fee_per_gas *= 3;
  theirs.max_priority_fee_per_gas *= 3;
  ASSERT_TRUE(
      ledger.client().send_raw_transaction(eth::sign_transaction(theirs, kDevKey).raw()).ok());
  ASSERT_TRUE(ledger.client().rpc().call("evm_mine", json::array()).ok());

  auto outcome = ledger.admin().sender->wait(ours);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, Errc::kConflict) << outcome.error().message;
  EXPECT_EQ(ledger.client().balance(recipient.address).value(), 2u);  // theirs, not ours
}

TEST(TransactionSender, RefusesToBidAboveTheCapAndTheNodeRefusesUnderpricedTransactions) {
  Ledger ledger(DevChainKind::kAnvil);
  chain::SenderOptions stingy;
  stingy.fee_policy.max_fee_cap = U256(1);  // 1 wei: below any base fee
  auto sender = chain::TransactionSender::connect(ledger.client(), kDevKey, 31337, stingy).value();
  const std::uint64_t nonce = ledger.client().transaction_count(sender->address()).value();
  auto refused = sender->submit({ledger.admin().address, {}, 1, 21'000});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kUnavailable) << refused.error().message;
  EXPECT_EQ(ledger.client().transaction_count(sender->address()).value(), nonce);  // nothing sent

  // Built by hand below the base fee, the node refuses it, and says so as a typed error.
  eth::Eip1559Transaction underpriced;
  underpriced.chain_id = 31337;
  underpriced.nonce = nonce;
  underpriced.gas_limit = 21'000;
  underpriced.to = ledger.admin().address;
  underpriced.max_fee_per_gas = 1;
  underpriced.max_priority_fee_per_gas = 1;
  auto sent =
      ledger.client().send_raw_transaction(eth::sign_transaction(underpriced, kDevKey).raw());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, Errc::kRpcError) << sent.error().message;
}

TEST(TransactionSender, RefusesANodeOfAnotherChain) {
  Ledger ledger(DevChainKind::kAnvil);
  auto sender = chain::TransactionSender::connect(ledger.client(), kDevKey, 1);
  ASSERT_FALSE(sender.ok());
  EXPECT_EQ(sender.error().code, Errc::kWrongChain);
  EXPECT_NE(sender.error().message.find("31337"), std::string::npos);
}

TEST(TransactionSender, AnUnreachableNodeFailsFast) {
  const std::uint16_t port = pick_free_loopback_port().value();
  chain::EthClient client(
      chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(port)).value(),
      chain::RpcOptions{500ms, 2, 10ms});
  const auto before = std::chrono::steady_clock::now();
  auto sender = chain::TransactionSender::connect(client, kDevKey, 31337);
  ASSERT_FALSE(sender.ok());
  EXPECT_EQ(sender.error().code, Errc::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

}  // namespace
}  // namespace medchain::test
