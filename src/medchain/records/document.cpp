#include <algorithm>
#include <medchain/records/document.hpp>

namespace medchain::records {
namespace {

constexpr std::string_view kDocumentVersion = "record/1";
constexpr std::size_t kPrefixSize = 4;

Error invalid(std::string what) {
  return Error{Errc::kInvalidJson, std::move(what)};
}

Result<Attachment> attachment_from_json(const nlohmann::json& json) {
  const auto type = json.find("contentType");
  const auto size = json.find("size");
  const auto title = json.find("title");
  if (type == json.end() || !type->is_string() || size == json.end() ||
      !size->is_number_unsigned() || title == json.end() || !title->is_string()) {
    return invalid("the manifest's attachment needs contentType, size and title");
  }
  return Attachment{type->get<std::string>(), size->get<std::uint64_t>(),
                    title->get<std::string>()};
}

}  // namespace

nlohmann::json manifest_to_json(const Manifest& manifest) {
  nlohmann::json attachment = nullptr;
  if (manifest.attachment) {
    attachment = {{"contentType", manifest.attachment->content_type},
                  {"size", manifest.attachment->size},
                  {"title", manifest.attachment->title}};
  }
  return {{"medchain", kDocumentVersion},
          {"resource", manifest.resource},
          {"attachment", std::move(attachment)}};
}

Result<Manifest> manifest_from_json(const nlohmann::json& json) {
  if (!json.is_object() || json.value("medchain", "") != kDocumentVersion) {
    return invalid("not a medchain record document of version record/1");
  }
  const auto resource = json.find("resource");
  const auto attachment = json.find("attachment");
  if (resource == json.end() || !resource->is_object()) {
    return invalid("the manifest has no resource object");
  }
  if (attachment == json.end() || !(attachment->is_null() || attachment->is_object())) {
    return invalid("the manifest's attachment must be null or an object");
  }
  Manifest manifest{*resource, std::nullopt};
  if (attachment->is_object()) {
    MEDCHAIN_TRY(manifest.attachment, attachment_from_json(*attachment));
  }
  return manifest;
}

Result<Bytes> document_prefix(const Manifest& manifest) {
  const std::string text = manifest_to_json(manifest).dump();
  if (text.size() > kMaxManifestSize) {
    return Error{Errc::kTooLarge, "the record's manifest exceeds 1 MiB"};
  }
  const auto size = static_cast<std::uint32_t>(text.size());
  Bytes out{static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
            static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

DocumentReader::DocumentReader(PlaintextSink attachment) : attachment_(std::move(attachment)) {}

Status DocumentReader::take_manifest() {
  const nlohmann::json json = nlohmann::json::parse(head_.begin() + kPrefixSize, head_.end(),
                                                    nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return invalid("the record's manifest is not JSON");
  MEDCHAIN_TRY(manifest_, manifest_from_json(json));
  head_.clear();
  head_.shrink_to_fit();
  return {};
}

Status DocumentReader::update(ByteView plaintext) {
  while (!manifest_ && !plaintext.empty()) {
    const std::size_t want =
        head_.size() < kPrefixSize ? kPrefixSize : kPrefixSize + manifest_size_;
    const std::size_t take = std::min(plaintext.size(), want - head_.size());
    head_.insert(head_.end(), plaintext.begin(), plaintext.begin() + take);
    plaintext = plaintext.subspan(take);
    if (head_.size() == kPrefixSize && manifest_size_ == 0) {
      manifest_size_ = std::uint32_t{head_[0]} << 24 | std::uint32_t{head_[1]} << 16 |
                       std::uint32_t{head_[2]} << 8 | std::uint32_t{head_[3]};
      if (manifest_size_ == 0 || manifest_size_ > kMaxManifestSize) {
        return invalid("the record's manifest length is outside 1..1,048,576 bytes");
      }
    } else if (head_.size() == kPrefixSize + manifest_size_) {
      MEDCHAIN_TRY_STATUS(take_manifest());
    }
  }
  if (plaintext.empty()) return {};
  const std::uint64_t announced = manifest_->attachment ? manifest_->attachment->size : 0;
  if (plaintext.size() > announced - attachment_seen_) {
    return Error{Errc::kTrailingBytes, "the record has more attachment bytes than it announces"};
  }
  attachment_seen_ += plaintext.size();
  return attachment_(plaintext);
}

Result<Manifest> DocumentReader::finish() {
  if (!manifest_) return invalid("the record document ends inside its manifest");
  const std::uint64_t announced = manifest_->attachment ? manifest_->attachment->size : 0;
  if (attachment_seen_ != announced) {
    return invalid("the record's attachment is shorter than it announces");
  }
  return std::move(*manifest_);
}

Result<Bytes> encode_document(const Manifest& manifest, ByteView attachment) {
  MEDCHAIN_TRY(Bytes out, document_prefix(manifest));
  out.insert(out.end(), attachment.begin(), attachment.end());
  return out;
}

Result<DecodedDocument> decode_document(ByteView document) {
  Bytes attachment;
  DocumentReader reader([&](ByteView piece) -> Status {
    attachment.insert(attachment.end(), piece.begin(), piece.end());
    return {};
  });
  MEDCHAIN_TRY_STATUS(reader.update(document));
  MEDCHAIN_TRY(Manifest manifest, reader.finish());
  return DecodedDocument{std::move(manifest), std::move(attachment)};
}

}  // namespace medchain::records
