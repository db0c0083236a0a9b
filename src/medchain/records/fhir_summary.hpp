// The summary a writer derives from a record's FHIR resource (docs/format.md, "Record
// summaries"): what the resource is about as its title, its clinical date, and its kind.
#pragma once

#include <medchain/records/document.hpp>
#include <medchain/records/summary.hpp>
#include <nlohmann/json.hpp>

namespace medchain::records {

// Title: the text (else the first coding's display, else its code) of the resource's main
// concept — Observation, DiagnosticReport, Condition, AllergyIntolerance and Procedure `code`,
// MedicationStatement and MedicationRequest `medicationCodeableConcept`, Immunization
// `vaccineCode`; a DocumentReference's attachment title, description or type — else the
// resource type; cut to kMaxSummaryTitle characters. Date: the effective, occurrence,
// performed, onset, authored or recorded date, whichever the resource has first (left out when
// it has none or it is not a FHIR date). Kind: the resource type, or the attachment's media type
// for a file record. The author's name is left empty.
RecordSummary summary_of_resource(const nlohmann::json& resource,
                                  const std::optional<Attachment>& attachment);

}  // namespace medchain::records
