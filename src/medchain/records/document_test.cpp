#include <gtest/gtest.h>

#include <medchain/records/document.hpp>
#include <medchain/records/fhir.hpp>

namespace medchain::records {
namespace {

Manifest file_manifest(std::uint64_t size) {
  const Attachment attachment{"image/png", size, "xray.png"};
  return {fhir::document_reference_for(attachment), attachment};
}

TEST(Document, RoundTripsAManifestAndAnAttachmentInAnyPieces) {
  Bytes attachment(100000);
  for (std::size_t i = 0; i < attachment.size(); ++i)
    attachment[i] = static_cast<std::uint8_t>(i * 7);
  const Manifest manifest = file_manifest(attachment.size());
  const Bytes document = encode_document(manifest, attachment).value();
  for (std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{65536}, document.size()}) {
    Bytes got;
    DocumentReader reader([&](ByteView part) -> Status {
      got.insert(got.end(), part.begin(), part.end());
      return {};
    });
    for (std::size_t at = 0; at < document.size(); at += piece) {
      ASSERT_TRUE(
          reader.update(ByteView(document).subspan(at, std::min(piece, document.size() - at)))
              .ok());
    }
    const Manifest decoded = reader.finish().value();
    EXPECT_EQ(decoded.resource, manifest.resource);
    EXPECT_EQ(decoded.attachment, manifest.attachment);
    EXPECT_EQ(got, attachment) << piece;
  }
}

TEST(Document, StartsWithTheBigEndianManifestLength) {
  const Manifest manifest{{{"resourceType", "Patient"}}, std::nullopt};
  const Bytes document = encode_document(manifest, {}).value();
  const std::string text = manifest_to_json(manifest).dump();
  ASSERT_EQ(document.size(), 4 + text.size());
  EXPECT_EQ(document[3], text.size());
  EXPECT_EQ(std::string(document.begin() + 4, document.end()), text);
  const auto decoded = decode_document(document).value();
  EXPECT_FALSE(decoded.manifest.attachment);
  EXPECT_TRUE(decoded.attachment.empty());
}

TEST(Document, RefusesMalformedDocuments) {
  const Bytes good = encode_document(file_manifest(3), Bytes{1, 2, 3}).value();
  EXPECT_EQ(decode_document(ByteView(good).first(good.size() - 1)).error().code,
            Errc::kInvalidJson);
  Bytes longer = good;
  longer.push_back(4);
  EXPECT_EQ(decode_document(longer).error().code, Errc::kTrailingBytes);
  EXPECT_EQ(decode_document(Bytes{0, 0, 0, 0}).error().code, Errc::kInvalidJson);
  EXPECT_EQ(decode_document(Bytes{0, 0x10, 0, 1}).error().code, Errc::kInvalidJson);  // > 1 MiB
  EXPECT_EQ(decode_document(Bytes{0, 0}).error().code, Errc::kInvalidJson);
  const std::string not_json = "{nope";
  Bytes bad{0, 0, 0, static_cast<std::uint8_t>(not_json.size())};
  bad.insert(bad.end(), not_json.begin(), not_json.end());
  EXPECT_EQ(decode_document(bad).error().code, Errc::kInvalidJson);
  EXPECT_EQ(manifest_from_json(
                {{"medchain", "record/2"}, {"resource", {{"a", 1}}}, {"attachment", nullptr}})
                .error()
                .code,
            Errc::kInvalidJson);
  EXPECT_EQ(
      manifest_from_json({{"medchain", "record/1"},
                          {"resource", {{"a", 1}}},
                          {"attachment", {{"contentType", "x"}, {"size", -1}, {"title", ""}}}})
          .error()
          .code,
      Errc::kInvalidJson);
}

TEST(Document, RefusesAManifestOverOneMebibyte) {
  const Manifest manifest{{{"resourceType", "Patient"}, {"text", std::string(1 << 20, 'a')}},
                          std::nullopt};
  EXPECT_EQ(document_prefix(manifest).error().code, Errc::kTooLarge);
}

}  // namespace
}  // namespace medchain::records
