// The record document, the plaintext inside an envelope (docs/format.md, "Record document"):
// `u32 big-endian L ‖ L bytes of manifest JSON ‖ attachment bytes`. The manifest holds the
// FHIR resource and describes the attachment; the attachment (an X-ray, a PDF) streams after
// it, so a reader never holds more than the manifest in memory.
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <medchain/records/envelope.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace medchain::records {

inline constexpr std::size_t kMaxManifestSize = 1u << 20;  // 1 MiB

struct Attachment {
  std::string content_type;  // e.g. "image/png"
  std::uint64_t size{0};     // bytes following the manifest
  std::string title;         // e.g. the file name

  bool operator==(const Attachment&) const = default;
};

struct Manifest {
  nlohmann::json resource;  // a FHIR R4 resource object (validated by validate_resource)
  std::optional<Attachment> attachment;
};

nlohmann::json manifest_to_json(const Manifest& manifest);
// kInvalidJson for a manifest not of the form {"medchain": "record/1", "resource": {…},
// "attachment": null | {"contentType", "size", "title"}}.
Result<Manifest> manifest_from_json(const nlohmann::json& json);

// The document's first bytes: the length prefix and the manifest JSON. The attachment's bytes,
// if any, follow. kTooLarge for a manifest over kMaxManifestSize.
Result<Bytes> document_prefix(const Manifest& manifest);

// Splits a record document pushed in pieces of any size (typically a Decryptor's output) into
// its manifest and attachment, the attachment's bytes going to a sink as they come.
class DocumentReader {
 public:
  explicit DocumentReader(PlaintextSink attachment);

  // kInvalidJson for a bad length prefix or manifest; kTrailingBytes for more attachment bytes
  // than the manifest says; any error of the sink.
  Status update(ByteView plaintext);
  // The manifest, once the document ended with exactly the announced attachment size.
  Result<Manifest> finish();

 private:
  Status take_manifest();

  PlaintextSink attachment_;
  Bytes head_;  // the length prefix, then the manifest while it is incomplete
  std::uint32_t manifest_size_{0};
  std::optional<Manifest> manifest_;
  std::uint64_t attachment_seen_{0};
};

// Whole-buffer helper: the document of a manifest and its attachment bytes.
Result<Bytes> encode_document(const Manifest& manifest, ByteView attachment);

struct DecodedDocument {
  Manifest manifest;
  Bytes attachment;
};
Result<DecodedDocument> decode_document(ByteView document);

}  // namespace medchain::records
