#include "dev/dev_nodes.hpp"

#include <sys/stat.h>

#include <fstream>
#include <medchain/chain/contract.hpp>
#include <medchain/chain/tx_sender.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <sstream>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
namespace abi = eth::abi;

constexpr const char* kOperatorKeyFile = "relayer.key";
// Where a node's registered URL is remembered: the chain's storageNodes keeps only the operator.
constexpr const char* kRegisteredUrlFile = "registered-url";
const U256 kOperatorFunds("10000000000000000000");  // 10 ether: relaying and audit anchors

abi::Value bytes32(ByteView value) {
  return abi::Value(Bytes(value.begin(), value.end()));
}

Hash32 node_id_of(int number) {
  const std::string name = "medchain dev node " + std::to_string(number);
  return crypto::keccak256(
      ByteView(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
}

std::string read_line(const fs::path& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

// The node's operator key from its directory, generated (owner-only) on first start.
Result<crypto::PrivateKey> operator_key(const fs::path& path) {
  if (fs::exists(path)) {
    auto bytes = from_hex(read_line(path));
    if (!bytes) return Error{Errc::kInvalidArgument, path.string() + " is damaged"};
    return crypto::parse_private_key(*bytes);
  }
  const crypto::PrivateKey key = crypto::generate_private_key();
  {
    std::ofstream file(path, std::ios::trunc);
    file << to_hex(key) << "\n";
    if (!file) return Error{Errc::kIo, "cannot write " + path.string()};
  }
  ::chmod(path.c_str(), 0600);
  return key;
}

// Registers node `node` on chain unless it is; funds its operator on registration.
Status register_node(chain::EthClient& client, const DevSystem& system,
                     const chain::Contract& medchain, const DevNode& node,
                     const Address& operator_address) {
  MEDCHAIN_TRY(std::vector<abi::Value> registered,
               medchain.call("storageNodes", {bytes32(node.node_id)}));
  const Address current = registered.at(0).address();
  const fs::path url_file = node.data_dir / kRegisteredUrlFile;
  if (current == operator_address) {
    const std::string recorded = read_line(url_file);
    if (!recorded.empty() && recorded != node.url) {
      return Error{Errc::kInvalidArgument,
                   "node " + std::to_string(node.number) + " is registered on chain at " +
                       recorded + ", not " + node.url +
                       ": start with the same --node-port, or a new --data-dir"};
    }
    return {};
  }
  if (current != Address{}) {
    return Error{Errc::kConflict, "node " + std::to_string(node.number) + "'s id is registered " +
                                      "on chain for another operator"};
  }
  const DemoAccount& registrar = system.accounts.at(0);  // "registrar"
  MEDCHAIN_TRY(auto sender, chain::TransactionSender::connect(client, registrar.key,
                                                              system.deployment.chain_id));
  MEDCHAIN_TRY_STATUS(sender->send({operator_address, {}, kOperatorFunds, 21'000}));
  MEDCHAIN_TRY(Bytes data,
               medchain.calldata("registerStorageNode",
                                 {bytes32(node.node_id),
                                  operator_address, node.url}));
  MEDCHAIN_TRY_STATUS(
      sender->send({medchain.address(), std::move(data), 0, std::nullopt}, &medchain.abi()));
  std::ofstream(url_file, std::ios::trunc) << node.url << "\n";
  return {};
}

}  // namespace

Result<std::vector<DevNode>> provision_dev_nodes(chain::EthClient& client, const DevSystem& system,
                                                 const fs::path& artifact,
                                                 const fs::path& data_dir,
                                                 std::uint16_t first_port, int count) {
  std::vector<DevNode> nodes;
  nodes.push_back({1, system.node_id, data_dir, system.relayer_key_file,
                   "http://127.0.0.1:" + std::to_string(first_port), ""});
  if (count < 2) return nodes;
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(artifact));
  const chain::Contract medchain(std::make_shared<const chain::ContractAbi>(std::move(abi)),
                                 system.deployment.address, client);
  for (int number = 2; number <= count; ++number) {
    DevNode node;
    node.number = number;
    node.node_id = node_id_of(number);
    node.data_dir = data_dir / ("node-" + std::to_string(number));
    node.operator_key_file = node.data_dir / kOperatorKeyFile;
    node.url = "http://127.0.0.1:" + std::to_string(first_port + number - 1);
    std::error_code ec;
    fs::create_directories(node.data_dir, ec);
    if (ec) return Error{Errc::kIo, "cannot create " + node.data_dir.string() + ": " + ec.message()};
    // The node's own copy of the deployment record (medchaind reads it from its --data-dir); an
    // index of an earlier deployment is set aside, as node 1's is.
    if (auto old = chain::read_deployment(node.data_dir);
        old.ok() && old->address != system.deployment.address) {
      MEDCHAIN_TRY_STATUS(set_aside_old_index(node.data_dir, *old));
      fs::remove(node.data_dir / kRegisteredUrlFile, ec);
    }
    MEDCHAIN_TRY_STATUS(chain::write_deployment(node.data_dir, system.deployment));
    MEDCHAIN_TRY(crypto::PrivateKey key, operator_key(node.operator_key_file));
    MEDCHAIN_TRY_STATUS(register_node(client, system, medchain, node, crypto::address_of(key)));
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace medchain::cli
