// `medchain records export | import` (docs/cli.md, "Records"): a patient's whole record as one
// FHIR R4 Bundle of type "collection", attachments included (base64 in the DocumentReference's
// attachment.data, streamed in and out of files so a large image never sits in memory twice),
// and such a Bundle imported as new records, every entry checked before the first is written.
#pragma once

#include <records/record_actions.hpp>
#include <string>

namespace medchain::cli::records {

// The FHIR extension on a Bundle entry that keeps the record's category (records/category.hpp)
// across an export and an import.
inline constexpr const char* kCategoryExtension =
    "https://medchain.dev/fhir/StructureDefinition/record-category";

struct ExportOptions {
  std::string patient;  // default the caller
  std::string out = "-";
  bool summary = false;  // an International Patient Summary instead of every record
};

struct ImportOptions {
  std::string patient;  // default the caller
  std::string in;       // the Bundle's JSON file
};

// The newest version of every record the caller may read and holds a key of, checked against
// the chain with --rpc-url; or, with `summary`, the IPS document of them (records/ips.hpp).
// Written to a temporary file renamed into place, so a failure leaves no partial Bundle.
Status export_records(Caller& caller, const ExportOptions& options);

// kInvalidArgument / kInvalidJson / kInvalidResource, naming the entry, for a Bundle any entry of
// which cannot be a record (nothing is imported then); a failure while adding names the entry
// and how many were imported before it.
Status import_records(Caller& caller, const ImportOptions& options);

}  // namespace medchain::cli::records
