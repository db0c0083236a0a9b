// The emergency summary (docs/format.md, "Emergency summary"): the International Patient
// Summary a patient keeps current for an emergency doctor, as one record per patient whose id
// everyone can derive from the patient's address, each update a new version. Its content is a
// file record: a DocumentReference (type LOINC 60591-5) whose attachment is the IPS document
// Bundle as JSON (application/fhir+json), the way FHIR stores a document.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/core/result.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::records::emergency {

// The domain string the record id is derived with.
inline constexpr std::string_view kRecordIdDomain = "medchain.emergency-summary";
inline constexpr const char* kContentType = "application/fhir+json";
inline constexpr const char* kTitle = "Emergency summary";
// LOINC 882-1, ABO and Rh group: the blood type's Observation code.
inline constexpr const char* kBloodTypeCode = "882-1";

// keccak256("medchain.emergency-summary" ‖ patient (20 bytes)): the record id of `patient`'s
// emergency summary. Anyone can compute it, so a reader needs no directory to find it.
Hash32 record_id(const Address& patient);

// What a patient states in the summary, as text (codes are not looked up).
struct Facts {
  std::vector<std::string> allergies;
  std::vector<std::string> medications;
  std::vector<std::string> conditions;
  std::string blood_type;  // "", or one of A+ A- B+ B- AB+ AB- O+ O-
};

// kInvalidArgument naming the first problem: an empty or over-200-character entry, a blood type
// not among the eight ABO/Rh groups.
Status check_facts(const Facts& facts);

// The IPS document Bundle of `facts` for `patient`, dated `now` (RFC 3339): an
// AllergyIntolerance, MedicationStatement (active) or Condition per entry, each with the entry
// as code.text, and the blood type as an Observation (LOINC 882-1, final) with it as
// valueCodeableConcept.text. Passes ips::validate_summary.
nlohmann::json make_bundle(const Address& patient, const Facts& facts, const std::string& now);

// The facts an IPS Bundle states, for showing: each allergy, medication and condition by its
// code's (or medication's) text or first coding's display, and the blood type from an
// Observation coded LOINC 882-1. Entries with neither text nor display are left out.
Facts facts_of(const nlohmann::json& bundle);

// The Bundle in `text` (a file's or an attachment's bytes): kInvalidJson if it is not JSON,
// kInvalidResource (ips::validate_summary's one-line reason) if it is not an IPS document.
Result<nlohmann::json> parse_bundle(std::string_view text);

// The DocumentReference that describes a summary of `size` bytes in a record.
nlohmann::json document_reference(std::uint64_t size);

}  // namespace medchain::records::emergency
