#include <sodium.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/fhir.hpp>
#include <medchain/records/ips.hpp>
#include <records/chain_checks.hpp>
#include <records/record_bundle.hpp>
#include <records/record_content.hpp>
#include <records/record_io.hpp>
#include <records/record_keys.hpp>

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
namespace fs = std::filesystem;
using nlohmann::json;

// A Bundle is parsed whole; beyond this, import its records one by one with `records add`.
constexpr std::uintmax_t kMaxBundleBytes = std::uintmax_t{512} << 20;
// Bytes of an attachment encoded per step: a multiple of 3, so the pieces concatenate.
constexpr std::size_t kBase64Piece = 3 * 16384;

// Where an attachment's base64 goes in the Bundle's text until it is streamed in.
std::string placeholder(std::size_t index) {
  return "@@medchain-attachment-" + std::to_string(index) + "@@";
}

// ---- export

Status write_base64_of(const fs::path& file, std::ostream& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{Errc::kIo, "cannot read " + file.string()};
  std::vector<char> piece(kBase64Piece);
  std::string encoded(sodium_base64_encoded_len(kBase64Piece, sodium_base64_VARIANT_ORIGINAL), 0);
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    sodium_bin2base64(encoded.data(), encoded.size(),
                      reinterpret_cast<const unsigned char*>(piece.data()), got,
                      sodium_base64_VARIANT_ORIGINAL);
    out << encoded.c_str();
  }
  if (in.bad()) return Error{Errc::kIo, "cannot read " + file.string()};
  return {};
}

// The Bundle's text with each placeholder replaced by the base64 of its attachment file.
Status write_bundle(const std::string& text, const std::vector<fs::path>& attachments,
                    std::ostream& out) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const std::size_t found = text.find(placeholder(i), at);
    if (found == std::string::npos) {
      return Error{Errc::kProtocol, "lost attachment " + std::to_string(i)};
    }
    out.write(text.data() + at, static_cast<std::streamsize>(found - at));
    MEDCHAIN_TRY_STATUS(write_base64_of(attachments[i], out));
    at = found + placeholder(i).size();
  }
  out.write(text.data() + at, static_cast<std::streamsize>(text.size() - at));
  return out ? Status{} : Error{Errc::kIo, "cannot write the Bundle"};
}

Status write_bundle_to(const std::string& text, const std::vector<fs::path>& attachments,
                       const std::string& out) {
  if (out == "-") return write_bundle(text, attachments, std::cout);
  const fs::path partial = out + ".partial-" + random_name_tag();
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return Error{Errc::kIo, "cannot write " + out};
    if (auto written = write_bundle(text, attachments, file); !written.ok()) {
      file.close();
      fs::remove(partial);
      return written;
    }
  }
  std::error_code error;
  fs::rename(partial, out, error);
  if (error) {
    fs::remove(partial, error);
    return Error{Errc::kIo, "cannot write " + out};
  }
  return {};
}

json category_extension(const json& version) {
  if (!version["category"].is_string()) return json::array();
  return json::array({{{"url", kCategoryExtension}, {"valueCode", version["category"]}}});
}

// ---- import

// The decoded size of standard base64 text, or nothing when it is not base64.
std::optional<std::size_t> decoded_size(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  return text.size() / 4 * 3 - padding;
}

Status decode_to_file(const std::string& text, const fs::path& file) {
  const auto size = decoded_size(text);
  if (!size) return Error{Errc::kInvalidArgument, "attachment.data is not base64"};
  std::vector<unsigned char> bytes(*size);
  std::size_t written = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &written,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      written != *size) {
    return Error{Errc::kInvalidArgument, "attachment.data is not base64"};
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(written));
  return out ? Status{} : Error{Errc::kIo, "cannot write " + file.string()};
}

Result<std::uint8_t> entry_category(const json& entry, const json& resource) {
  for (const json& extension : entry.value("extension", json::array())) {
    if (extension.value("url", "") != kCategoryExtension) continue;
    const auto category = format::parse_category(extension.value("valueCode", ""));
    if (!category) return Error{Errc::kInvalidArgument, "an unknown category"};
    return *category;
  }
  return format::fhir::suggest_category(resource);
}

// One entry as the content of a new record; an attachment's bytes go to a file in `scratch`.
Result<NewContent> entry_content(const json& entry, const fs::path& scratch) {
  if (!entry.is_object() || !entry["resource"].is_object()) {
    return Error{Errc::kInvalidJson, "no resource"};
  }
  json resource = entry["resource"];
  NewContent content;
  MEDCHAIN_TRY(content.category, entry_category(entry, resource));
  json* attachment = nullptr;
  if (resource.value("resourceType", "") == "DocumentReference" && resource["content"].is_array() &&
      !resource["content"].empty() && resource["content"][0]["attachment"].is_object()) {
    attachment = &resource["content"][0]["attachment"];
  }
  if (attachment == nullptr || !attachment->contains("data")) {
    content.record.manifest = {std::move(resource), std::nullopt};
  } else {
    if (!(*attachment)["data"].is_string()) {
      return Error{Errc::kInvalidArgument, "attachment.data is not base64"};
    }
    const fs::path file = scratch / random_name_tag();
    MEDCHAIN_TRY_STATUS(decode_to_file((*attachment)["data"].get<std::string>(), file));
    content.stdin_copy = TempFile(file);  // removed with the content
    attachment->erase("data");
    const std::uint64_t size = fs::file_size(file);
    if (attachment->contains("size") && (*attachment)["size"] != size) {
      return Error{Errc::kInvalidArgument, "attachment.size is not the size of attachment.data"};
    }
    const format::Attachment described{attachment->value("contentType", "application/octet-stream"),
                                       size, attachment->value("title", "attachment")};
    (*attachment)["contentType"] = described.content_type;
    (*attachment)["size"] = size;
    (*attachment)["title"] = described.title;
    content.record.manifest = {std::move(resource), described};
    content.record.attachment_file = file;
  }
  MEDCHAIN_TRY_STATUS(format::fhir::validate_manifest(content.record.manifest));
  return content;
}

Result<json> read_bundle(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error) return Error{Errc::kInvalidArgument, "cannot read " + path};
  if (size > kMaxBundleBytes) {
    return Error{Errc::kTooLarge, path + " is over 512 MiB: add its records one by one"};
  }
  std::ifstream in(path, std::ios::binary);
  json bundle = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (bundle.is_discarded()) return Error{Errc::kInvalidJson, path + " is not JSON"};
  if (!bundle.is_object() || bundle.value("resourceType", "") != "Bundle" ||
      !bundle["entry"].is_array()) {
    return Error{Errc::kInvalidResource, path + " is not a FHIR Bundle with entries"};
  }
  return bundle;
}

}  // namespace

Status export_records(Caller& caller, const ExportOptions& options) {
  MEDCHAIN_TRY(Address patient, patient_or_caller(caller, options.patient));
  MEDCHAIN_TRY(json listing,
               caller.node.get("/v1/patients/" + eth::to_checksum(patient) + "/records"));
  MEDCHAIN_TRY(const chain::Contract* medchain, caller.context.contract_if_given());
  TempDirectory scratch("export");
  std::vector<json> resources;
  std::vector<std::string> ids;
  std::vector<json> extensions;
  std::vector<fs::path> attachments;
  for (const json& record : listing.value("records", json::array())) {
    const json& newest = record["versions"].back();
    auto record_id = from_hex_fixed<Hash32>(record.value("recordId", ""));
    if (!record_id) return Error{Errc::kProtocol, "the node lists a malformed record id"};
    MEDCHAIN_TRY(format::KeyBinding binding, version_binding(*record_id, newest));
    if (medchain != nullptr)
      MEDCHAIN_TRY_STATUS(check_version_on_chain(*medchain, binding, newest));
    auto key = own_key(caller, binding);
    if (!key.ok() && key.error().code == Errc::kNotFound) continue;  // no key shared with us
    if (!key.ok()) return std::move(key).error();
    const fs::path plain = scratch.path() / std::to_string(resources.size());
    MEDCHAIN_TRY(format::Manifest manifest, download_and_decrypt(caller.node, binding.digest, *key,
                                                                 plain.string(), caller.progress));
    if (manifest.attachment) {
      manifest.resource["content"][0]["attachment"]["data"] = placeholder(attachments.size());
      attachments.push_back(plain);
    }
    resources.push_back(std::move(manifest.resource));
    ids.push_back(to_hex(*record_id) + "/" + std::to_string(binding.version));
    extensions.push_back(category_extension(newest));
  }
  json bundle;
  if (options.summary) {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    bundle = format::ips::make_summary(
        {patient, resources, eth::format_rfc3339(now), random_name_tag()});
    // What leaves is an IPS document by the same checks an importer would run.
    MEDCHAIN_TRY_STATUS(format::ips::validate_summary(bundle));
    attachments.clear();  // no section lists a file
  } else {
    bundle = format::fhir::make_bundle(resources, ids);
    for (std::size_t i = 0; i < extensions.size(); ++i) {
      if (!extensions[i].empty()) bundle["entry"][i]["extension"] = extensions[i];
    }
  }
  MEDCHAIN_TRY_STATUS(write_bundle_to(bundle.dump(2) + "\n", attachments, options.out));
  if (options.out != "-") {
    if (caller.json) {
      std::cout << json{{"out", options.out},
                        {"records", resources.size()},
                        {"attachments", attachments.size()},
                        {"chainChecked", medchain != nullptr}}
                       .dump()
                << "\n";
    } else {
      std::cerr << "wrote " << resources.size() << " record(s), " << attachments.size()
                << " with attachments, to " << options.out << "\n";
    }
  }
  return {};
}

Status import_records(Caller& caller, const ImportOptions& options) {
  MEDCHAIN_TRY(Address patient, patient_or_caller(caller, options.patient));
  MEDCHAIN_TRY(json bundle, read_bundle(options.in));
  const std::size_t total = bundle["entry"].size();
  TempDirectory scratch("import");
  // Every entry is checked (and its attachment decoded) before anything is written.
  std::vector<NewContent> contents;
  contents.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    auto content = entry_content(bundle["entry"][i], scratch.path());
    if (!content.ok()) {
      return Error{content.error().code, "entry " + std::to_string(i + 1) + " of " +
                                             std::to_string(total) + ": " +
                                             content.error().message + "; nothing imported"};
    }
    contents.push_back(std::move(*content));
  }
  bundle = nullptr;  // the attachments are in files now
  json imported = json::array();
  for (std::size_t i = 0; i < total; ++i) {
    auto written = add_new_record(caller, patient, contents[i]);
    if (!written.ok()) {
      return Error{written.error().code,
                   "entry " + std::to_string(i + 1) + " of " + std::to_string(total) + ": " +
                       written.error().message + "; the " + std::to_string(i) +
                       " entries before it were imported"};
    }
    if (!caller.json) {
      std::cout << (*written)["recordId"].get<std::string>() << "\n";
      std::cerr << "imported " << i + 1 << "/" << total << "\n";
    }
    imported.push_back(std::move(*written));
  }
  if (caller.json) {
    std::cout << json{{"imported", imported.size()}, {"records", imported}}.dump() << "\n";
  }
  return {};
}

}  // namespace medchain::cli::records
