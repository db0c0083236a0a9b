// The International Patient Summary (HL7 IPS on FHIR R4, docs/format.md "Patient summary"): a
// document Bundle whose Composition lists what a clinician who has never met the patient needs
// first — allergies, medications and problems (the sections IPS requires, each present even when
// empty), and immunizations, results and procedures when there are any. Built by a client from
// the records it decrypted; the node never sees it in the clear.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/core/result.hpp>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace medchain::records::ips {

// LOINC codes of the sections, and of the document itself.
inline constexpr const char* kLoinc = "http://loinc.org";
inline constexpr const char* kSummaryDocument = "60591-5";
inline constexpr const char* kAllergiesSection = "48765-2";
inline constexpr const char* kMedicationsSection = "10160-0";
inline constexpr const char* kProblemsSection = "11450-4";

struct SummaryInput {
  Address patient;                            // the account whose records these are
  std::span<const nlohmann::json> resources;  // decrypted FHIR R4 resources, any types
  std::string now;          // the document's date, RFC 3339 ("2026-12-04T11:00:00Z")
  std::string document_id;  // a unique name for the Bundle's identifier
};

// The IPS document Bundle of `input`: the Composition first, then the Patient (the patient's own
// Patient resource among `resources` if there is one, else one naming the account), then every
// resource a section lists. Resources no section takes (a DocumentReference, an Encounter) are
// left out.
nlohmann::json make_summary(const SummaryInput& input);

// kInvalidResource, naming the first problem, unless `bundle` is an IPS document as R4 and the
// IPS require it: a Bundle of type "document" with an identifier and a timestamp; a Composition
// first (status, the summary's LOINC type, a subject that resolves to the Patient entry, a date,
// an author, a title); the three required sections, each with entries or an emptyReason; every
// reference of a section resolving to an entry of a type that section takes; unique fullUrls;
// and every other entry a valid resource (fhir::validate_resource).
Status validate_summary(const nlohmann::json& bundle);

}  // namespace medchain::records::ips
