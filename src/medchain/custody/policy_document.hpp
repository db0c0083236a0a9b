// The emergency escrow policy document (docs/format.md, "Emergency escrow: the policy
// document"): the public half of a dealing — threshold, custodians (account, X25519 key, node
// URL) and Feldman commitments — as the JSON text a patient publishes on the nodes. The chain
// holds only its keccak-256 (escrowPolicies(patient)), so a node, a custodian and a doctor each
// check the text they were given against the chain before trusting a field of it.
#pragma once

#include <cstdint>
#include <medchain/records/escrow.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::custody {

struct CustodianEntry {
  Address account;                          // custodianKeys(account) on chain
  records::X25519PublicKey encryption_key;  // its share is sealed to this key
  std::string url;                          // the custodian's node, where partials are asked
  bool operator==(const CustodianEntry&) const = default;
};

struct PolicyDocument {
  records::EscrowPolicy policy;            // patient, k, n, commitments
  std::vector<CustodianEntry> custodians;  // custodian i (1..n) is custodians[i - 1]
  bool operator==(const PolicyDocument&) const = default;
};

// The document's text: compact JSON with the keys in a fixed order, what a client publishes
// and hashes. {"format":1,"patient","threshold","custodians":[{"index","account",
// "encryptionKey","url"}],"commitments":[...]}.
std::string policy_document_text(const PolicyDocument& document);

// What the chain records for a text: keccak-256 of its UTF-8 bytes, exactly as published.
Hash32 policy_hash(std::string_view text);

// Parses a published text (any JSON formatting; the hash is of the text itself). kInvalidJson
// for a malformed document or field; kInvalidArgument when the policy fails
// records::check_escrow_policy, there are not n custodians, a custodian appears twice, or an
// index is not its position.
Result<PolicyDocument> parse_policy_document(std::string_view text);

// The index (1..n) of the custodian whose account is `account`, or 0 when none is.
std::uint8_t custodian_index(const PolicyDocument& document, const Address& account);

}  // namespace medchain::custody
