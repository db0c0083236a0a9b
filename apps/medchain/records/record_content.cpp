#include <cstdio>
#include <iostream>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/fhir.hpp>
#include <medchain/records/fhir_summary.hpp>
#include <records/record_content.hpp>

#include "cli.hpp"

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
namespace fs = std::filesystem;
using nlohmann::json;

Result<json> read_resource(const std::string& path) {
  MEDCHAIN_TRY(std::string text, read_input(path));
  json resource = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (resource.is_discarded()) {
    return Error{Errc::kInvalidJson, path + " is not JSON"};
  }
  return resource;
}

Result<TempFile> copy_stdin() {
  TempFile temp(fs::temp_directory_path() / (".medchain-stdin-" + random_name_tag()));
  std::FILE* out = std::fopen(temp.path().c_str(), "wb");
  if (out == nullptr) return Error{Errc::kIo, "cannot create " + temp.path().string()};
  std::vector<char> piece(1 << 18);
  bool ok = true;
  while (std::size_t n = std::fread(piece.data(), 1, piece.size(), stdin)) {
    ok = ok && std::fwrite(piece.data(), 1, n, out) == n;
  }
  ok = ok && std::ferror(stdin) == 0;
  ok = std::fclose(out) == 0 && ok;
  if (!ok) return Error{Errc::kIo, "cannot copy stdin to " + temp.path().string()};
  return temp;
}

// Describes the file in the resource: a DocumentReference of the user's gets the file's
// contentType, size and title in content[0].attachment where it has none.
json describe_file(json resource, const format::Attachment& attachment) {
  if (resource.is_null()) return format::fhir::document_reference_for(attachment);
  if (resource.value("resourceType", "") != "DocumentReference" || !resource.contains("content") ||
      !resource["content"].is_array() || resource["content"].empty() ||
      !resource["content"][0].is_object()) {
    return resource;  // validate_manifest names what is wrong
  }
  json& described = resource["content"][0]["attachment"];
  if (!described.is_object()) described = json::object();
  if (!described.contains("contentType")) described["contentType"] = attachment.content_type;
  if (!described.contains("size")) described["size"] = attachment.size;
  if (!described.contains("title")) described["title"] = attachment.title;
  return resource;
}

}  // namespace

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".png", "image/png"},         {".jpg", "image/jpeg"},      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},         {".tif", "image/tiff"},      {".tiff", "image/tiff"},
      {".dcm", "application/dicom"}, {".pdf", "application/pdf"}, {".txt", "text/plain"},
      {".json", "application/json"}, {".xml", "application/xml"}, {".csv", "text/csv"},
      {".html", "text/html"},        {".mp4", "video/mp4"},       {".wav", "audio/wav"}};
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto found = kTypes.find(extension);
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

Result<NewContent> prepare_content(const ContentOptions& options) {
  if (options.resource_file.empty() && options.file.empty()) {
    return Error{Errc::kInvalidArgument, "give a FHIR resource (--resource) or a file (--file)"};
  }
  if (options.resource_file == "-" && options.file == "-") {
    return Error{Errc::kInvalidArgument, "only one of --resource and --file can be stdin"};
  }
  NewContent content;
  json resource = nullptr;
  if (!options.resource_file.empty()) {
    MEDCHAIN_TRY(resource, read_resource(options.resource_file));
  }
  if (!options.file.empty()) {
    fs::path path = options.file;
    if (options.file == "-") {
      MEDCHAIN_TRY(content.stdin_copy, copy_stdin());
      path = content.stdin_copy.path();
    }
    std::error_code error;
    const std::uint64_t size = fs::file_size(path, error);
    if (error) return Error{Errc::kInvalidArgument, "cannot read " + options.file};
    const fs::path named = options.file == "-" ? fs::path("stdin") : fs::path(options.file);
    const format::Attachment attachment{
        options.content_type.empty() ? content_type_for(named) : options.content_type, size,
        options.title.empty() ? named.filename().string() : options.title};
    content.record.manifest = {describe_file(std::move(resource), attachment), attachment};
    content.record.attachment_file = path;
  } else {
    content.record.manifest = {std::move(resource), std::nullopt};
  }
  MEDCHAIN_TRY_STATUS(format::fhir::validate_manifest(content.record.manifest));
  if (options.category.empty()) {
    content.category = format::fhir::suggest_category(content.record.manifest.resource);
  } else {
    const auto category = format::parse_category(options.category);
    if (!category) return Error{Errc::kInvalidArgument, "unknown category " + options.category};
    content.category = *category;
  }
  // The summary the node keeps sealed beside the version (docs/format.md, "Record summaries").
  content.summary = format::summary_of_resource(content.record.manifest.resource,
                                                content.record.manifest.attachment);
  if (!options.title.empty()) content.summary.title = options.title;
  if (!options.date.empty()) content.summary.date = options.date;
  if (options.author_name) {
    content.summary.author_name = *options.author_name;
    content.author_named = true;
  }
  if (auto checked = format::encode_summary(content.summary); !checked.ok()) {
    return checked.error();
  }
  return content;
}

}  // namespace medchain::cli::records
