// A node acting as an escrow custodian (docs/format.md, "Emergency escrow"): its X25519 key
// (a file given to medchaind with --custodian-key), the shares patients deposit with it, and the
// release of a partial to a doctor. Every decision is made from the node's own index of the
// chain at the moment of the request: a share is taken only for a policy the chain holds and
// that names this node's key; a partial is released only to a verified doctor with an emergency
// window on that patient open now, or to the controller of an executed recovery of the patient
// (docs/format.md, "Recovery"), for a version that is the patient's on chain, and only for a
// wrapped key whose proof holds for that version.
#pragma once

#include <filesystem>
#include <medchain/custody/custody_store.hpp>
#include <medchain/custody/policy_document.hpp>
#include <medchain/store/index_store.hpp>
#include <optional>

namespace medchain::custody {

// The custodian key file: the X25519 secret as 0x hex (64 digits), optionally followed by
// whitespace. kIo if it cannot be read; kInvalidArgument if it is not such a key.
Result<records::EncryptionKeyPair> read_custodian_key(const std::filesystem::path& file);
// Makes a fresh key and writes it to `file` (mode 0600). kConflict if the file exists.
Result<records::EncryptionKeyPair> create_custodian_key(const std::filesystem::path& file);

// Why a custodian refuses; each reason has a stable problem code (custodian_refusal_code).
enum class Refusal {
  kNotCustodian,        // this node holds no custodian key, or the policy does not name it
  kPolicyNotOnChain,    // the chain's policy of the patient is not this document
  kUnknownPolicy,       // this node has no document for the policy hash
  kNoShare,             // no share of this node was deposited under the policy
  kInvalidShare,        // the share does not open or fails the Feldman check
  kNotVerifiedDoctor,   // the caller is not a verified doctor (nor the patient's controller)
  kNoEmergencyWindow,   // no emergency window of the caller on the patient is open now
  kNotPatientsVersion,  // the chain has no such version of this patient
  kInvalidWrap,         // the wrapped key is malformed or its proof fails for the version
};
// "not_custodian", "escrow_policy_not_on_chain", "unknown_escrow_policy", "no_share",
// "invalid_share", "not_verified_doctor", "no_emergency_window", "not_patients_version",
// "invalid_wrapped_key".
const char* refusal_code(Refusal refusal);
// The HTTP status a refusal is answered with (403, 404, 409 or 422).
int refusal_status(Refusal refusal);

template <class T>
struct Decision {
  std::optional<T> value;  // set when granted
  Refusal refusal = Refusal::kNotCustodian;
  std::string detail;  // a sentence for a person, when refused
  bool granted() const { return value.has_value(); }
};

// The index (1..n) of this node in `document`: the entry whose key is `mine`, confirmed by the
// chain (custodianKeys(account) == mine). 0 when there is none.
Result<std::uint8_t> own_index(store::IndexStore& index, const PolicyDocument& document,
                               const records::X25519PublicKey& mine);

// A patient's deposit of this node's share under `policy_hash`: the document must be stored
// here and be the chain's current policy of `patient`, name this node, and the share must open
// with `mine` and pass the Feldman check. Stores it (still sealed) when it does.
struct Deposit {
  Address patient;
  Hash32 policy_hash;
  Bytes sealed_share;
};
Result<Decision<std::uint8_t>> accept_share(store::IndexStore& index, CustodyStore& custody,
                                            const records::EncryptionKeyPair& mine,
                                            const Deposit& deposit, std::uint64_t now);

// A request for this custodian's partial of one wrapped key, by a doctor in an emergency or by
// the patient's controller after a recovery.
struct PartialRequest {
  Address patient;
  Address requester;  // the signed-in caller
  Hash32 record_id;
  std::uint64_t version = 0;
  Hash32 policy_hash;
  Bytes wrapped_key;
};
// Why a partial is released: a doctor's open emergency window, or a recovery that made the
// requester the patient's controller (the partial is then sealed to the patient's key on chain,
// which the controller rotates to its own before asking).
enum class ReleaseReason { kEmergency, kRecovery };
// "emergency" or "recovery".
const char* release_reason_name(ReleaseReason reason);

struct Released {
  std::uint8_t index = 0;
  Bytes sealed_partial;                    // sealed to `recipient_key`
  records::X25519PublicKey recipient_key;  // the doctor's key, or the patient's, on chain
  ReleaseReason reason = ReleaseReason::kEmergency;
};
// `now` is the index's idea of now (NodeContext::now).
Result<Decision<Released>> release_partial(store::IndexStore& index, CustodyStore& custody,
                                           const records::EncryptionKeyPair& mine,
                                           const PartialRequest& request, std::uint64_t now);

}  // namespace medchain::custody
