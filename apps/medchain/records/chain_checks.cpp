#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category_statement.hpp>
#include <records/chain_checks.hpp>

namespace medchain::cli::records {
namespace {

namespace abi = eth::abi;
constexpr std::uint64_t kVerifiedDoctor = 1;  // Registry.DOCTOR_VERIFIED

Error refused(const Address& account, const std::string& why) {
  return Error{Errc::kCheckFailed, "the node names " + eth::to_checksum(account) +
                                       " as a reader, but " + why + ": nothing sealed"};
}

// The encryption key the chain holds for a doctor, who must be verified.
Result<Hash32> doctor_key(const chain::Contract& medchain, const Address& doctor) {
  MEDCHAIN_TRY(auto row, medchain.call("doctors", {abi::Value(doctor)}));
  if (row.at(0).word() != kVerifiedDoctor) {
    return refused(doctor, "the chain has no verified doctor of that address");
  }
  return chain::hash32_of(row.at(2));
}

Result<bool> can_read(const chain::Contract& medchain, const Address& patient,
                      const Address& doctor, std::uint8_t category) {
  MEDCHAIN_TRY(auto answer, medchain.call("canRead", {abi::Value(patient), abi::Value(doctor),
                                                      abi::Value(U256(category))}));
  return answer.at(0).flag();
}

// `patientKeys[account]`: the key a patient, or a guardian, registered (zero if none).
Result<Hash32> patient_key(const chain::Contract& medchain, const Address& account) {
  MEDCHAIN_TRY(auto key, medchain.call("patientKeys", {abi::Value(account)}));
  return chain::hash32_of(key.at(0));
}

Result<bool> is_guardian(const chain::Contract& medchain, const Address& patient,
                         const Address& account) {
  MEDCHAIN_TRY(auto answer,
               medchain.call("isGuardian", {abi::Value(patient), abi::Value(account)}));
  return answer.at(0).flag();
}

bool contains(const std::vector<Address>& list, const Address& account) {
  return std::find(list.begin(), list.end(), account) != list.end();
}

// The key `recipient` must have on chain to be sealed to.
Result<Hash32> expected_key(const chain::Contract& medchain, const Address& patient,
                            std::uint8_t category, const Address& author,
                            const Address& recipient) {
  if (recipient == patient) return patient_key(medchain, patient);
  // A guardian holds keys with their own patient key, whatever else they are.
  MEDCHAIN_TRY(bool guardian, is_guardian(medchain, patient, recipient));
  if (guardian) {
    MEDCHAIN_TRY(Hash32 key, patient_key(medchain, recipient));
    if (key == Hash32{}) return refused(recipient, "that guardian has no encryption key on chain");
    return key;
  }
  MEDCHAIN_TRY(Hash32 key, doctor_key(medchain, recipient));
  if (recipient != author) {
    MEDCHAIN_TRY(bool reads, can_read(medchain, patient, recipient, category));
    if (!reads) return refused(recipient, "the chain gives them no read access to this category");
  }
  return key;
}

Status same_key(const Hash32& on_chain, const Recipient& listed) {
  if (std::equal(on_chain.bytes.begin(), on_chain.bytes.end(),
                 listed.encryption_key.bytes.begin())) {
    return {};
  }
  return Error{Errc::kCheckFailed, "the node gives " + eth::to_checksum(listed.account) +
                                       " another encryption key than the chain: nothing sealed"};
}

Result<Address> address_in(const client::json& listed, const char* name) {
  if (!listed.contains(name) || !listed[name].is_string()) {
    return Error{Errc::kProtocol, std::string("the node lists a version without ") + name};
  }
  auto address = eth::parse_address(listed[name].get<std::string>());
  if (!address) return Error{Errc::kProtocol, std::string("the node lists a malformed ") + name};
  return *address;
}

}  // namespace

Status check_doctor_key_on_chain(const chain::Contract& medchain, const Recipient& doctor) {
  MEDCHAIN_TRY(Hash32 on_chain, doctor_key(medchain, doctor.account));
  return same_key(on_chain, doctor);
}

Result<std::vector<Address>> guardians_on_chain(const chain::Contract& medchain,
                                                const Address& patient) {
  MEDCHAIN_TRY(std::vector<chain::DecodedLog> added,
               medchain.events_with_topic1({"GuardianAdded"}, chain::topic_of(patient)));
  std::vector<Address> guardians;
  for (const chain::DecodedLog& event : added) {
    const abi::Value* named = event.field("guardian");
    const abi::Value* ward = event.field("patient");
    if (named == nullptr || ward == nullptr || ward->address() != patient) continue;
    if (contains(guardians, named->address())) continue;
    // A guardian added, removed and not added again is no guardian: the chain's state decides.
    MEDCHAIN_TRY(bool still, is_guardian(medchain, patient, named->address()));
    if (still) guardians.push_back(named->address());
  }
  return guardians;
}

Status check_guardians_on_chain(const chain::Contract& medchain, const Address& patient,
                                const Recipients& listed) {
  MEDCHAIN_TRY(std::vector<Address> on_chain, guardians_on_chain(medchain, patient));
  for (const Address& guardian : on_chain) {
    if (!contains(listed.guardians, guardian)) {
      return Error{Errc::kCheckFailed, "the node leaves out " + eth::to_checksum(guardian) +
                                           ", a guardian on chain: nothing sealed"};
    }
  }
  for (const Address& guardian : listed.guardians) {
    if (!contains(on_chain, guardian)) {
      return Error{Errc::kCheckFailed,
                   "the node names " + eth::to_checksum(guardian) +
                       " as a guardian, but the chain does not: nothing sealed"};
    }
  }
  for (const Address& guardian : listed.guardians_without_key) {
    MEDCHAIN_TRY(Hash32 key, patient_key(medchain, guardian));
    if (key != Hash32{}) {
      return Error{Errc::kCheckFailed, "the node hides the encryption key guardian " +
                                           eth::to_checksum(guardian) +
                                           " has on chain: nothing sealed"};
    }
  }
  return {};
}

Status check_guardian_key_on_chain(const chain::Contract& medchain, const Address& patient,
                                   const Recipient& guardian) {
  MEDCHAIN_TRY(bool confirmed, is_guardian(medchain, patient, guardian.account));
  if (!confirmed) {
    return Error{Errc::kCheckFailed,
                 eth::to_checksum(guardian.account) + " is no guardian on chain: nothing shared"};
  }
  MEDCHAIN_TRY(Hash32 key, patient_key(medchain, guardian.account));
  return same_key(key, guardian);
}

Status check_recipients_on_chain(const chain::Contract& medchain, const Address& patient,
                                 std::uint8_t category, const Address& author,
                                 const std::vector<Recipient>& recipients) {
  for (const Recipient& recipient : recipients) {
    MEDCHAIN_TRY(Hash32 on_chain,
                 expected_key(medchain, patient, category, author, recipient.account));
    MEDCHAIN_TRY_STATUS(same_key(on_chain, recipient));
  }
  return {};
}

Result<ChainVersion> version_on_chain(const chain::Contract& medchain, const Hash32& record_id,
                                      std::uint32_t version) {
  MEDCHAIN_TRY(std::vector<chain::DecodedLog> events,
               medchain.events_with_topic1({"RecordAdded", "RecordUpdated"}, record_id));
  for (const chain::DecodedLog& event : events) {
    const abi::Value* id = event.field("recordId");
    if (id == nullptr || chain::hash32_of(*id) != record_id) continue;
    // RecordAdded is version 1 and names no number; RecordUpdated names its own.
    const abi::Value* number = event.field("version");
    if ((number == nullptr ? 1 : number->word().convert_to<std::uint64_t>()) != version) continue;
    const abi::Value* author = event.field(event.event == "RecordAdded" ? "author" : "editor");
    const abi::Value* patient = event.field("patient");
    const abi::Value* digest = event.field("digest");
    if (author == nullptr || patient == nullptr || digest == nullptr) {
      return Error{Errc::kProtocol, "the contract's record events lack a field"};
    }
    return ChainVersion{patient->address(), author->address(), chain::hash32_of(*digest)};
  }
  return Error{Errc::kNotFound, "the chain has no version " + std::to_string(version) +
                                    " of record " + to_hex(record_id)};
}

Status check_version_on_chain(const chain::Contract& medchain,
                              const medchain::records::KeyBinding& binding,
                              const client::json& listed) {
  auto on_chain = version_on_chain(medchain, binding.record_id, binding.version);
  if (!on_chain.ok() && on_chain.error().code == Errc::kNotFound) {
    return Error{Errc::kCheckFailed, "the node lists a version the chain does not have (" +
                                         on_chain.error().message + "): nothing written"};
  }
  if (!on_chain.ok()) return std::move(on_chain).error();
  const std::string what = "version " + std::to_string(binding.version);
  if (on_chain->digest != binding.digest) {
    return Error{Errc::kCheckFailed, "the node lists " + what +
                                         " with another digest than the chain records: nothing "
                                         "written"};
  }
  MEDCHAIN_TRY(Address author, address_in(listed, "author"));
  if (author != on_chain->author) {
    return Error{Errc::kCheckFailed, "the node names " + eth::to_checksum(author) +
                                         " as the author of " + what + ", the chain " +
                                         eth::to_checksum(on_chain->author) + ": nothing written"};
  }
  return {};
}

Result<bool> category_confirmed(const chain::Contract& medchain, std::uint64_t chain_id,
                                const Address& patient,
                                const medchain::records::KeyBinding& binding, std::uint8_t category,
                                const client::json& listed) {
  if (!listed.contains("categorySignature") || !listed["categorySignature"].is_string()) {
    return false;
  }
  auto signature = from_hex(listed["categorySignature"].get<std::string>());
  if (!signature) return false;
  auto signer = medchain::records::category_signer({patient, binding.digest, category},
                                                   {chain_id, medchain.address()}, *signature);
  if (!signer.ok()) return false;
  if (*signer == patient) return true;
  MEDCHAIN_TRY(auto guardian,
               medchain.call("isGuardian", {abi::Value(patient), abi::Value(*signer)}));
  if (guardian.at(0).flag()) return true;
  MEDCHAIN_TRY(ChainVersion version,
               version_on_chain(medchain, binding.record_id, binding.version));
  return version.author == *signer;
}

}  // namespace medchain::cli::records
