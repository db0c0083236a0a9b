// `medchain deploy` against ganache (any JSON-RPC chain): deploys from a keystore, writes the
// record, refuses to deploy twice, the wrong chain, a wrong password and an unreachable node.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/keystore.hpp>

#include "support/ledger.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;

class DeployCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    chain::DevChainOptions options;
    options.kind = chain::DevChainKind::kGanache;
    options.executable = fs::path(MEDCHAIN_NODE_BIN_DIR) / "ganache";
    options.chain_id = 1337;
    chain_ = std::make_unique<chain::DevChain>(chain::DevChain::start(options).value());
    dir_ = fs::temp_directory_path() / ("medchain-deploy-cli-" + to_hex(random_hash()));
    fs::create_directories(dir_);
    // The first development account, funded on ganache.
    const auto key =
        crypto::parse_private_key(
            from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value())
            .value();
    std::ofstream(dir_ / "deployer.json")
        << eth::encrypt_keystore(key, "correct horse", {1024, 8, 1});
    ::setenv("MEDCHAIN_PASSWORD", "correct horse", 1);
  }
  void TearDown() override {
    ::unsetenv("MEDCHAIN_PASSWORD");
    fs::remove_all(dir_);
  }

  ProcessResult deploy(const std::string& url, const std::string& chain_id,
                       std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{MEDCHAIN_CLI_PATH, "deploy",
                                  "--rpc-url",       url,
                                  "--chain-id",      chain_id,
                                  "--keystore",      (dir_ / "deployer.json").string(),
                                  "--data-dir",      (dir_ / "data").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, std::chrono::seconds(60));
  }

  std::unique_ptr<chain::DevChain> chain_;
  fs::path dir_;
};

TEST_F(DeployCommand, DeploysAndWritesTheRecord) {
  const ProcessResult result = deploy(chain_->url(), "1337", {"--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto printed = nlohmann::json::parse(result.out);
  const chain::Deployment record = chain::read_deployment(dir_ / "data").value();
  EXPECT_EQ(printed["address"], eth::to_checksum(record.address));
  EXPECT_EQ(record.chain_id, 1337u);
  chain::EthClient client(chain::HttpEndpoint::parse(chain_->url()).value());
  EXPECT_TRUE(chain::check_deployment(client, record).ok());

  const ProcessResult again = deploy(chain_->url(), "1337");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already deployed"), std::string::npos) << again.err;
  const ProcessResult forced = deploy(chain_->url(), "1337", {"--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(chain::read_deployment(dir_ / "data").value().address, record.address);
}

TEST_F(DeployCommand, RefusesTheWrongChainAPasswordAndAnUnreachableNode) {
  const ProcessResult wrong_chain = deploy(chain_->url(), "31337");
  EXPECT_EQ(wrong_chain.exit_code, 2);
  EXPECT_NE(wrong_chain.err.find("serves chain 1337"), std::string::npos) << wrong_chain.err;

  ::setenv("MEDCHAIN_PASSWORD", "wrong", 1);
  const ProcessResult wrong_password = deploy(chain_->url(), "1337");
  EXPECT_NE(wrong_password.exit_code, 0);
  EXPECT_EQ(std::count(wrong_password.err.begin(), wrong_password.err.end(), '\n'), 1);
  ::setenv("MEDCHAIN_PASSWORD", "correct horse", 1);

  const std::uint16_t port = pick_free_loopback_port().value();
  const ProcessResult unreachable = deploy("http://127.0.0.1:" + std::to_string(port), "1337");
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_EQ(unreachable.err.rfind("medchain: ", 0), 0u) << unreachable.err;
  EXPECT_FALSE(fs::exists(dir_ / "data" / "deployment.json"));
}

}  // namespace
}  // namespace medchain::test
