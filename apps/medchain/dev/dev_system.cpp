#include "dev/dev_system.hpp"

#include <sys/stat.h>

#include <fstream>
#include <medchain/chain/intents.hpp>
#include <medchain/chain/relayer.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>
#include <sstream>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
namespace abi = eth::abi;

constexpr const char* kAccountsFile = "dev-accounts.json";
// The first account of the development mnemonic: funded on anvil and ganache; public.
constexpr const char* kDevAdminKey =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const U256 kDemoFunds("100000000000000000000");  // 100 ether each

abi::Value bytes32(ByteView value) {
  return abi::Value(Bytes(value.begin(), value.end()));
}

DemoAccount new_account(std::string label) {
  DemoAccount account{std::move(label), crypto::generate_private_key(), {}, {}};
  account.address = crypto::address_of(account.key);
  account.encryption_key = records::derive_encryption_key(account.key).public_key;
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
    DemoAccount account{entry.value("label", ""), key, crypto::address_of(key), {}};
    account.encryption_key = records::derive_encryption_key(key).public_key;
    accounts.push_back(std::move(account));
  }
  return accounts;
}

// Registers the demo parties on the new contract: the registrar appointed by the admin,
// doctors verified by the registrar, patients registered by relayed intents (patients need no
// ether to use medchain).
Status create_demo_parties(chain::EthClient& client, chain::TransactionSender& admin,
                           const chain::Contract& medchain, std::vector<DemoAccount>& accounts) {
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
  chain::Relayer relayer(admin, medchain);
  MEDCHAIN_TRY(std::optional<chain::BlockHeader> latest, client.latest_block());
  if (!latest) return Error{Errc::kProtocol, "the chain has no latest block"};
  const chain::IntentDomain domain{admin.chain_id(), medchain.address()};
  for (const DemoAccount& account : accounts) {
    if (account.label.rfind("doctor", 0) == 0) {
      const Hash32 license = crypto::keccak256(ByteView(
          reinterpret_cast<const std::uint8_t*>(account.label.data()), account.label.size()));
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

}  // namespace

Result<DevSystem> provision_dev_system(chain::EthClient& client, std::uint64_t chain_id,
                                       const fs::path& artifact, const fs::path& data_dir) {
  if (auto deployment = chain::read_deployment(data_dir); deployment.ok()) {
    auto accounts = read_accounts(data_dir / kAccountsFile);
    if (accounts.ok() && chain::check_deployment(client, *deployment).ok()) {
      return DevSystem{*deployment, std::move(*accounts), /*resumed=*/true};
    }
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
    accounts.push_back(new_account(label));
  }
  MEDCHAIN_TRY_STATUS(create_demo_parties(client, *admin, medchain, accounts));
  MEDCHAIN_TRY_STATUS(write_accounts(data_dir / kAccountsFile, accounts));
  MEDCHAIN_TRY_STATUS(chain::write_deployment(data_dir, deployment));
  return DevSystem{deployment, std::move(accounts), /*resumed=*/false};
}

}  // namespace medchain::cli
