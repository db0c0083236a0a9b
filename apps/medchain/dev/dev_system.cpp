#include "dev/dev_system.hpp"

#include <sys/stat.h>

#include <fstream>
#include <medchain/chain/intents.hpp>
#include <medchain/chain/relayer.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/salted_text.hpp>
#include <sstream>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
namespace abi = eth::abi;

constexpr const char* kAccountsFile = "dev-accounts.json";
// The SHA-256 of the contract artifact the chain's deployment was made from.
constexpr const char* kArtifactDigestFile = "dev-contract.sha256";
// The first account of the development mnemonic: funded on anvil and ganache; public.
constexpr const char* kDevAdminKey =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
// The second account of the same mnemonic: the dev node's operator, which relays intents and
// anchors the audit log. Funded from the start; public.
constexpr const char* kDevNodeOperatorKey =
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
constexpr const char* kRelayerKeyFile = "relayer.key";
const U256 kDemoFunds("100000000000000000000");  // 100 ether each

// The dev node's id on chain: the same on every run.
Hash32 dev_node_id() {
  static constexpr std::string_view kName = "medchain dev node";
  return crypto::keccak256(
      ByteView(reinterpret_cast<const std::uint8_t*>(kName.data()), kName.size()));
}

// The operator's key, where medchaind --relayer-key-file reads it (owner-only).
Result<fs::path> write_relayer_key(const fs::path& data_dir) {
  const fs::path path = data_dir / kRelayerKeyFile;
  std::ofstream file(path, std::ios::trunc);
  file << kDevNodeOperatorKey << "\n";
  file.close();
  if (!file) return Error{Errc::kIo, "cannot write " + path.string()};
  ::chmod(path.c_str(), 0600);
  return path;
}

abi::Value bytes32(ByteView value) {
  return abi::Value(Bytes(value.begin(), value.end()));
}

// A fresh account whose encryption key is derived as a client registering on `deployment`
// derives it (format 2, generation 0).
DemoAccount new_account(std::string label, const chain::Deployment& deployment) {
  DemoAccount account{std::move(label), crypto::generate_private_key(), {}, {}};
  account.address = crypto::address_of(account.key);
  const records::Deployment bound{deployment.chain_id, deployment.address};
  account.encryption_key =
      records::derive_encryption_key(account.key, records::KeyDerivation::format2(bound, 0))
          .public_key;
  return account;
}

Status write_accounts(const fs::path& path, const std::vector<DemoAccount>& accounts) {
  json list = json::array();
  for (const DemoAccount& account : accounts) {
    list.push_back({{"label", account.label},
                    {"address", eth::to_checksum(account.address)},
                    {"privateKey", to_hex(account.key)},
                    {"encryptionKey", to_hex(account.encryption_key)}});
  }
  const json document{{"warning", "DEVELOPMENT ONLY: these keys are public"}, {"accounts", list}};
  std::ofstream file(path, std::ios::trunc);
  file << document.dump(2) << "\n";
  file.close();
  if (!file) return Error{Errc::kIo, "cannot write " + path.string()};
  ::chmod(path.c_str(), 0600);
  return {};
}

Result<std::vector<DemoAccount>> read_accounts(const fs::path& path) {
  std::ifstream file(path);
  if (!file) return Error{Errc::kNotFound, "no " + path.string()};
  std::stringstream text;
  text << file.rdbuf();
  const json document = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.value("accounts", json()).is_array()) {
    return Error{Errc::kInvalidJson, path.string() + " is damaged"};
  }
  std::vector<DemoAccount> accounts;
  for (const json& entry : document["accounts"]) {
    auto bytes = from_hex(entry.value("privateKey", ""));
    if (!bytes) return Error{Errc::kInvalidJson, path.string() + " is damaged"};
    MEDCHAIN_TRY(crypto::PrivateKey key, crypto::parse_private_key(*bytes));
    auto encryption_key =
        from_hex_fixed<records::X25519PublicKey>(entry.value("encryptionKey", ""));
    if (!encryption_key) return Error{Errc::kInvalidJson, path.string() + " is damaged"};
    accounts.push_back({entry.value("label", ""), key, crypto::address_of(key), *encryption_key});
  }
  return accounts;
}

// Registers the demo parties on the new contract: the registrar appointed by the admin,
// doctors verified by the registrar, patients registered by relayed intents (patients need no
// ether to use medchain).
Status create_demo_parties(chain::EthClient& client, chain::TransactionSender& admin,
                           const chain::Contract& medchain, std::vector<DemoAccount>& accounts,
                           const std::string& node_url) {
  for (const DemoAccount& account : accounts) {
    MEDCHAIN_TRY_STATUS(admin.send({account.address, {}, kDemoFunds, 21'000}));
  }
  const DemoAccount& registrar = accounts[0];
  const auto send = [&](chain::TransactionSender& from, std::string_view function,
                        const std::vector<abi::Value>& args) -> Status {
    MEDCHAIN_TRY(Bytes data, medchain.calldata(function, args));
    MEDCHAIN_TRY_STATUS(
        from.send({medchain.address(), std::move(data), 0, std::nullopt}, &medchain.abi()));
    return {};
  };
  MEDCHAIN_TRY_STATUS(send(admin, "setRegistrar", {registrar.address, true}));
  MEDCHAIN_TRY(auto registrar_sender,
               chain::TransactionSender::connect(client, registrar.key, admin.chain_id()));
  MEDCHAIN_TRY(Bytes operator_key_bytes, from_hex(kDevNodeOperatorKey));
  MEDCHAIN_TRY(crypto::PrivateKey operator_key, crypto::parse_private_key(operator_key_bytes));
  const Hash32 node_id = dev_node_id();
  MEDCHAIN_TRY_STATUS(send(*registrar_sender, "registerStorageNode",
                           {bytes32(node_id), crypto::address_of(operator_key), node_url}));
  chain::Relayer relayer(admin, medchain);
  MEDCHAIN_TRY(std::optional<chain::BlockHeader> latest, client.latest_block());
  if (!latest) return Error{Errc::kProtocol, "the chain has no latest block"};
  const chain::IntentDomain domain{admin.chain_id(), medchain.address()};
  for (const DemoAccount& account : accounts) {
    if (account.label.rfind("doctor", 0) == 0) {
      // A demo licence, salted like a real one (docs/format.md, "Reasons and licences").
      const Hash32 license = records::salted_hash(records::salt_text("demo " + account.label));
      MEDCHAIN_TRY_STATUS(
          send(*registrar_sender, "verifyDoctor",
               {account.address, bytes32(license), bytes32(account.encryption_key)}));
    } else if (account.label.rfind("patient", 0) == 0) {
      const json message{{"patient", eth::to_checksum(account.address)},
                         {"encryptionKey", to_hex(account.encryption_key)},
                         {"nonce", "0"},
                         {"deadline", std::to_string(latest->timestamp + 3600)}};
      MEDCHAIN_TRY(
          chain::SignedIntent intent,
          chain::sign_intent(medchain.abi(), domain, "registerPatientBySig", message, account.key));
      MEDCHAIN_TRY_STATUS(relayer.relay(intent));
    }
  }
  return {};
}

Result<std::string> artifact_digest(const fs::path& artifact) {
  std::ifstream in(artifact, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Error{Errc::kIo, "cannot read " + artifact.string()};
  const std::string bytes = text.str();
  return to_hex(
      crypto::sha256(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())));
}

// Whether the chain's deployment was made from this artifact: a contract built since (a new
// ABI, new rules) is deployed anew rather than resumed, or the node and the web app would speak
// the new ABI to the old contract.
bool deployed_from(const fs::path& data_dir, const std::string& digest) {
  std::ifstream in(data_dir / kArtifactDigestFile);
  std::string recorded;
  in >> recorded;
  return recorded == digest;
}

}  // namespace

Result<DevSystem> provision_dev_system(chain::EthClient& client, std::uint64_t chain_id,
                                       const fs::path& artifact, const fs::path& data_dir,
                                       const std::string& node_url) {
  MEDCHAIN_TRY(fs::path relayer_key_file, write_relayer_key(data_dir));
  MEDCHAIN_TRY(const std::string digest, artifact_digest(artifact));
  if (auto deployment = chain::read_deployment(data_dir); deployment.ok()) {
    auto accounts = read_accounts(data_dir / kAccountsFile);
    if (accounts.ok() && chain::check_deployment(client, *deployment).ok() &&
        deployed_from(data_dir, digest)) {
      return DevSystem{*deployment, std::move(*accounts), dev_node_id(), relayer_key_file,
                       /*resumed=*/true};
    }
    MEDCHAIN_TRY_STATUS(set_aside_old_index(data_dir, *deployment));
  }
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(artifact));
  auto shared_abi = std::make_shared<const chain::ContractAbi>(std::move(abi));
  MEDCHAIN_TRY(Bytes admin_key_bytes, from_hex(kDevAdminKey));
  MEDCHAIN_TRY(crypto::PrivateKey admin_key, crypto::parse_private_key(admin_key_bytes));
  MEDCHAIN_TRY(auto admin, chain::TransactionSender::connect(client, admin_key, chain_id));
  MEDCHAIN_TRY(chain::Deployment deployment, chain::deploy(*admin, *shared_abi));
  const chain::Contract medchain(shared_abi, deployment.address, client);

  std::vector<DemoAccount> accounts;
  for (const char* label : {"registrar", "doctor 1", "doctor 2", "patient 1", "patient 2"}) {
    accounts.push_back(new_account(label, deployment));
  }
  MEDCHAIN_TRY_STATUS(create_demo_parties(client, *admin, medchain, accounts, node_url));
  MEDCHAIN_TRY_STATUS(write_accounts(data_dir / kAccountsFile, accounts));
  MEDCHAIN_TRY_STATUS(chain::write_deployment(data_dir, deployment));
  std::ofstream(data_dir / kArtifactDigestFile, std::ios::trunc) << digest << "\n";
  return DevSystem{deployment, std::move(accounts), dev_node_id(), relayer_key_file,
                   /*resumed=*/false};
}

// Moves the node's SQLite index of an earlier deployment aside (index.db and its WAL files
// become index-<old contract>.db…): a node resuming it would serve that deployment's patients and
// records beside the new one's. Kept rather than deleted, so nothing of the old one is lost.
Status set_aside_old_index(const fs::path& data_dir, const chain::Deployment& old) {
  const std::string kept = "index-" + to_hex(old.address.bytes, false) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const fs::path from = data_dir / (std::string("index.db") + suffix);
    std::error_code ec;
    if (!fs::exists(from, ec)) continue;
    fs::rename(from, data_dir / (kept + suffix), ec);
    if (ec) return Error{Errc::kIo, "cannot move " + from.string() + " aside: " + ec.message()};
  }
  return {};
}

}  // namespace medchain::cli
