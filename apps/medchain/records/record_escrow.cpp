// The client's side of the emergency escrow (record_escrow.hpp).
#include "records/record_escrow.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
using client::json;

std::string patient_path(const Address& patient) {
  return "/v1/patients/" + eth::to_checksum(patient);
}

std::string version_path(const format::KeyBinding& version) {
  return "/v1/records/" + to_hex(version.record_id) + "/versions/" +
         std::to_string(version.version);
}

// One custodian's partial for `wrapped`, asked at its own node as the caller.
Result<format::EscrowPartial> partial_from(const custody::CustodianEntry& custodian,
                                           const crypto::PrivateKey& signer,
                                           const format::EncryptionKeyPair& mine,
                                           const PublishedPolicy& policy, ByteView wrapped,
                                           const format::KeyBinding& version) {
  MEDCHAIN_TRY(client::NodeClient node, client::NodeClient::connect(custodian.url));
  MEDCHAIN_TRY(client::SignedIn session, node.sign_in(signer));
  const json body{{"recordId", to_hex(version.record_id)},
                  {"version", version.version},
                  {"policyHash", to_hex(policy.hash)},
                  {"wrappedKey", to_hex(wrapped)}};
  MEDCHAIN_TRY(json released,
               node.post(patient_path(policy.document.policy.patient) + "/escrow-partials", body));
  (void)node.sign_out();
  MEDCHAIN_TRY(Bytes sealed, from_hex(released.value("sealedPartial", "")));
  return format::open_escrow_partial(sealed, policy.document.policy, wrapped, version, mine);
}

}  // namespace

Result<PublishedPolicy> published_escrow_policy(client::NodeClient& node,
                                                const chain::Contract* medchain,
                                                const Address& patient) {
  MEDCHAIN_TRY(json answer, node.get(patient_path(patient) + "/escrow-policy"));
  PublishedPolicy published;
  published.text = answer.value("document", "");
  published.hash = custody::policy_hash(published.text);
  if (medchain != nullptr) {
    MEDCHAIN_TRY(auto on_chain, medchain->call("escrowPolicies", {eth::abi::Value(patient)}));
    const Bytes& word = on_chain.at(0).bytes();
    if (word != Bytes(published.hash.bytes.begin(), published.hash.bytes.end())) {
      return Error{Errc::kCheckFailed,
                   "the node's escrow policy document is not the one the chain names"};
    }
  }
  MEDCHAIN_TRY(published.document, custody::parse_policy_document(published.text));
  if (published.document.policy.patient != patient) {
    return Error{Errc::kCheckFailed, "the node served the escrow policy of another patient"};
  }
  return published;
}

Status store_escrow_key(client::NodeClient& node, const PublishedPolicy& policy,
                        const format::KeyBinding& version, const format::ContentKey& key) {
  MEDCHAIN_TRY(Bytes wrapped,
               format::wrap_for_escrow(key, version, policy.document.policy.escrow_key()));
  const json body{{"policyHash", to_hex(policy.hash)}, {"wrappedKey", to_hex(wrapped)}};
  MEDCHAIN_TRY(json stored, node.put(version_path(version) + "/escrow-key", body));
  return {};
}

Result<format::ContentKey> content_key_through_escrow(Caller& caller,
                                                      const chain::Contract* medchain,
                                                      const Address& patient,
                                                      const format::KeyBinding& version,
                                                      std::vector<std::string>& skipped) {
  MEDCHAIN_TRY(PublishedPolicy policy, published_escrow_policy(caller.node, medchain, patient));
  MEDCHAIN_TRY(json escrowed, caller.node.get(version_path(version) + "/escrow-key"));
  if (escrowed.value("policyHash", "") != to_hex(policy.hash)) {
    return Error{Errc::kNotFound, "this version's key was escrowed under an earlier policy"};
  }
  MEDCHAIN_TRY(Bytes wrapped, from_hex(escrowed.value("wrappedKey", "")));
  MEDCHAIN_TRY(crypto::PrivateKey signer, caller.key());
  MEDCHAIN_TRY(std::vector<format::EncryptionKeyPair> keys, caller.encryption());
  const std::size_t needed = policy.document.policy.threshold;
  std::vector<format::EscrowPartial> partials;
  std::optional<Error> refusal;  // a custodian's "no window" refusal, the likeliest cause
  for (const custody::CustodianEntry& custodian : policy.document.custodians) {
    if (partials.size() == needed) break;
    auto partial = partial_from(custodian, signer, keys.front(), policy, wrapped, version);
    if (partial.ok()) {
      partials.push_back(*partial);
      continue;
    }
    if (partial.error().code == Errc::kPermissionDenied) refusal = partial.error();
    skipped.push_back("custodian " + eth::to_checksum(custodian.account) + " at " +
                      custodian.url + ": " + partial.error().message);
  }
  if (partials.size() < needed) {
    if (refusal) return *refusal;
    return Error{Errc::kUnavailable, std::to_string(partials.size()) + " of the " +
                                         std::to_string(policy.document.custodians.size()) +
                                         " custodians answered; the escrow needs " +
                                         std::to_string(needed)};
  }
  return format::open_escrow_wrapped_key(wrapped, version, policy.document.policy, partials);
}

}  // namespace medchain::cli::records
