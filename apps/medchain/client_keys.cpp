// ClientContext's encryption keys (docs/format.md, "Encryption key"): which derivation of the
// account key the chain holds, and the keys old data may still be sealed to.
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

#include "client_context.hpp"

namespace medchain::cli {
namespace {

namespace format = medchain::records;
namespace abi = eth::abi;

constexpr std::uint64_t kNoDoctor = 0;  // Registry: a doctors() row never written

format::X25519PublicKey key_of(const abi::Value& word) {
  format::X25519PublicKey key;
  const Hash32 bytes = chain::hash32_of(word);
  std::copy(bytes.bytes.begin(), bytes.bytes.end(), key.bytes.begin());
  return key;
}

Error not_registered(const Address& account) {
  return Error{Errc::kNotFound, eth::to_checksum(account) +
                                    " has no encryption key on chain: register first "
                                    "(`medchain register patient`)"};
}

// The key the contract holds for `account`: patientKeys, else the doctors() row's.
Result<format::X25519PublicKey> key_on_chain(const chain::Contract& medchain,
                                             const Address& account) {
  MEDCHAIN_TRY(auto patient, medchain.call("patientKeys", {abi::Value(account)}));
  const format::X25519PublicKey key = key_of(patient.at(0));
  if (key != format::X25519PublicKey{}) return key;
  MEDCHAIN_TRY(auto doctor, medchain.call("doctors", {abi::Value(account)}));
  if (doctor.at(0).word() == kNoDoctor) return not_registered(account);
  return key_of(doctor.at(2));
}

Result<format::X25519PublicKey> parse_key(const client::json& row) {
  auto key = from_hex_fixed<format::X25519PublicKey>(row.value("encryptionKey", ""));
  if (!key) return Error{Errc::kProtocol, "the node answered an account without an encryptionKey"};
  return *key;
}

// The key the node's index holds for `account`: the patient's, else the doctor's.
Result<format::X25519PublicKey> key_on_node(client::NodeClient& node, const Address& account) {
  auto patient = node.get("/v1/patients/" + eth::to_checksum(account));
  if (patient.ok()) return parse_key(*patient);
  if (patient.error().code != Errc::kNotFound) return std::move(patient).error();
  MEDCHAIN_TRY(client::json doctors, node.get("/v1/doctors"));
  for (const client::json& row : doctors.value("doctors", client::json::array())) {
    auto address = from_hex_fixed<Address>(row.value("address", ""));
    if (address.ok() && *address == account) return parse_key(row);
  }
  return not_registered(account);
}

}  // namespace

Result<format::Deployment> ClientContext::deployment() {
  MEDCHAIN_TRY(client::NodeClient * node, this->node());
  MEDCHAIN_TRY(Address contract, trusted_contract(node->info().chain_id, node->info().contract));
  return format::Deployment{node->info().chain_id, contract};
}

Result<std::optional<Address>> ClientContext::controlled_patient() {
  MEDCHAIN_TRY_STATUS(signed_in_node());  // which fills me()
  MEDCHAIN_TRY(Address account, this->account());
  const client::json controlled = me().value("controllerOf", client::json::array());
  if (!controlled.is_array() || controlled.empty()) return std::optional<Address>();
  MEDCHAIN_TRY(Address patient,
               from_hex_fixed<Address>(controlled[0].is_string() ? controlled[0].get<std::string>()
                                                                 : std::string()));
  if (!options_.rpc_url.empty()) {
    MEDCHAIN_TRY(const chain::Contract* medchain, contract());
    MEDCHAIN_TRY(auto answer, medchain->call("controllerOf", {abi::Value(patient)}));
    if (answer.at(0).address() != account) {
      return Error{Errc::kCheckFailed, "the node says " + eth::to_checksum(account) + " controls " +
                                           eth::to_checksum(patient) +
                                           " since a recovery; the chain does not"};
    }
  }
  return std::optional<Address>(patient);
}

Result<format::X25519PublicKey> ClientContext::key_on_chain(const Address& account) {
  MEDCHAIN_TRY(const chain::Contract* medchain, contract());
  return cli::key_on_chain(*medchain, account);
}

Result<format::X25519PublicKey> ClientContext::registered_key() {
  MEDCHAIN_TRY(Address account, this->account());
  const auto key_of_account = [this](const Address& who) -> Result<format::X25519PublicKey> {
    if (!options_.rpc_url.empty()) return key_on_chain(who);
    MEDCHAIN_TRY(client::NodeClient * node, this->node());
    return key_on_node(*node, who);
  };
  auto own = key_of_account(account);
  if (own.ok() || own.error().code != Errc::kNotFound) return own;
  // A recovered patient's controller: the patient's key, once it rotated it to its own.
  auto controlled = controlled_patient();
  if (!controlled.ok() || !*controlled) return own;
  return key_of_account(**controlled);
}

Result<format::KeyDerivation> ClientContext::key_derivation() {
  if (derivation_) return *derivation_;
  MEDCHAIN_TRY(format::X25519PublicKey registered, registered_key());
  MEDCHAIN_TRY(format::Deployment deployment, this->deployment());
  MEDCHAIN_TRY(crypto::PrivateKey key, this->key());
  derivation_ = format::find_derivation(key, deployment, registered);
  if (!derivation_) {
    return Error{Errc::kCheckFailed,
                 "your derived encryption key is not the one on chain: the chain holds " +
                     to_hex(registered) + ", which no medchain derivation of " +
                     eth::to_checksum(crypto::address_of(key)) + " for chain " +
                     std::to_string(deployment.chain_id) + " and contract " +
                     eth::to_checksum(deployment.contract) + " gives"};
  }
  return *derivation_;
}

Result<format::EncryptionKeyPair> ClientContext::encryption_key() {
  MEDCHAIN_TRY(format::KeyDerivation derivation, key_derivation());
  MEDCHAIN_TRY(crypto::PrivateKey key, this->key());
  return format::derive_encryption_key(key, derivation);
}

Result<std::vector<format::EncryptionKeyPair>> ClientContext::decryption_keys() {
  if (decryption_keys_) return *decryption_keys_;
  MEDCHAIN_TRY(format::KeyDerivation current, key_derivation());
  MEDCHAIN_TRY(format::Deployment deployment, this->deployment());
  MEDCHAIN_TRY(crypto::PrivateKey key, this->key());
  std::vector<format::EncryptionKeyPair> keys{format::derive_encryption_key(key, current)};
  for (std::uint32_t generation = 0; generation <= current.next_generation(); ++generation) {
    const auto other = format::KeyDerivation::format2(deployment, generation);
    if (other != current) keys.push_back(format::derive_encryption_key(key, other));
  }
  if (current.format != 1) {
    keys.push_back(format::derive_encryption_key(key, format::KeyDerivation::format1()));
  }
  decryption_keys_ = std::move(keys);
  return *decryption_keys_;
}

}  // namespace medchain::cli
