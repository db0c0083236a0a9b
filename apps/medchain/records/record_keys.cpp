#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category.hpp>
#include <records/chain_checks.hpp>
#include <records/record_keys.hpp>

namespace medchain::cli::records {
namespace {

using client::json;
namespace format = medchain::records;

Error unexpected(std::string what) {
  return Error{Errc::kProtocol, "the node answered " + what};
}

Result<format::X25519PublicKey> key_field(const json& row) {
  if (!row.contains("encryptionKey") || !row["encryptionKey"].is_string()) {
    return unexpected("an account without an encryptionKey");
  }
  return from_hex_fixed<format::X25519PublicKey>(row["encryptionKey"].get<std::string>());
}

Result<Address> address_field(const json& row, const char* name) {
  if (!row.contains(name) || !row[name].is_string()) return unexpected(std::string("no ") + name);
  return from_hex_fixed<Address>(row[name].get<std::string>());
}

// Verified doctors and their registered keys.
Result<std::vector<Recipient>> verified_doctors(client::NodeClient& node) {
  MEDCHAIN_TRY(json answer, node.get("/v1/doctors?status=verified"));
  std::vector<Recipient> doctors;
  for (const json& row : answer.value("doctors", json::array())) {
    MEDCHAIN_TRY(Address account, address_field(row, "address"));
    MEDCHAIN_TRY(format::X25519PublicKey key, key_field(row));
    doctors.push_back({account, key});
  }
  return doctors;
}

const Recipient* find(const std::vector<Recipient>& list, const Address& account) {
  for (const Recipient& r : list) {
    if (r.account == account) return &r;
  }
  return nullptr;
}

bool reads(const json& grant, std::uint8_t category) {
  if (!grant.value("active", false)) return false;
  const std::uint64_t scope = grant.value("scopeMask", std::uint64_t{0});
  if (((scope >> category) & 1u) == 0) return false;
  const json permissions = grant.value("permissions", json::array());
  return std::find(permissions.begin(), permissions.end(), "read") != permissions.end();
}

std::string version_path(const Hash32& record_id, std::uint64_t version) {
  return "/v1/records/" + to_hex(record_id) + "/versions/" + std::to_string(version);
}

// Opens the caller's own sealed key of `binding` and seals it to `recipient`. False when the
// caller holds no key of that version (not written by this client), which is skipped.
Result<bool> reseal_own_key(client::NodeClient& node,
                            std::span<const format::EncryptionKeyPair> own_keys,
                            const format::KeyBinding& binding, const Recipient& recipient) {
  auto own = node.get(version_path(binding.record_id, binding.version) + "/key");
  if (!own.ok() && own.error().code == Errc::kNotFound) return false;
  if (!own.ok()) return std::move(own).error();
  MEDCHAIN_TRY(Bytes sealed, from_hex(own->value("sealedKey", "")));
  MEDCHAIN_TRY(format::ContentKey key, format::open_content_key(sealed, binding, own_keys));
  MEDCHAIN_TRY_STATUS(share_content_key(node, binding, key, {recipient}));
  return true;
}

}  // namespace

Result<Recipient> guardian_key(client::NodeClient& node, const Address& guardian) {
  auto row = node.get("/v1/patients/" + eth::to_checksum(guardian));
  if (!row.ok() && row.error().code == Errc::kNotFound) {
    return Error{Errc::kNotFound,
                 "guardian " + eth::to_checksum(guardian) + " has registered no encryption key"};
  }
  if (!row.ok()) return std::move(row).error();
  MEDCHAIN_TRY(format::X25519PublicKey key, key_field(*row));
  return Recipient{guardian, key};
}

Result<Recipients> key_recipients(client::NodeClient& node, const Address& patient,
                                  std::uint8_t category, const Address& author) {
  const std::string patient_path = "/v1/patients/" + eth::to_checksum(patient);
  MEDCHAIN_TRY(json patient_row, node.get(patient_path));
  MEDCHAIN_TRY(format::X25519PublicKey patient_key, key_field(patient_row));
  Recipients result;
  std::vector<Recipient>& recipients = result.readers;
  recipients.push_back({patient, patient_key});
  for (const json& listed : patient_row.value("guardians", json::array())) {
    if (!listed.is_string()) return unexpected("a guardian that is not an address");
    MEDCHAIN_TRY(Address guardian, from_hex_fixed<Address>(listed.get<std::string>()));
    result.guardians.push_back(guardian);
    auto key = guardian_key(node, guardian);
    if (!key.ok() && key.error().code == Errc::kNotFound) {
      result.guardians_without_key.push_back(guardian);
      continue;
    }
    if (!key.ok()) return std::move(key).error();
    if (find(recipients, guardian) == nullptr) recipients.push_back(*key);
  }
  MEDCHAIN_TRY(std::vector<Recipient> doctors, verified_doctors(node));
  if (const Recipient* self = find(doctors, author);
      self != nullptr && author != patient && find(recipients, author) == nullptr) {
    recipients.push_back(*self);
  }
  // A doctor author does not see the grants; the patient and a guardian do.
  const bool manages =
      author == patient ||
      std::find(result.guardians.begin(), result.guardians.end(), author) != result.guardians.end();
  if (!manages) return result;
  MEDCHAIN_TRY(json grants, node.get(patient_path + "/grants"));
  for (const json& grant : grants.value("grants", json::array())) {
    if (!reads(grant, category)) continue;
    MEDCHAIN_TRY(Address doctor, address_field(grant, "doctor"));
    const Recipient* verified = find(doctors, doctor);
    if (verified != nullptr && find(recipients, doctor) == nullptr) recipients.push_back(*verified);
  }
  return result;
}

Status share_content_key(client::NodeClient& node, const format::KeyBinding& version,
                         const format::ContentKey& key, const std::vector<Recipient>& recipients) {
  json keys = json::array();
  for (const Recipient& recipient : recipients) {
    keys.push_back(
        {{"recipient", eth::to_checksum(recipient.account)},
         {"sealedKey", to_hex(format::seal_content_key(key, version, recipient.encryption_key))}});
  }
  MEDCHAIN_TRY_STATUS(
      node.put(version_path(version.record_id, version.version) + "/keys", {{"keys", keys}}));
  return {};
}

Result<std::uint32_t> checked_version(std::uint64_t number) {
  if (number == 0 || number > UINT32_MAX) {
    return unexpected("version " + std::to_string(number) + ", out of range");
  }
  return static_cast<std::uint32_t>(number);
}

Result<format::KeyBinding> version_binding(const Hash32& record_id, const json& version) {
  MEDCHAIN_TRY(std::uint32_t number, checked_version(version.value("version", std::uint64_t{0})));
  if (!version.contains("digest") || !version["digest"].is_string()) {
    return unexpected("a version without a digest");
  }
  MEDCHAIN_TRY(Hash32 digest, from_hex_fixed<Hash32>(version["digest"].get<std::string>()));
  return format::KeyBinding{record_id, number, digest};
}

Result<Recipient> verified_doctor(client::NodeClient& node, const Address& doctor) {
  MEDCHAIN_TRY(std::vector<Recipient> doctors, verified_doctors(node));
  const Recipient* recipient = find(doctors, doctor);
  if (recipient == nullptr) {
    return Error{Errc::kNotFound, eth::to_checksum(doctor) + " is not a verified doctor"};
  }
  return *recipient;
}

Result<SharedKeys> share_record_keys(client::NodeClient& node,
                                     std::span<const format::EncryptionKeyPair> patient_keys,
                                     const Address& patient, const Address& doctor,
                                     std::uint16_t scope, const chain::Contract* medchain) {
  MEDCHAIN_TRY(const Recipient recipient, verified_doctor(node, doctor));
  std::uint16_t checked = 0;  // categories whose access the chain confirmed
  MEDCHAIN_TRY(json listing, node.get("/v1/patients/" + eth::to_checksum(patient) + "/records"));
  SharedKeys result;
  for (const json& record : listing.value("records", json::array())) {
    MEDCHAIN_TRY(Hash32 record_id, from_hex_fixed<Hash32>(record.value("recordId", "")));
    for (const json& version : record.value("versions", json::array())) {
      if (!version["category"].is_string()) continue;  // a blob this node does not hold
      const auto category = format::parse_category(version["category"].get<std::string>());
      if (!category || ((scope >> *category) & 1u) == 0) continue;
      if (medchain != nullptr && ((checked >> *category) & 1u) == 0) {
        MEDCHAIN_TRY_STATUS(
            check_recipients_on_chain(*medchain, patient, *category, patient, {recipient}));
        checked |= static_cast<std::uint16_t>(1u << *category);
      }
      MEDCHAIN_TRY(format::KeyBinding binding, version_binding(record_id, version));
      if (medchain != nullptr) {
        MEDCHAIN_TRY(bool confirmed, category_confirmed(*medchain, node.info().chain_id, patient,
                                                        binding, *category, version));
        if (!confirmed) {
          ++result.unconfirmed;
          continue;
        }
      }
      MEDCHAIN_TRY(bool shared, reseal_own_key(node, patient_keys, binding, recipient));
      if (shared) ++result.shared;
    }
  }
  return result;
}

Result<SharedKeys> share_keys_with_guardian(client::NodeClient& node,
                                            std::span<const format::EncryptionKeyPair> patient_keys,
                                            const Address& patient, const Address& guardian,
                                            const chain::Contract* medchain) {
  MEDCHAIN_TRY(const Recipient recipient, guardian_key(node, guardian));
  if (medchain != nullptr) {
    MEDCHAIN_TRY_STATUS(check_guardian_key_on_chain(*medchain, patient, recipient));
  }
  MEDCHAIN_TRY(json listing, node.get("/v1/patients/" + eth::to_checksum(patient) + "/records"));
  SharedKeys result;
  for (const json& record : listing.value("records", json::array())) {
    MEDCHAIN_TRY(Hash32 record_id, from_hex_fixed<Hash32>(record.value("recordId", "")));
    for (const json& version : record.value("versions", json::array())) {
      MEDCHAIN_TRY(format::KeyBinding binding, version_binding(record_id, version));
      // The digest a key is bound to is the chain's, so a node cannot have the patient seal a
      // key to a version that is not the one the guardian will be shown.
      if (medchain != nullptr) {
        MEDCHAIN_TRY_STATUS(check_version_on_chain(*medchain, binding, version));
      }
      MEDCHAIN_TRY(bool shared, reseal_own_key(node, patient_keys, binding, recipient));
      if (shared) ++result.shared;
    }
  }
  return result;
}

}  // namespace medchain::cli::records
