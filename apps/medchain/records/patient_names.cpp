#include "records/patient_names.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <records/chain_checks.hpp>
#include <records/record_io.hpp>
#include <records/record_keys.hpp>
#include <records/record_summaries.hpp>

namespace medchain::cli::records {
namespace {

using nlohmann::json;

// A name of a FHIR Patient as people write it: its text, else given names and family.
std::string human_name(const json& resource) {
  const json names = resource.value("name", json::array());
  if (!names.is_array() || names.empty() || !names[0].is_object()) return "";
  const json& name = names[0];
  if (name.contains("text") && name["text"].is_string()) return name["text"].get<std::string>();
  std::string text;
  for (const json& given : name.value("given", json::array())) {
    if (given.is_string()) text += (text.empty() ? "" : " ") + given.get<std::string>();
  }
  if (name.contains("family") && name["family"].is_string())
    text += (text.empty() ? "" : " ") + name["family"].get<std::string>();
  return text;
}

// Control characters (which could drive the terminal) become '?': the text is the patient's.
std::string printable(std::string text) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '?';
  }
  return text;
}

// The newest version (by block time) that is its record's newest and whose opened summary
// says kind "Patient", with its record id; nothing when there is none.
std::optional<std::pair<Hash32, json>> newest_patient_version(const json& records) {
  std::optional<std::pair<Hash32, json>> newest;
  for (const json& record : records) {
    const json versions = record.value("versions", json::array());
    if (versions.empty() || versions.back().value("kind", "") != "Patient") continue;
    auto record_id = from_hex_fixed<Hash32>(record.value("recordId", ""));
    if (!record_id) continue;
    const json& version = versions.back();
    if (!newest || version.value("blockTime", std::uint64_t{0}) >
                       newest->second.value("blockTime", std::uint64_t{0})) {
      newest = std::make_pair(*record_id, version);
    }
  }
  return newest;
}

}  // namespace

std::optional<PatientDetails> PatientNames::details(const Address& patient) {
  auto known = cache_.find(patient);
  if (known != cache_.end()) return known->second;
  std::optional<PatientDetails> found;
  // Any failure (no Patient record the caller may read, a key or digest that does not check)
  // leaves the patient unnamed: a name is shown only when everything checked.
  const Status read = [&]() -> Status {
    MEDCHAIN_TRY(json listing, caller_.node.get("/v1/patients/" + eth::to_checksum(patient) +
                                                "/records?include=keys"));
    json records = listing.value("records", json::array());
    MEDCHAIN_TRY_STATUS(open_summaries(caller_, records));
    auto newest = newest_patient_version(records);
    if (!newest) return {};
    MEDCHAIN_TRY(medchain::records::KeyBinding binding,
                 version_binding(newest->first, newest->second));
    MEDCHAIN_TRY(const chain::Contract* medchain, caller_.context.contract_if_given());
    if (medchain != nullptr) {
      MEDCHAIN_TRY_STATUS(check_version_on_chain(*medchain, binding, newest->second));
    }
    MEDCHAIN_TRY(medchain::records::ContentKey key, own_key(caller_, binding));
    MEDCHAIN_TRY(medchain::records::Manifest manifest,
                 fetch_manifest(caller_.node, binding.digest, key));
    const json& resource = manifest.resource;
    if (resource.value("resourceType", "") != "Patient") return {};
    PatientDetails details{printable(human_name(resource)), ""};
    if (resource.contains("birthDate") && resource["birthDate"].is_string())
      details.birth_date = printable(resource["birthDate"].get<std::string>());
    if (!details.name.empty()) found = details;
    return {};
  }();
  (void)read;
  cache_.emplace(patient, found);
  return found;
}

void PatientNames::name_patients(json& rows, const std::string& field) {
  for (json& row : rows) {
    if (!row.is_object()) continue;
    auto patient = from_hex_fixed<Address>(row.value(field, ""));
    if (!patient) continue;
    auto found = details(*patient);
    if (!found) continue;
    row["patientName"] = found->name;
    if (!found->birth_date.empty()) row["patientBirthDate"] = found->birth_date;
  }
}

std::string patient_label(const json& row, const std::string& field) {
  const std::string address = row.value(field, "");
  if (!row.contains("patientName")) return address;
  std::string label = row["patientName"].get<std::string>();
  if (row.contains("patientBirthDate"))
    label += " (born " + row["patientBirthDate"].get<std::string>() + ")";
  return label + " (" + address + ")";
}

}  // namespace medchain::cli::records
