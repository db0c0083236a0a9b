#include <medchain/core/hex.hpp>
#include <records/record_summaries.hpp>

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
using nlohmann::json;

Result<format::KeyBinding> listed_binding(const json& record, const json& version) {
  auto record_id = from_hex_fixed<Hash32>(record.value("recordId", ""));
  auto digest = from_hex_fixed<Hash32>(version.value("digest", ""));
  const auto number = version.value("version", std::uint64_t{0});
  if (!record_id || !digest || number == 0 || number > 0xffffffffu) {
    return Error{Errc::kProtocol,
                 "the node listed a version without its record id, number or digest"};
  }
  return format::KeyBinding{*record_id, static_cast<std::uint32_t>(number), *digest};
}

Result<format::RecordSummary> open_one(const json& record, const json& version,
                                       std::span<const format::EncryptionKeyPair> mine) {
  MEDCHAIN_TRY(format::KeyBinding binding, listed_binding(record, version));
  if (!version["sealedKey"].is_string()) {
    return Error{Errc::kNotFound, "no key of this version was shared with you"};
  }
  MEDCHAIN_TRY(Bytes sealed_key, from_hex(version["sealedKey"].get<std::string>()));
  MEDCHAIN_TRY(format::ContentKey key, format::open_content_key(sealed_key, binding, mine));
  MEDCHAIN_TRY(Bytes sealed, from_hex(version["summary"].get<std::string>()));
  return format::open_summary(sealed, key, binding);
}

}  // namespace

Status store_summary(client::NodeClient& node, const format::KeyBinding& version,
                     const format::ContentKey& key, const format::RecordSummary& summary) {
  MEDCHAIN_TRY(Bytes sealed, format::seal_summary(summary, key, version));
  MEDCHAIN_TRY(json stored, node.put("/v1/records/" + to_hex(version.record_id) + "/versions/" +
                                         std::to_string(version.version) + "/summary",
                                     json{{"summary", to_hex(sealed)}}));
  (void)stored;
  return {};
}

Status open_summaries(Caller& caller, json& records) {
  bool any = false;
  for (const json& record : records) {
    for (const json& version : record.value("versions", json::array())) {
      any = any || version.value("summary", json()).is_string();
    }
  }
  if (!any) return {};
  MEDCHAIN_TRY(std::vector<format::EncryptionKeyPair> mine, caller.encryption());
  for (json& record : records) {
    for (json& version : record["versions"]) {
      if (!version.value("summary", json()).is_string()) continue;
      auto opened = open_one(record, version, mine);
      if (!opened.ok()) {
        version["summaryError"] = opened.error().message;
        continue;
      }
      version["title"] = opened->title;
      version["date"] = opened->date;
      version["kind"] = opened->kind;
      version["authorName"] = opened->author_name;
    }
  }
  return {};
}

std::string summary_text(const json& version) {
  if (version.contains("summaryError")) {
    return "(summary refused: " + version["summaryError"].get<std::string>() + ")";
  }
  if (!version.contains("title")) return "(no summary)";
  std::string text = version["title"].get<std::string>();
  if (!version["date"].get<std::string>().empty())
    text += " · " + version["date"].get<std::string>();
  text += " · " + version["kind"].get<std::string>();
  if (!version["authorName"].get<std::string>().empty()) {
    text += " · by " + version["authorName"].get<std::string>();
  }
  return text;
}

}  // namespace medchain::cli::records
