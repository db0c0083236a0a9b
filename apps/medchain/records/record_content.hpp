// The plaintext of a new record version from `records add|update` options: the FHIR resource
// read and validated, a file's DocumentReference made for it, the category chosen.
#pragma once

#include <filesystem>
#include <medchain/records/summary.hpp>
#include <records/record_actions.hpp>
#include <records/record_io.hpp>
#include <records/temp_files.hpp>

namespace medchain::cli::records {

struct NewContent {
  PlainRecord record;
  std::uint8_t category = 0;
  medchain::records::RecordSummary summary;  // derived from the resource, --title/--date win
  bool author_named = false;  // --author-name was given (even empty): keep summary.author_name
  TempFile stdin_copy;  // holds the attachment when it came from stdin
};

// kInvalidArgument for no resource and no file, an unreadable file, an unknown category or a
// --title or --date the summary format refuses;
// kInvalidJson / kInvalidResource for a resource that is not valid FHIR R4.
Result<NewContent> prepare_content(const ContentOptions& options);

// The content type of a file name's extension (.png → image/png, .dcm → application/dicom…),
// application/octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace medchain::cli::records
