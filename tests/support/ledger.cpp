#include "support/ledger.hpp"

#include <openssl/rand.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <stdexcept>

namespace medchain::test {
namespace {

using nlohmann::json;
namespace abi = eth::abi;

// The first account of the development mnemonic, funded on anvil and ganache alike.
constexpr const char* kDevKey =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

template <class T>
T must(Result<T> result, std::string_view what) {
  if (!result.ok()) {
    throw std::runtime_error(std::string(what) + ": " + result.error().message);
  }
  return std::move(result).value();
}

}  // namespace

std::filesystem::path medchain_artifact() {
  return std::filesystem::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json";
}

Hash32 random_hash() {
  Hash32 hash;
  if (RAND_bytes(hash.data(), static_cast<int>(hash.size())) != 1) throw std::bad_alloc();
  return hash;
}

Ledger::Ledger(chain::DevChainKind kind, chain::SenderOptions options) : options_(options) {
  chain::DevChainOptions chain_options;
  chain_options.kind = kind;
  chain_options.executable = std::filesystem::path(MEDCHAIN_SOURCE_DIR) / "node_modules/.bin" /
                             (kind == chain::DevChainKind::kAnvil ? "anvil" : "ganache");
  chain_options.chain_id = kind == chain::DevChainKind::kAnvil ? 31337 : 1337;
  dev_chain_ = std::make_unique<chain::DevChain>(
      must(chain::DevChain::start(chain_options), "starting the chain"));
  // ganache 7 sometimes leaves an eth_estimateGas unanswered while it mines a concurrent
  // transaction; a short deadline and more attempts let a retry find it answered.
  client_ = std::make_unique<chain::EthClient>(
      must(chain::HttpEndpoint::parse(dev_chain_->url()), "chain url"),
      chain::RpcOptions{std::chrono::milliseconds(2'000), 6, std::chrono::milliseconds(10)});
  abi_ = std::make_shared<const chain::ContractAbi>(
      must(chain::ContractAbi::from_artifact(medchain_artifact()), "reading the artifact"));
  admin_.key = must(crypto::parse_private_key(must(from_hex(kDevKey), "key")), "key");
  admin_.address = crypto::address_of(admin_.key);
  admin_.sender = must(
      chain::TransactionSender::connect(*client_, admin_.key, chain_options.chain_id, options_),
      "connecting the admin");
  deployment_ = must(chain::deploy(*admin_.sender, *abi_), "deploying medchain");
  medchain_ = std::make_unique<chain::Contract>(abi_, deployment_.address, *client_);
  relayer_ = std::make_unique<chain::Relayer>(*admin_.sender, *medchain_);
}

Party Ledger::party(bool funded) {
  Party party;
  party.key = crypto::generate_private_key();
  party.address = crypto::address_of(party.key);
  party.sender =
      must(chain::TransactionSender::connect(*client_, party.key, deployment_.chain_id, options_),
           "connecting a party");
  if (funded) {
    must(admin_.sender->send({party.address, {}, U256("10000000000000000000"), 21'000}),
         "funding a party");
  }
  return party;
}

Result<chain::Receipt> Ledger::call(Party& party, std::string_view function_name,
                                    const std::vector<abi::Value>& args) {
  MEDCHAIN_TRY(Bytes data, medchain_->calldata(function_name, args));
  return party.sender->send({medchain_->address(), std::move(data), 0, std::nullopt},
                            &medchain_->abi());
}

chain::Receipt Ledger::must_call(Party& party, std::string_view function_name,
                                 const std::vector<abi::Value>& args) {
  return must(call(party, function_name, args), function_name);
}

std::vector<abi::Value> Ledger::view(std::string_view function_name,
                                     const std::vector<abi::Value>& args) {
  return must(medchain_->call(function_name, args), function_name);
}

chain::SignedIntent Ledger::intent(const Party& signer, std::string_view function_name,
                                   json message, std::uint64_t nonce_offset,
                                   const std::vector<abi::Value>& extra_args) {
  const U256 nonce = view("nonces", {signer.address})[0].word() + nonce_offset;
  const auto latest = must(client_->latest_block(), "latest block");
  message["nonce"] = to_decimal(nonce);
  message["deadline"] = std::to_string(latest->timestamp + 3600);
  return must(chain::sign_intent(medchain_->abi(), domain(), function_name, message, signer.key,
                                 extra_args),
              "signing an intent");
}

Party Ledger::registrar() {
  Party registrar = party();
  must_call(admin_, "setRegistrar", {registrar.address, true});
  return registrar;
}

Party Ledger::verified_doctor(Party& registrar) {
  Party doctor = party();
  must_call(registrar, "verifyDoctor",
            {doctor.address, bytes32(random_hash()), bytes32(random_hash())});
  return doctor;
}

Party Ledger::registered_patient(bool funded) {
  Party patient = party(funded);
  const json message{{"patient", eth::to_checksum(patient.address)},
                     {"encryptionKey", to_hex(random_hash())}};
  must(relayer_->relay(intent(patient, "registerPatientBySig", message)), "registering a patient");
  return patient;
}

Hash32 Ledger::storage_node(Party& registrar) {
  const Hash32 node_id = random_hash();
  must_call(registrar, "registerStorageNode",
            {bytes32(node_id), registrar.address, std::string("http://127.0.0.1:9000")});
  return node_id;
}

std::vector<chain::DecodedLog> Ledger::events(const chain::Receipt& receipt,
                                              std::string_view event) {
  std::vector<chain::DecodedLog> found;
  for (const chain::Log& log : receipt.logs) {
    auto decoded = medchain_->abi().decode_log(log);
    if (decoded.ok() && decoded->event == event) found.push_back(std::move(*decoded));
  }
  return found;
}

}  // namespace medchain::test
