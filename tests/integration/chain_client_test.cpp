// The JSON-RPC client against real development chains (anvil and ganache from npm) and
// against sockets that misbehave on purpose.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <medchain/chain/dev_chain.hpp>
#include <medchain/chain/eth_client.hpp>
#include <medchain/core/hex.hpp>
#include <thread>

namespace medchain::chain {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kBin = MEDCHAIN_NODE_BIN_DIR;

DevChain start_chain(DevChainKind kind, std::uint64_t chain_id) {
  DevChainOptions options;
  options.kind = kind;
  options.executable = kBin / (kind == DevChainKind::kAnvil ? "anvil" : "ganache");
  options.chain_id = chain_id;
  auto chain = DevChain::start(options);
  if (!chain.ok()) throw std::runtime_error(chain.error().message);
  return std::move(chain).value();
}

EthClient client_for(const std::string& url, std::chrono::milliseconds deadline = 5s) {
  return EthClient(HttpEndpoint::parse(url).value(), RpcOptions{deadline, 2, 10ms});
}

// The first account of kDevMnemonic.
const Address kDevAccount =
    from_hex_fixed<Address>("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").value();

TEST(EthClient, ReadsChainStateFromAnvil) {
  DevChain chain = start_chain(DevChainKind::kAnvil, 31337);
  EthClient client = client_for(chain.url());
  EXPECT_EQ(client.chain_id().value(), 31337u);
  EXPECT_EQ(client.block_number().value(), 0u);
  auto genesis = client.block_by_number(0).value();
  ASSERT_TRUE(genesis.has_value());
  EXPECT_EQ(genesis->number, 0u);
  EXPECT_TRUE(genesis->base_fee_per_gas.has_value());
  auto by_hash = client.block_by_hash(genesis->hash).value();
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_EQ(by_hash->hash, genesis->hash);
  EXPECT_FALSE(client.block_by_number(1000).value().has_value());
  EXPECT_EQ(client.balance(kDevAccount).value(), U256("10000000000000000000000"));
  EXPECT_EQ(client.transaction_count(kDevAccount).value(), 0u);
  EXPECT_FALSE(client.receipt(Hash32{}).value().has_value());
  auto fees = client.fee_history(1, {50.0}).value();
  EXPECT_EQ(fees.base_fee_per_gas.size(), 2u);
  EXPECT_TRUE(client.get_logs(LogFilter{0, 0, {}, {}, std::nullopt}).value().empty());
}

TEST(EthClient, BatchesRepliesInCallOrder) {
  DevChain chain = start_chain(DevChainKind::kAnvil, 31337);
  EthClient client = client_for(chain.url());
  auto replies = client.rpc().batch({{"eth_chainId"}, {"eth_blockNumber"}, {"no_such_method"}});
  ASSERT_TRUE(replies.ok()) << replies.error().message;
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].result, "0x7a69");
  EXPECT_EQ((*replies)[1].result, "0x0");
  EXPECT_TRUE((*replies)[2].error.has_value());
}

TEST(EthClient, NodeErrorsAreTyped) {
  DevChain chain = start_chain(DevChainKind::kAnvil, 31337);
  EthClient client = client_for(chain.url());
  auto sent = client.send_raw_transaction(Bytes{0x01, 0x02});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, Errc::kRpcError);
}

TEST(EthClient, ReadsChainStateFromGanache) {
  DevChain chain = start_chain(DevChainKind::kGanache, 1337);
  EthClient client = client_for(chain.url());
  EXPECT_EQ(client.chain_id().value(), 1337u);
  EXPECT_EQ(client.balance(kDevAccount).value() > 0, true);
  EXPECT_TRUE(client.latest_block().value().has_value());
}

TEST(DevChain, RefusesAMissingBinary) {
  DevChainOptions options;
  options.executable = kBin / "no-such-chain";
  EXPECT_EQ(DevChain::start(options).error().code, Errc::kIo);
}

TEST(DevChain, AnvilStateSurvivesARestart) {
  const auto state = std::filesystem::temp_directory_path() /
                     ("medchain-anvil-state-" + std::to_string(getpid()) + ".json");
  std::filesystem::remove(state);
  DevChainOptions options;
  options.executable = kBin / "anvil";
  options.state_file = state;
  {
    DevChain chain = DevChain::start(options).value();
    EthClient client = client_for(chain.url());
    ASSERT_TRUE(client.rpc().call("evm_mine", nlohmann::json::array()).ok());
    ASSERT_TRUE(client.rpc().call("evm_mine", nlohmann::json::array()).ok());
    EXPECT_EQ(client.block_number().value(), 2u);
    chain.stop();
  }
  DevChain chain = DevChain::start(options).value();
  EXPECT_EQ(client_for(chain.url()).block_number().value(), 2u);
  chain.stop();
  std::filesystem::remove(state);
}

TEST(EthClient, UnreachableNodeFailsFastWithUnavailable) {
  const std::uint16_t port = pick_free_loopback_port().value();
  EthClient client = client_for("http://127.0.0.1:" + std::to_string(port));
  const auto started = std::chrono::steady_clock::now();
  auto chain_id = client.chain_id();
  ASSERT_FALSE(chain_id.ok());
  EXPECT_EQ(chain_id.error().code, Errc::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

// A listening socket that accepts connections and then answers with `reply` (or nothing).
class FakeNode {
 public:
  explicit FakeNode(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buffer[4096];
      (void)read(client, buffer, sizeof buffer);
      if (!reply_.empty()) (void)write(client, reply_.data(), reply_.size());
      std::unique_lock lock(mutex_);
      done_.wait_for(lock, 5s, [this] { return stopping_; });
      close(client);
    });
  }
  ~FakeNode() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    done_.notify_all();
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string reply_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool stopping_ = false;
};

TEST(EthClient, SilentNodeHitsTheDeadline) {
  FakeNode node("");
  EthClient client = EthClient(HttpEndpoint::parse(node.url()).value(), RpcOptions{300ms, 1, 0ms});
  const auto started = std::chrono::steady_clock::now();
  auto chain_id = client.chain_id();
  ASSERT_FALSE(chain_id.ok());
  EXPECT_EQ(chain_id.error().code, Errc::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(EthClient, MalformedJsonIsAProtocolError) {
  FakeNode node("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"jsonrp");
  auto chain_id = client_for(node.url()).chain_id();
  ASSERT_FALSE(chain_id.ok());
  EXPECT_EQ(chain_id.error().code, Errc::kProtocol);
}

TEST(EthClient, WrongShapedResultIsAProtocolError) {
  const std::string body = R"({"jsonrpc":"2.0","id":1,"result":{"not":"a quantity"}})";
  FakeNode node("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n\r\n" + body);
  auto chain_id = client_for(node.url()).chain_id();
  ASSERT_FALSE(chain_id.ok());
  EXPECT_EQ(chain_id.error().code, Errc::kProtocol);
}

TEST(HttpEndpoint, ParsesAndRejectsUrls) {
  auto endpoint = HttpEndpoint::parse("http://127.0.0.1:8545/rpc").value();
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, "8545");
  EXPECT_EQ(endpoint.target, "/rpc");
  EXPECT_EQ(HttpEndpoint::parse("http://node").value().port, "80");
  EXPECT_EQ(HttpEndpoint::parse("https://node").error().code, Errc::kUnsupported);
  EXPECT_EQ(HttpEndpoint::parse("ftp://node").error().code, Errc::kInvalidArgument);
  EXPECT_EQ(HttpEndpoint::parse("http://node:port").error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace medchain::chain
