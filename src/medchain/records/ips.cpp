#include <algorithm>
#include <map>
#include <medchain/eth/address.hpp>
#include <medchain/records/fhir.hpp>
#include <medchain/records/ips.hpp>
#include <set>
#include <vector>

namespace medchain::records::ips {
namespace {

using nlohmann::json;

struct Section {
  const char* code;
  const char* title;
  std::vector<std::string_view> types;  // the resource types it lists
  bool required;
};

// In the order the IPS implementation guide presents them.
const std::vector<Section>& sections() {
  static const std::vector<Section> kSections = {
      {kAllergiesSection, "Allergies and intolerances", {"AllergyIntolerance"}, true},
      {kMedicationsSection,
       "Medication summary",
       {"MedicationStatement", "MedicationRequest"},
       true},
      {kProblemsSection, "Problem list", {"Condition"}, true},
      {"11369-6", "History of immunizations", {"Immunization"}, false},
      {"8716-3", "Vital signs", {"Observation"}, false},
      {"30954-2", "Diagnostic results", {"Observation", "DiagnosticReport"}, false},
      {"47519-4", "History of procedures", {"Procedure"}, false},
  };
  return kSections;
}

bool is_vital_sign(const json& resource) {
  for (const json& category : resource.value("category", json::array())) {
    for (const json& coding : category.value("coding", json::array())) {
      if (coding.value("code", "") == "vital-signs") return true;
    }
  }
  return false;
}

// The section a resource belongs in, or nullptr.
const Section* section_of(const json& resource) {
  const std::string type = resource.value("resourceType", "");
  for (const Section& section : sections()) {
    if (std::find(section.types.begin(), section.types.end(), type) == section.types.end()) {
      continue;
    }
    // An Observation is a vital sign or a result, not both.
    if (type == "Observation" &&
        (std::string(section.code) == "8716-3") != is_vital_sign(resource)) {
      continue;
    }
    return &section;
  }
  return nullptr;
}

json loinc(const char* code, const char* display) {
  return {{"coding", json::array({{{"system", kLoinc}, {"code", code}, {"display", display}}})}};
}

json empty_reason() {
  return {{"coding",
           json::array({{{"system", "http://terminology.hl7.org/CodeSystem/list-empty-reason"},
                         {"code", "unavailable"},
                         {"display", "Unavailable"}}})}};
}

json account_patient(const Address& patient) {
  return {{"resourceType", "Patient"},
          {"identifier", json::array({{{"system", "https://medchain.dev/fhir/NamingSystem/account"},
                                       {"value", eth::to_checksum(patient)}}})}};
}

Error invalid(const std::string& what) {
  return Error{Errc::kInvalidResource, "not an IPS document: " + what};
}

bool has_loinc(const json& codeable, std::string_view code) {
  for (const json& coding : codeable.value("coding", json::array())) {
    if (coding.value("system", "") == kLoinc && coding.value("code", "") == code) return true;
  }
  return false;
}

// fullUrl → resource of every entry; kInvalidResource for a missing or repeated fullUrl.
Result<std::map<std::string, const json*>> entries_by_url(const json& entries) {
  std::map<std::string, const json*> by_url;
  for (const json& entry : entries) {
    if (!entry.is_object() || !entry["fullUrl"].is_string() || !entry["resource"].is_object()) {
      return invalid("every entry needs a fullUrl and a resource");
    }
    if (!by_url.emplace(entry["fullUrl"].get<std::string>(), &entry["resource"]).second) {
      return invalid("two entries have the fullUrl " + entry["fullUrl"].get<std::string>());
    }
  }
  return by_url;
}

Status check_composition(const json& composition, const std::map<std::string, const json*>& urls) {
  if (composition.value("resourceType", "") != "Composition") {
    return invalid("the first entry is not a Composition");
  }
  if (composition.value("status", "") != "final" && composition.value("status", "") != "amended" &&
      composition.value("status", "") != "preliminary") {
    return invalid("the Composition's status is not preliminary, final or amended");
  }
  if (!has_loinc(composition.value("type", json::object()), kSummaryDocument)) {
    return invalid("the Composition's type is not LOINC 60591-5 (Patient summary Document)");
  }
  const auto subject =
      urls.find(composition.value("subject", json::object()).value("reference", std::string()));
  if (subject == urls.end() || subject->second->value("resourceType", "") != "Patient") {
    return invalid("the Composition's subject does not resolve to a Patient entry");
  }
  if (!composition["date"].is_string() || !composition["title"].is_string()) {
    return invalid("the Composition needs a date and a title");
  }
  if (!composition["author"].is_array() || composition["author"].empty()) {
    return invalid("the Composition needs an author");
  }
  return {};
}

Status check_sections(const json& composition, const std::map<std::string, const json*>& urls) {
  std::set<std::string> present;
  for (const json& section : composition.value("section", json::array())) {
    const Section* known = nullptr;
    for (const Section& candidate : sections()) {
      if (has_loinc(section.value("code", json::object()), candidate.code)) known = &candidate;
    }
    const std::string name = known ? known->title : "a section";
    const json& listed = section.value("entry", json::array());
    if (listed.empty() && !section.contains("emptyReason")) {
      return invalid(name + " has neither entries nor an emptyReason");
    }
    for (const json& reference : listed) {
      const auto found = urls.find(reference.value("reference", std::string()));
      if (found == urls.end()) return invalid(name + " lists a reference to no entry");
      const std::string type = found->second->value("resourceType", "");
      if (known &&
          std::find(known->types.begin(), known->types.end(), type) == known->types.end()) {
        return invalid(name + " lists a " + type);
      }
    }
    if (known) present.insert(known->code);
  }
  for (const Section& section : sections()) {
    if (section.required && !present.contains(section.code)) {
      return invalid(std::string("the required section ") + section.title + " is missing");
    }
  }
  return {};
}

}  // namespace

json make_summary(const SummaryInput& input) {
  const auto url_of = [&](const std::string& what) {
    return "urn:uuid:" +
           fhir::name_based_uuid("medchain summary " + input.document_id + " " + what);
  };
  const std::string patient_url = url_of("patient");
  json patient = account_patient(input.patient);
  std::map<const Section*, json> listed;
  json entries = json::array();
  for (std::size_t i = 0; i < input.resources.size(); ++i) {
    const json& resource = input.resources[i];
    if (resource.value("resourceType", "") == "Patient") {
      patient = resource;  // the patient's own demographics, when a record holds them
      continue;
    }
    const Section* section = section_of(resource);
    if (section == nullptr) continue;
    const std::string url = url_of("entry " + std::to_string(i));
    listed[section].push_back({{"reference", url}});
    entries.push_back({{"fullUrl", url}, {"resource", resource}});
  }
  json section_list = json::array();
  for (const Section& section : sections()) {
    const auto found = listed.find(&section);
    if (found == listed.end() && !section.required) continue;
    json entry = {{"title", section.title}, {"code", loinc(section.code, section.title)}};
    if (found == listed.end()) {
      entry["emptyReason"] = empty_reason();
    } else {
      entry["entry"] = found->second;
    }
    section_list.push_back(std::move(entry));
  }
  const json composition = {{"resourceType", "Composition"},
                            {"status", "final"},
                            {"type", loinc(kSummaryDocument, "Patient summary Document")},
                            {"subject", {{"reference", patient_url}}},
                            {"date", input.now},
                            {"author", json::array({{{"reference", patient_url}}})},
                            {"title", "International Patient Summary"},
                            {"section", std::move(section_list)}};
  json all = json::array({{{"fullUrl", url_of("composition")}, {"resource", composition}},
                          {{"fullUrl", patient_url}, {"resource", std::move(patient)}}});
  for (json& entry : entries) all.push_back(std::move(entry));
  return {
      {"resourceType", "Bundle"},
      {"identifier",
       {{"system", "urn:ietf:rfc:3986"},
        {"value", "urn:uuid:" + fhir::name_based_uuid("medchain summary " + input.document_id)}}},
      {"type", "document"},
      {"timestamp", input.now},
      {"entry", std::move(all)}};
}

Status validate_summary(const json& bundle) {
  if (!bundle.is_object() || bundle.value("resourceType", "") != "Bundle" ||
      bundle.value("type", "") != "document") {
    return invalid("not a Bundle of type document");
  }
  if (!bundle["identifier"].is_object() || !bundle["timestamp"].is_string()) {
    return invalid("a document Bundle needs an identifier and a timestamp");
  }
  if (!bundle["entry"].is_array() || bundle["entry"].empty()) return invalid("no entries");
  MEDCHAIN_TRY(auto urls, entries_by_url(bundle["entry"]));
  const json& composition = bundle["entry"][0]["resource"];
  MEDCHAIN_TRY_STATUS(check_composition(composition, urls));
  MEDCHAIN_TRY_STATUS(check_sections(composition, urls));
  for (std::size_t i = 1; i < bundle["entry"].size(); ++i) {
    if (auto valid = fhir::validate_resource(bundle["entry"][i]["resource"]); !valid.ok()) {
      return invalid("entry " + std::to_string(i + 1) + ": " + valid.error().message);
    }
  }
  return {};
}

}  // namespace medchain::records::ips
