#include <algorithm>
#include <array>
#include <cctype>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/fhir.hpp>

namespace medchain::records::fhir {
namespace {

using nlohmann::json;

// The JSON kind an element has in R4's JSON form: a primitive string (code, dateTime), a
// complex object (CodeableConcept, Reference) or a repeating element (array).
enum class Kind { kString, kObject, kArray };

// One required element. A name ending in "[x]" is a choice: exactly one of name + TypeName.
struct Required {
  std::string_view name;
  Kind kind;
};

struct TypeRule {
  std::string_view type;
  std::vector<Required> required;
  std::vector<std::string_view> statuses;  // the status value set; empty if no status
};

const std::vector<TypeRule>& rules() {
  static const std::vector<TypeRule> kRules = {
      {"Observation",
       {{"status", Kind::kString}, {"code", Kind::kObject}},
       {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
        "entered-in-error", "unknown"}},
      {"DiagnosticReport",
       {{"status", Kind::kString}, {"code", Kind::kObject}},
       {"registered", "partial", "preliminary", "final", "amended", "corrected", "appended",
        "cancelled", "entered-in-error", "unknown"}},
      {"MedicationStatement",
       {{"status", Kind::kString}, {"medication[x]", Kind::kObject}, {"subject", Kind::kObject}},
       {"active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown",
        "not-taken"}},
      {"MedicationRequest",
       {{"status", Kind::kString},
        {"intent", Kind::kString},
        {"medication[x]", Kind::kObject},
        {"subject", Kind::kObject}},
       {"active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft",
        "unknown"}},
      {"AllergyIntolerance", {{"patient", Kind::kObject}}, {}},
      {"Condition", {{"subject", Kind::kObject}}, {}},
      {"Immunization",
       {{"status", Kind::kString},
        {"vaccineCode", Kind::kObject},
        {"patient", Kind::kObject},
        {"occurrence[x]", Kind::kString}},
       {"completed", "entered-in-error", "not-done"}},
      {"Procedure",
       {{"status", Kind::kString}, {"subject", Kind::kObject}},
       {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
        "entered-in-error", "unknown"}},
      {"DocumentReference",
       {{"status", Kind::kString}, {"content", Kind::kArray}},
       {"current", "superseded", "entered-in-error"}},
      {"ImagingStudy",
       {{"status", Kind::kString}, {"subject", Kind::kObject}},
       {"registered", "available", "cancelled", "entered-in-error", "unknown"}},
      {"FamilyMemberHistory",
       {{"status", Kind::kString}, {"patient", Kind::kObject}, {"relationship", Kind::kObject}},
       {"partial", "completed", "entered-in-error", "health-unknown"}},
      {"CarePlan",
       {{"status", Kind::kString}, {"intent", Kind::kString}, {"subject", Kind::kObject}},
       {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}},
      {"Encounter",
       {{"status", Kind::kString}, {"class", Kind::kObject}},
       {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled",
        "entered-in-error", "unknown"}},
      {"Patient", {}, {}},
  };
  return kRules;
}

const std::vector<std::string_view>& type_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const TypeRule& rule : rules()) names.push_back(rule.type);
    return names;
  }();
  return kNames;
}

Error invalid(std::string_view type, std::string what) {
  return Error{Errc::kInvalidResource, "FHIR " + std::string(type) + ": " + what};
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::kString:
      return value.is_string() && !value.get_ref<const std::string&>().empty();
    case Kind::kObject:
      return value.is_object() && !value.empty();
    case Kind::kArray:
      return value.is_array() && !value.empty();
  }
  return false;
}

// A choice element medication[x] appears as medicationCodeableConcept, medicationReference…:
// the base name followed by an upper-case type name. R4 allows exactly one.
Status check_choice(const json& resource, std::string_view type, std::string_view base) {
  int found = 0;
  for (const auto& [key, value] : resource.items()) {
    if (key.size() > base.size() && key.compare(0, base.size(), base) == 0 &&
        std::isupper(static_cast<unsigned char>(key[base.size()])) != 0) {
      if (!(value.is_string() || value.is_object()) || value.empty()) {
        return invalid(type, "element " + key + " is empty");
      }
      ++found;
    }
  }
  if (found == 0) return invalid(type, "missing required element " + std::string(base) + "[x]");
  if (found > 1) return invalid(type, "more than one " + std::string(base) + "[x]");
  return {};
}

Status check_required(const json& resource, const TypeRule& rule) {
  for (const Required& element : rule.required) {
    if (element.name.ends_with("[x]")) {
      MEDCHAIN_TRY_STATUS(
          check_choice(resource, rule.type, element.name.substr(0, element.name.size() - 3)));
      continue;
    }
    const auto it = resource.find(element.name);
    if (it == resource.end()) {
      return invalid(rule.type, "missing required element " + std::string(element.name));
    }
    if (!has_kind(*it, element.kind)) {
      return invalid(rule.type,
                     "element " + std::string(element.name) + " is empty or of the wrong kind");
    }
  }
  if (!rule.statuses.empty()) {
    const std::string& status = resource.at("status").get_ref<const std::string&>();
    if (std::find(rule.statuses.begin(), rule.statuses.end(), status) == rule.statuses.end()) {
      return invalid(rule.type, "status \"" + status + "\" is not in the R4 value set");
    }
  }
  return {};
}

Status check_document_reference(const json& resource) {
  for (const json& content : resource.at("content")) {
    const auto attachment = content.find("attachment");
    if (!content.is_object() || attachment == content.end() || !attachment->is_object()) {
      return invalid("DocumentReference", "every content needs an attachment object");
    }
  }
  return {};
}

// R4's id type: 1..64 of [A-Za-z0-9-.].
bool valid_id(const json& id) {
  if (!id.is_string()) return false;
  const std::string& text = id.get_ref<const std::string&>();
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
  });
}

// Whether any coding of any CodeableConcept in `concepts` (an array or one object) has `code`.
bool has_code(const json& resource, std::string_view element, std::string_view code) {
  const auto it = resource.find(element);
  if (it == resource.end()) return false;
  const json concepts = it->is_array() ? *it : json::array({*it});
  for (const json& concept_ : concepts) {
    if (!concept_.is_object() || !concept_.contains("coding") || !concept_["coding"].is_array()) {
      continue;
    }
    for (const json& coding : concept_["coding"]) {
      if (coding.is_object() && coding.value("code", "") == code) return true;
    }
  }
  return false;
}

std::uint8_t category_of(std::string_view name) {
  return parse_category(name).value_or(0);
}

}  // namespace

std::span<const std::string_view> known_resource_types() {
  return type_names();
}

Status validate_resource(const json& resource) {
  if (!resource.is_object()) return Error{Errc::kInvalidResource, "a FHIR resource is an object"};
  const auto type = resource.find("resourceType");
  if (type == resource.end() || !type->is_string()) {
    return Error{Errc::kInvalidResource, "the FHIR resource has no resourceType"};
  }
  const std::string& name = type->get_ref<const std::string&>();
  const auto& all = rules();
  const auto rule =
      std::find_if(all.begin(), all.end(), [&](const TypeRule& r) { return r.type == name; });
  if (rule == all.end()) {
    return Error{Errc::kInvalidResource, "FHIR resourceType \"" + name + "\" is not supported"};
  }
  if (resource.contains("id") && !valid_id(resource["id"])) {
    return invalid(name, "id must be 1..64 characters of A-Z, a-z, 0-9, '-' and '.'");
  }
  MEDCHAIN_TRY_STATUS(check_required(resource, *rule));
  if (name == "DocumentReference") MEDCHAIN_TRY_STATUS(check_document_reference(resource));
  return {};
}

json document_reference_for(const Attachment& attachment) {
  return {{"resourceType", "DocumentReference"},
          {"status", "current"},
          {"content", json::array({{{"attachment",
                                     {{"contentType", attachment.content_type},
                                      {"size", attachment.size},
                                      {"title", attachment.title}}}}})}};
}

Status validate_manifest(const Manifest& manifest) {
  MEDCHAIN_TRY_STATUS(validate_resource(manifest.resource));
  if (!manifest.attachment) return {};
  if (manifest.resource.value("resourceType", "") != "DocumentReference") {
    return Error{Errc::kInvalidResource, "a record with a file holds a FHIR DocumentReference"};
  }
  const json& described = manifest.resource["content"][0]["attachment"];
  if (described.value("contentType", "") != manifest.attachment->content_type ||
      !described.contains("size") || !described["size"].is_number_unsigned() ||
      described["size"].get<std::uint64_t>() != manifest.attachment->size) {
    return invalid("DocumentReference",
                   "content[0].attachment must match the file's type and size");
  }
  return {};
}

std::uint8_t suggest_category(const json& resource) {
  const std::string type = resource.value("resourceType", "");
  if (type == "Observation") {
    if (has_code(resource, "category", "laboratory")) return category_of("lab");
    if (has_code(resource, "category", "imaging")) return category_of("imaging");
    if (has_code(resource, "category", "procedure")) return category_of("procedure");
    return category_of("general");
  }
  if (type == "DiagnosticReport") {
    // HL7 v2 table 0074 diagnostic service sections.
    if (has_code(resource, "category", "LAB")) return category_of("lab");
    if (has_code(resource, "category", "RAD") || has_code(resource, "category", "IMG")) {
      return category_of("imaging");
    }
    return category_of("lab");
  }
  if (type == "MedicationStatement" || type == "MedicationRequest")
    return category_of("medication");
  if (type == "AllergyIntolerance") return category_of("allergy");
  if (type == "Immunization") return category_of("immunization");
  if (type == "Procedure") return category_of("procedure");
  if (type == "ImagingStudy") return category_of("imaging");
  if (type == "DocumentReference") {
    const json content = resource.value("content", json::array());
    const std::string mime =
        content.empty() ? ""
                        : content[0].value("attachment", json::object()).value("contentType", "");
    if (mime.starts_with("image/") || mime == "application/dicom") return category_of("imaging");
    return category_of("clinical-note");
  }
  return category_of("general");
}

std::string name_based_uuid(std::string_view name) {
  // RFC 9562 version 8 (custom): the first 122 bits of SHA-256 of the name.
  std::string hex = to_hex(crypto::sha256(as_bytes(std::string(name)))).substr(2);
  hex[12] = '8';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

json make_bundle(std::span<const json> resources, std::span<const std::string> entry_ids) {
  json entries = json::array();
  for (std::size_t i = 0; i < resources.size(); ++i) {
    // A stable UUID per entry, so exports are reproducible.
    const std::string source = i < entry_ids.size() ? entry_ids[i] : std::to_string(i);
    entries.push_back(
        {{"fullUrl", "urn:uuid:" + name_based_uuid("medchain bundle entry " + source)},
         {"resource", resources[i]}});
  }
  return {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries)}};
}

}  // namespace medchain::records::fhir
