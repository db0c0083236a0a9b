#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>
#include <sstream>
#include <stdexcept>

namespace medchain::custody {
namespace {

template <class T>
Decision<T> refuse(Refusal refusal, std::string detail) {
  return Decision<T>{std::nullopt, refusal, std::move(detail)};
}

records::EncryptionKeyPair pair_of(const records::X25519SecretKey& secret) {
  records::EncryptionKeyPair pair;
  pair.secret = secret;
  if (crypto_scalarmult_base(pair.public_key.data(), pair.secret.data()) != 0) {
    throw std::runtime_error("crypto_scalarmult_base failed");
  }
  return pair;
}

// The document stored here for `policy_hash`, parsed. nullopt when there is none.
Result<std::optional<PolicyDocument>> stored_document(CustodyStore& custody,
                                                      const Hash32& policy_hash) {
  MEDCHAIN_TRY(std::optional<StoredDocument> stored, custody.document(policy_hash));
  if (!stored) return std::optional<PolicyDocument>();
  MEDCHAIN_TRY(PolicyDocument document, parse_policy_document(stored->text));
  return std::optional<PolicyDocument>(std::move(document));
}

}  // namespace

Result<records::EncryptionKeyPair> read_custodian_key(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Error{Errc::kIo, "cannot read the custodian key " + file.string()};
  std::stringstream text;
  text << in.rdbuf();
  std::string hex = text.str();
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  auto secret = from_hex_fixed<records::X25519SecretKey>(hex);
  if (!secret) {
    return Error{Errc::kInvalidArgument,
                 file.string() + " does not hold a custodian key (32 bytes of 0x hex)"};
  }
  return pair_of(*secret);
}

Result<records::EncryptionKeyPair> create_custodian_key(const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) {
    return Error{Errc::kConflict, file.string() + " exists: a custodian key is never overwritten"};
  }
  records::X25519SecretKey secret;
  randombytes_buf(secret.data(), secret.size());
  const records::EncryptionKeyPair pair = pair_of(secret);
  {
    std::ofstream out(file);
    if (!out) return Error{Errc::kIo, "cannot write " + file.string()};
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out << to_hex(secret) << "\n";
    if (!out.flush()) return Error{Errc::kIo, "cannot write " + file.string()};
  }
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

const char* refusal_code(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNotCustodian:
      return "not_custodian";
    case Refusal::kPolicyNotOnChain:
      return "escrow_policy_not_on_chain";
    case Refusal::kUnknownPolicy:
      return "unknown_escrow_policy";
    case Refusal::kNoShare:
      return "no_share";
    case Refusal::kInvalidShare:
      return "invalid_share";
    case Refusal::kNotVerifiedDoctor:
      return "not_verified_doctor";
    case Refusal::kNoEmergencyWindow:
      return "no_emergency_window";
    case Refusal::kNotPatientsVersion:
      return "not_patients_version";
    case Refusal::kInvalidWrap:
      return "invalid_wrapped_key";
  }
  return "forbidden";
}

int refusal_status(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNotVerifiedDoctor:
    case Refusal::kNoEmergencyWindow:
      return 403;
    case Refusal::kUnknownPolicy:
    case Refusal::kNoShare:
    case Refusal::kNotPatientsVersion:
      return 404;
    case Refusal::kNotCustodian:
    case Refusal::kPolicyNotOnChain:
      return 409;
    case Refusal::kInvalidShare:
    case Refusal::kInvalidWrap:
      return 422;
  }
  return 403;
}

Result<std::uint8_t> own_index(store::IndexStore& index, const PolicyDocument& document,
                               const records::X25519PublicKey& mine) {
  for (std::size_t i = 0; i < document.custodians.size(); ++i) {
    const CustodianEntry& entry = document.custodians[i];
    if (entry.encryption_key != mine) continue;
    MEDCHAIN_TRY(std::optional<Hash32> on_chain, index.custodian_key(entry.account));
    if (on_chain && on_chain->bytes == mine.bytes) return static_cast<std::uint8_t>(i + 1);
  }
  return std::uint8_t{0};
}

Result<Decision<std::uint8_t>> accept_share(store::IndexStore& index, CustodyStore& custody,
                                            const records::EncryptionKeyPair& mine,
                                            const Deposit& deposit, std::uint64_t now) {
  MEDCHAIN_TRY(std::optional<Hash32> on_chain, index.escrow_policy_hash(deposit.patient));
  if (!on_chain || *on_chain != deposit.policy_hash) {
    return refuse<std::uint8_t>(Refusal::kPolicyNotOnChain,
                                "the chain's escrow policy of the patient is not " +
                                    to_hex(deposit.policy_hash) + " (or is not indexed yet)");
  }
  MEDCHAIN_TRY(std::optional<PolicyDocument> document,
               stored_document(custody, deposit.policy_hash));
  if (!document) {
    return refuse<std::uint8_t>(Refusal::kUnknownPolicy,
                                "publish the policy document on this node first");
  }
  MEDCHAIN_TRY(std::uint8_t mine_index, own_index(index, *document, mine.public_key));
  if (mine_index == 0) {
    return refuse<std::uint8_t>(Refusal::kNotCustodian,
                                "the policy names no custodian with this node's key on chain");
  }
  auto share = records::open_escrow_share(deposit.sealed_share, document->policy, mine_index, mine);
  if (!share.ok()) {
    return refuse<std::uint8_t>(
        Refusal::kInvalidShare,
        "the share is not this custodian's under the policy: " + share.error().message);
  }
  sodium_memzero(share->secret.data(), share->secret.size());
  const Address account = document->custodians[mine_index - 1].account;
  MEDCHAIN_TRY_STATUS(custody.put_share(
      {deposit.policy_hash, account, deposit.patient, deposit.sealed_share, now}));
  return Decision<std::uint8_t>{mine_index, Refusal::kNotCustodian, ""};
}

const char* release_reason_name(ReleaseReason reason) {
  return reason == ReleaseReason::kRecovery ? "recovery" : "emergency";
}

namespace {

struct Entitlement {
  records::X25519PublicKey key;  // what the partial is sealed to
  ReleaseReason reason = ReleaseReason::kEmergency;
};

// Whether the requester may have a partial of the patient's now, and sealed to which key: the
// controller of an executed recovery gets the patient's key on chain (its own, once it rotated
// it: docs/format.md, "Recovery"); a verified doctor with an emergency window open now gets its
// own key on chain.
Result<Decision<Entitlement>> entitlement(store::IndexStore& index, const PartialRequest& request,
                                          std::uint64_t now) {
  MEDCHAIN_TRY(Address acting, index.acting_patient(request.patient));
  if (acting == request.requester && acting != request.patient) {
    MEDCHAIN_TRY(std::optional<store::PatientRow> patient, index.patient(request.patient));
    if (patient) {
      Entitlement granted{{}, ReleaseReason::kRecovery};
      granted.key.bytes = patient->encryption_key.bytes;
      return Decision<Entitlement>{granted, Refusal::kNotCustodian, ""};
    }
  }
  MEDCHAIN_TRY(std::optional<store::DoctorRow> doctor, index.doctor(request.requester));
  if (!doctor || doctor->status != "verified") {
    return refuse<Entitlement>(Refusal::kNotVerifiedDoctor,
                               "only a verified doctor in an emergency, or the patient's "
                               "controller after a recovery, is answered");
  }
  MEDCHAIN_TRY(bool open, index.emergency_open(request.patient, request.requester, now));
  if (!open) {
    return refuse<Entitlement>(Refusal::kNoEmergencyWindow,
                               "you have no emergency window on this patient open now");
  }
  Entitlement granted;
  granted.key.bytes = doctor->encryption_key.bytes;
  return Decision<Entitlement>{granted, Refusal::kNotCustodian, ""};
}

}  // namespace

Result<Decision<Released>> release_partial(store::IndexStore& index, CustodyStore& custody,
                                           const records::EncryptionKeyPair& mine,
                                           const PartialRequest& request, std::uint64_t now) {
  MEDCHAIN_TRY(Decision<Entitlement> entitled, entitlement(index, request, now));
  if (!entitled.granted()) return refuse<Released>(entitled.refusal, std::move(entitled.detail));
  MEDCHAIN_TRY(std::vector<store::RecordVersionRow> versions,
               index.record_versions(request.record_id));
  const store::RecordVersionRow* version = nullptr;
  for (const store::RecordVersionRow& row : versions) {
    if (row.version == request.version && row.patient == request.patient) version = &row;
  }
  if (version == nullptr || request.version > 0xffffffffu) {
    return refuse<Released>(Refusal::kNotPatientsVersion,
                            "the chain has no such version of this patient's (or it is not "
                            "indexed yet)");
  }
  MEDCHAIN_TRY(std::optional<PolicyDocument> document,
               stored_document(custody, request.policy_hash));
  if (!document || document->policy.patient != request.patient) {
    return refuse<Released>(
        Refusal::kUnknownPolicy,
        "this node holds no escrow policy " + to_hex(request.policy_hash) + " of the patient");
  }
  MEDCHAIN_TRY(std::uint8_t mine_index, own_index(index, *document, mine.public_key));
  if (mine_index == 0) {
    return refuse<Released>(Refusal::kNotCustodian, "the policy does not name this node");
  }
  const Address account = document->custodians[mine_index - 1].account;
  MEDCHAIN_TRY(std::optional<StoredShare> stored, custody.share(request.policy_hash, account));
  if (!stored) {
    return refuse<Released>(Refusal::kNoShare, "no share was deposited here under the policy");
  }
  MEDCHAIN_TRY(
      records::EscrowShare share,
      records::open_escrow_share(stored->sealed_share, document->policy, mine_index, mine));
  const records::KeyBinding binding{request.record_id, static_cast<std::uint32_t>(version->version),
                                    version->digest};
  auto partial = records::make_escrow_partial(share, document->policy, request.wrapped_key, binding,
                                              entitled.value->key);
  sodium_memzero(share.secret.data(), share.secret.size());
  if (!partial.ok()) {
    return refuse<Released>(
        Refusal::kInvalidWrap,
        "the wrapped key does not hold for this version: " + partial.error().message);
  }
  return Decision<Released>{
      Released{mine_index, std::move(*partial), entitled.value->key, entitled.value->reason},
      Refusal::kNotCustodian, ""};
}

}  // namespace medchain::custody
