// The encrypted summaries of record versions (docs/format.md, "Record summaries") as the
// records commands write and show them.
#pragma once

#include <medchain/records/envelope.hpp>
#include <medchain/records/summary.hpp>
#include <records/record_actions.hpp>

namespace medchain::cli::records {

// Seals `summary` for the version and stores it on the node (PUT .../versions/{n}/summary).
Status store_summary(client::NodeClient& node, const medchain::records::KeyBinding& version,
                     const medchain::records::ContentKey& key,
                     const medchain::records::RecordSummary& summary);

// Opens the summary of every version of `records` (a listing fetched with ?include=keys: each
// version carries the caller's sealedKey) and adds to the version "title", "date", "kind" and
// "authorName", or "summaryError" when it carries a summary that does not open (no key of the
// caller's, a key or a summary bound to another version, altered, not a valid summary). Versions
// without a summary get nothing. The binding is the version's record id, number and digest as
// listed. Asks for the caller's encryption keys only if some version has a summary.
Status open_summaries(Caller& caller, nlohmann::json& records);

// "HbA1c · 2026-03-14 · Observation" (with " · by NAME" when named), or "(no summary)", or
// "(summary refused: REASON)".
std::string summary_text(const nlohmann::json& version);

}  // namespace medchain::cli::records
