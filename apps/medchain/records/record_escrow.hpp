// The emergency escrow on the client side (docs/format.md, "Emergency escrow"): the patient's
// published policy checked against the chain, a version's content key wrapped to the escrow
// key, and a doctor's reading of a version through k custodians' partials.
#pragma once

#include <medchain/chain/contract.hpp>
#include <medchain/custody/policy_document.hpp>
#include <medchain/records/escrow.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "records/record_actions.hpp"

namespace medchain::cli::records {

struct PublishedPolicy {
  custody::PolicyDocument document;
  std::string text;  // as published: what the chain's hash is of
  Hash32 hash;
};

// The patient's escrow policy as `node` serves it. With `medchain` (not null) its keccak-256
// must be the chain's escrowPolicies(patient) (kCheckFailed otherwise); without, it is the
// node's word. kNotFound when the node holds none.
Result<PublishedPolicy> published_escrow_policy(client::NodeClient& node,
                                                const chain::Contract* medchain,
                                                const Address& patient);

// Wraps `key` to the policy's escrow key, bound to `version`, and stores it with the version
// (PUT …/escrow-key; the patient may replace an earlier one, so a retry is harmless).
Status store_escrow_key(client::NodeClient& node, const PublishedPolicy& policy,
                        const medchain::records::KeyBinding& version,
                        const medchain::records::ContentKey& key);

// A patient's escrow opened once to read many versions through it: the policy, checked against
// the chain when `medchain` is given, and a session at each custodian the policy names, signed in
// as the caller the first time it is needed and kept until the reader is destroyed. A custodian
// that is down is asked once; it is skipped for the later versions rather than waited for again.
class EscrowReader {
 public:
  static Result<EscrowReader> open(Caller& caller, const chain::Contract* medchain,
                                   const Address& patient);
  EscrowReader(EscrowReader&&) noexcept;
  ~EscrowReader();

  // A version's content key: the wrapped key from the caller's node, then a partial from each
  // custodian until `threshold` verified ones are in. The custodian answers a verified doctor
  // with an emergency window on the patient open now, or the chain's controller of the patient
  // after a recovery. A custodian that is down or refuses is skipped and named in `skipped`; one
  // whose partial does not prove itself is named too. kPermissionDenied when a refusal says the
  // caller may not (no window); kUnavailable when fewer than k answered.
  Result<medchain::records::ContentKey> content_key(const medchain::records::KeyBinding& version,
                                                    std::vector<std::string>& skipped);

 private:
  struct Custodian;
  EscrowReader(Caller& caller, PublishedPolicy policy, crypto::PrivateKey signer,
               medchain::records::EncryptionKeyPair mine);

  Caller& caller_;
  PublishedPolicy policy_;
  crypto::PrivateKey signer_;
  medchain::records::EncryptionKeyPair mine_;
  std::vector<Custodian> custodians_;  // in the policy's order
};

// One version's content key through the escrow (EscrowReader::open, then content_key).
Result<medchain::records::ContentKey> content_key_through_escrow(
    Caller& caller, const chain::Contract* medchain, const Address& patient,
    const medchain::records::KeyBinding& version, std::vector<std::string>& skipped);

}  // namespace medchain::cli::records
