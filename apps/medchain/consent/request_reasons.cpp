#include "consent/request_reasons.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::cli {
namespace {

using client::json;
namespace abi = eth::abi;

Result<medchain::records::X25519PublicKey> patient_key(ClientContext& context,
                                                       const Address& patient) {
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  std::string key_hex;
  if (medchain != nullptr) {
    MEDCHAIN_TRY(auto key, medchain->call("patientKeys", {abi::Value(patient)}));
    key_hex = to_hex(key.at(0).bytes());
  } else {
    MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
    MEDCHAIN_TRY(json listed, node->get("/v1/patients/" + eth::to_checksum(patient)));
    key_hex = listed.value("encryptionKey", "");
  }
  auto key = from_hex_fixed<medchain::records::X25519PublicKey>(key_hex);
  if (!key || *key == medchain::records::X25519PublicKey{}) {
    return Error{Errc::kNotFound, eth::to_checksum(patient) +
                                      " has no encryption key to seal the reason to: not a "
                                      "registered patient"};
  }
  return *key;
}

// The reason hash request `request_id` carries on chain, from its AccessRequested event.
Result<Hash32> reason_hash_on_chain(const chain::Contract& medchain,
                                    const std::string& request_id) {
  MEDCHAIN_TRY(U256 id, parse_u256(request_id));
  MEDCHAIN_TRY(std::vector<chain::DecodedLog> events,
               medchain.events_with_topic1({"AccessRequested"}, chain::topic_of(id)));
  for (const chain::DecodedLog& event : events) {
    if (const abi::Value* hash = event.field("reasonHash")) return chain::hash32_of(*hash);
  }
  return Error{Errc::kCheckFailed, "the chain has no access request " + request_id};
}

// The hash a request's reason must match: the chain's (and the node's listing must agree), or
// the node's alone without --rpc-url.
Result<Hash32> expected_reason_hash(const chain::Contract* medchain, const json& request) {
  auto listed = from_hex_fixed<Hash32>(request.value("reasonHash", ""));
  if (!listed) return Error{Errc::kProtocol, "the node lists a request without a reason hash"};
  if (medchain == nullptr) return *listed;
  MEDCHAIN_TRY(Hash32 on_chain, reason_hash_on_chain(*medchain, request.value("requestId", "")));
  if (on_chain != *listed) {
    return Error{Errc::kCheckFailed, "the node lists another reason hash than the chain's"};
  }
  return on_chain;
}

Result<std::string> open_reason(ClientContext& context, const chain::Contract* medchain,
                                const json& request) {
  MEDCHAIN_TRY(Hash32 expected, expected_reason_hash(medchain, request));
  auto sealed = from_hex(request.value("sealedReason", ""));
  if (!sealed) return Error{Errc::kProtocol, "the node lists a sealed reason that is not hex"};
  MEDCHAIN_TRY(std::vector<medchain::records::EncryptionKeyPair> keys, context.decryption_keys());
  MEDCHAIN_TRY(medchain::records::SaltedText reason,
               medchain::records::open_reason_note(*sealed, expected, keys));
  return std::move(reason.text);
}

}  // namespace

Status leave_reason(ClientContext& context, const Address& doctor, const Address& patient,
                    const medchain::records::SaltedText& reason) {
  MEDCHAIN_TRY(medchain::records::X25519PublicKey key, patient_key(context, patient));
  MEDCHAIN_TRY(Bytes sealed, medchain::records::seal_reason_note(reason, key));
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  const std::string path = "/v1/doctors/" + eth::to_checksum(doctor) + "/reasons/" +
                           to_hex(medchain::records::salted_hash(reason));
  MEDCHAIN_TRY(json stored, node->put(path, json{{"patient", eth::to_checksum(patient)},
                                                 {"sealedReason", to_hex(sealed)}}));
  (void)stored;
  return {};
}

void open_reasons(ClientContext& context, json& requests) {
  auto medchain = context.contract_if_given();
  for (json& request : requests) {
    if (!request.contains("sealedReason")) continue;
    if (!medchain.ok()) {
      request["reasonError"] = medchain.error().message;
      continue;
    }
    auto reason = open_reason(context, *medchain, request);
    if (reason.ok()) {
      request["reason"] = std::move(*reason);
      request["reasonChecked"] = *medchain != nullptr;
    } else {
      request["reasonError"] = reason.error().message;
    }
  }
}

}  // namespace medchain::cli
