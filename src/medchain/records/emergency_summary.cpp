#include <algorithm>
#include <array>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/emergency_summary.hpp>
#include <medchain/records/ips.hpp>

namespace medchain::records::emergency {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kBloodTypes = {"A+",  "A-",  "B+", "B-",
                                                         "AB+", "AB-", "O+", "O-"};
constexpr std::size_t kMaxEntry = 200;

// The reference every resource of the summary makes to its subject; make_bundle's Patient entry
// is the account, so the resources point at it by its identifier.
json subject_of(const Address& patient) {
  return {{"identifier",
           {{"system", "https://medchain.dev/fhir/NamingSystem/account"},
            {"value", eth::to_checksum(patient)}}}};
}

Status check_entries(const std::vector<std::string>& entries, const char* what) {
  for (const std::string& entry : entries) {
    if (entry.empty() || entry.size() > kMaxEntry) {
      return Error{Errc::kInvalidArgument,
                   std::string("an ") + what + " is 1 to 200 bytes of text, not '" + entry + "'"};
    }
    if (std::any_of(entry.begin(), entry.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return Error{Errc::kInvalidArgument, std::string("an ") + what + " has a control character"};
    }
  }
  return {};
}

// The text of a CodeableConcept: its text, else its first coding's display.
std::string text_of(const json& codeable) {
  if (!codeable.is_object()) return "";
  if (codeable.contains("text") && codeable["text"].is_string()) return codeable["text"];
  for (const json& coding : codeable.value("coding", json::array())) {
    if (coding.is_object() && coding.contains("display") && coding["display"].is_string()) {
      return coding["display"];
    }
  }
  return "";
}

bool has_code(const json& codeable, std::string_view code) {
  if (!codeable.is_object()) return false;
  for (const json& coding : codeable.value("coding", json::array())) {
    if (coding.is_object() && coding.value("code", "") == code) return true;
  }
  return false;
}

}  // namespace

Hash32 record_id(const Address& patient) {
  Bytes input(kRecordIdDomain.begin(), kRecordIdDomain.end());
  input.insert(input.end(), patient.bytes.begin(), patient.bytes.end());
  return crypto::keccak256(input);
}

Status check_facts(const Facts& facts) {
  MEDCHAIN_TRY_STATUS(check_entries(facts.allergies, "allergy"));
  MEDCHAIN_TRY_STATUS(check_entries(facts.medications, "medication"));
  MEDCHAIN_TRY_STATUS(check_entries(facts.conditions, "condition"));
  if (!facts.blood_type.empty() &&
      std::find(kBloodTypes.begin(), kBloodTypes.end(), facts.blood_type) == kBloodTypes.end()) {
    return Error{Errc::kInvalidArgument, "a blood type is one of A+ A- B+ B- AB+ AB- O+ O-, not '" +
                                             facts.blood_type + "'"};
  }
  return {};
}

json make_bundle(const Address& patient, const Facts& facts, const std::string& now) {
  const json subject = subject_of(patient);
  std::vector<json> resources;
  for (const std::string& allergy : facts.allergies) {
    resources.push_back({{"resourceType", "AllergyIntolerance"},
                         {"patient", subject},
                         {"code", {{"text", allergy}}}});
  }
  for (const std::string& medication : facts.medications) {
    resources.push_back({{"resourceType", "MedicationStatement"},
                         {"status", "active"},
                         {"subject", subject},
                         {"medicationCodeableConcept", {{"text", medication}}}});
  }
  for (const std::string& condition : facts.conditions) {
    resources.push_back(
        {{"resourceType", "Condition"}, {"subject", subject}, {"code", {{"text", condition}}}});
  }
  if (!facts.blood_type.empty()) {
    resources.push_back({{"resourceType", "Observation"},
                         {"status", "final"},
                         {"code",
                          {{"coding", json::array({{{"system", ips::kLoinc},
                                                    {"code", kBloodTypeCode},
                                                    {"display", "ABO and Rh group"}}})}}},
                         {"subject", subject},
                         {"valueCodeableConcept", {{"text", facts.blood_type}}}});
  }
  return ips::make_summary({patient, resources, now, "emergency " + to_hex(patient) + " " + now});
}

Facts facts_of(const json& bundle) {
  Facts facts;
  if (!bundle.is_object()) return facts;
  const auto add = [](std::vector<std::string>& to, std::string text) {
    if (!text.empty()) to.push_back(std::move(text));
  };
  for (const json& entry : bundle.value("entry", json::array())) {
    if (!entry.is_object() || !entry.contains("resource") || !entry["resource"].is_object()) {
      continue;
    }
    const json& resource = entry["resource"];
    const std::string type = resource.value("resourceType", "");
    if (type == "AllergyIntolerance") {
      add(facts.allergies, text_of(resource.value("code", json())));
    } else if (type == "MedicationStatement" || type == "MedicationRequest") {
      add(facts.medications, text_of(resource.value("medicationCodeableConcept", json())));
    } else if (type == "Condition") {
      add(facts.conditions, text_of(resource.value("code", json())));
    } else if (type == "Observation" && has_code(resource.value("code", json()), kBloodTypeCode)) {
      facts.blood_type = text_of(resource.value("valueCodeableConcept", json()));
    }
  }
  return facts;
}

Result<json> parse_bundle(std::string_view text) {
  json bundle = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (bundle.is_discarded()) return Error{Errc::kInvalidJson, "the summary is not JSON"};
  MEDCHAIN_TRY_STATUS(ips::validate_summary(bundle));
  return bundle;
}

json document_reference(std::uint64_t size) {
  return {{"resourceType", "DocumentReference"},
          {"status", "current"},
          {"type",
           {{"coding", json::array({{{"system", ips::kLoinc},
                                     {"code", ips::kSummaryDocument},
                                     {"display", "Patient summary Document"}}})}}},
          {"description", kTitle},
          {"content",
           json::array(
               {{{"attachment", {{"contentType", kContentType}, {"size", size}, {"title", kTitle}}},
                 {"format",
                  {{"system", "http://hl7.org/fhir/uv/ips"},
                   {"code", "ips"},
                   {"display", "International Patient Summary"}}}}})}};
}

}  // namespace medchain::records::emergency
