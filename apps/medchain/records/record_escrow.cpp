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

// A session at `url`, signed in with `signer`.
Result<client::NodeClient> signed_in_session(const std::string& url,
                                             const crypto::PrivateKey& signer) {
  MEDCHAIN_TRY(client::NodeClient node, client::NodeClient::connect(url));
  MEDCHAIN_TRY(client::SignedIn session, node.sign_in(signer));
  return node;
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

// A custodian of the policy and, once asked, its signed-in session or why it has none.
struct EscrowReader::Custodian {
  custody::CustodianEntry entry;
  std::optional<client::NodeClient> node;  // signed in as the caller
  std::optional<Error> down;               // the connection or sign-in failed: not asked again

  std::string name() const {
    return "custodian " + eth::to_checksum(entry.account) + " at " + entry.url;
  }
};

EscrowReader::EscrowReader(Caller& caller, PublishedPolicy policy, crypto::PrivateKey signer,
                           format::EncryptionKeyPair mine)
    : caller_(caller), policy_(std::move(policy)), signer_(signer), mine_(std::move(mine)) {
  for (const custody::CustodianEntry& entry : policy_.document.custodians) {
    custodians_.push_back(Custodian{entry, std::nullopt, std::nullopt});
  }
}

EscrowReader::EscrowReader(EscrowReader&&) noexcept = default;

EscrowReader::~EscrowReader() {
  for (Custodian& custodian : custodians_) {
    if (custodian.node) (void)custodian.node->sign_out();
  }
}

Result<EscrowReader> EscrowReader::open(Caller& caller, const chain::Contract* medchain,
                                        const Address& patient) {
  MEDCHAIN_TRY(PublishedPolicy policy, published_escrow_policy(caller.node, medchain, patient));
  MEDCHAIN_TRY(crypto::PrivateKey signer, caller.key());
  MEDCHAIN_TRY(std::vector<format::EncryptionKeyPair> keys, caller.encryption());
  return EscrowReader(caller, std::move(policy), signer, keys.front());
}

Result<format::ContentKey> EscrowReader::content_key(const format::KeyBinding& version,
                                                     std::vector<std::string>& skipped) {
  MEDCHAIN_TRY(json escrowed, caller_.node.get(version_path(version) + "/escrow-key"));
  if (escrowed.value("policyHash", "") != to_hex(policy_.hash)) {
    return Error{Errc::kNotFound, "this version's key was escrowed under an earlier policy"};
  }
  MEDCHAIN_TRY(Bytes wrapped, from_hex(escrowed.value("wrappedKey", "")));
  const json request{{"recordId", to_hex(version.record_id)},
                     {"version", version.version},
                     {"policyHash", to_hex(policy_.hash)},
                     {"wrappedKey", to_hex(wrapped)}};
  const std::string partials_path =
      patient_path(policy_.document.policy.patient) + "/escrow-partials";
  const std::size_t needed = policy_.document.policy.threshold;
  std::vector<format::EscrowPartial> partials;
  std::optional<Error> refusal;  // a custodian's "no window" refusal, the likeliest cause
  for (Custodian& custodian : custodians_) {
    if (partials.size() == needed) break;
    if (!custodian.node && !custodian.down) {
      auto session = signed_in_session(custodian.entry.url, signer_);
      if (session.ok()) {
        custodian.node.emplace(std::move(*session));
      } else {
        custodian.down = session.error();
      }
    }
    if (custodian.down) {
      skipped.push_back(custodian.name() + ": " + custodian.down->message);
      continue;
    }
    auto partial = [&]() -> Result<format::EscrowPartial> {
      MEDCHAIN_TRY(json released, custodian.node->post(partials_path, request));
      MEDCHAIN_TRY(Bytes sealed, from_hex(released.value("sealedPartial", "")));
      return format::open_escrow_partial(sealed, policy_.document.policy, wrapped, version, mine_);
    }();
    if (partial.ok()) {
      partials.push_back(*partial);
      continue;
    }
    if (partial.error().code == Errc::kPermissionDenied) refusal = partial.error();
    skipped.push_back(custodian.name() + ": " + partial.error().message);
  }
  if (partials.size() < needed) {
    if (refusal) return *refusal;
    return Error{Errc::kUnavailable,
                 std::to_string(partials.size()) + " of the " + std::to_string(custodians_.size()) +
                     " custodians answered; the escrow needs " + std::to_string(needed)};
  }
  return format::open_escrow_wrapped_key(wrapped, version, policy_.document.policy, partials);
}

Result<format::ContentKey> content_key_through_escrow(Caller& caller,
                                                      const chain::Contract* medchain,
                                                      const Address& patient,
                                                      const format::KeyBinding& version,
                                                      std::vector<std::string>& skipped) {
  MEDCHAIN_TRY(EscrowReader reader, EscrowReader::open(caller, medchain, patient));
  return reader.content_key(version, skipped);
}

}  // namespace medchain::cli::records
