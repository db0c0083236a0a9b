#include <medchain/records/fhir_summary.hpp>

namespace medchain::records {
namespace {

using nlohmann::json;

std::string string_at(const json& object, std::string_view name) {
  if (!object.is_object()) return "";
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// A CodeableConcept's words: its text, else the first coding's display, else its code.
std::string concept_text(const json& codeable) {
  if (std::string text = string_at(codeable, "text"); !text.empty()) return text;
  if (!codeable.is_object() || !codeable.contains("coding") || !codeable["coding"].is_array())
    return "";
  for (const json& coding : codeable["coding"]) {
    if (std::string display = string_at(coding, "display"); !display.empty()) return display;
  }
  for (const json& coding : codeable["coding"]) {
    if (std::string code = string_at(coding, "code"); !code.empty()) return code;
  }
  return "";
}

// The first of `names` the resource has as a date (a "...Period" as its start).
std::string first_date(const json& resource, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    const auto found = resource.find(name);
    if (found == resource.end()) continue;
    if (found->is_string()) return found->get<std::string>();
    if (std::string start = string_at(*found, "start"); !start.empty()) return start;
  }
  return "";
}

std::string cut(std::string text, std::size_t characters) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == characters) return text.substr(0, i);
  }
  return text;
}

std::string flat(std::string text) {  // control characters (a newline in a display) to spaces
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return text;
}

}  // namespace

RecordSummary summary_of_resource(const json& resource,
                                  const std::optional<Attachment>& attachment) {
  const std::string type = string_at(resource, "resourceType");
  std::string title;
  std::string date;
  if (type == "Observation" || type == "DiagnosticReport") {
    title = concept_text(resource.value("code", json()));
    date = first_date(resource,
                      {"effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued"});
  } else if (type == "MedicationStatement" || type == "MedicationRequest") {
    title = concept_text(resource.value("medicationCodeableConcept", json()));
    date = first_date(resource,
                      {"effectiveDateTime", "effectivePeriod", "authoredOn", "dateAsserted"});
  } else if (type == "Condition" || type == "AllergyIntolerance") {
    title = concept_text(resource.value("code", json()));
    date = first_date(resource, {"onsetDateTime", "onsetPeriod", "recordedDate"});
  } else if (type == "Immunization") {
    title = concept_text(resource.value("vaccineCode", json()));
    date = first_date(resource, {"occurrenceDateTime", "recorded"});
  } else if (type == "Procedure") {
    title = concept_text(resource.value("code", json()));
    date = first_date(resource, {"performedDateTime", "performedPeriod"});
  } else if (type == "DocumentReference") {
    const json content = resource.value("content", json::array());
    const json described = content.is_array() && !content.empty()
                               ? content[0].value("attachment", json::object())
                               : json::object();
    title = string_at(described, "title");
    if (title.empty()) title = string_at(resource, "description");
    if (title.empty()) title = concept_text(resource.value("type", json()));
    date = first_date(resource, {"date"});
    if (date.empty()) date = string_at(described, "creation");
  }
  RecordSummary summary;
  summary.title =
      cut(flat(title.empty() ? (type.empty() ? "Record" : type) : title), kMaxSummaryTitle);
  summary.kind = attachment && !attachment->content_type.empty() ? attachment->content_type : type;
  if (summary.kind.empty()) summary.kind = "Resource";
  summary.date = date;
  // A date or kind the format refuses is left out (the kind falls back to the resource type)
  // rather than failing the record: a summary is a convenience.
  if (!encode_summary(summary).ok()) summary.date.clear();
  if (!encode_summary(summary).ok()) summary.kind = type.empty() ? "Resource" : type;
  return summary;
}

}  // namespace medchain::records
