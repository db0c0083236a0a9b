#include <gtest/gtest.h>

#include <medchain/crypto/sha256.hpp>
#include <medchain/records/summary.hpp>

namespace medchain::records {
namespace {

KeyBinding binding_of(const std::string& name, std::uint32_t version) {
  return {crypto::sha256(as_bytes("record " + name)), version,
          crypto::sha256(as_bytes("digest " + name))};
}

const RecordSummary kSummary{"HbA1c", "2026-03-14", "Observation", "Dr. Alice Example"};

TEST(RecordSummary, SealedSummaryOpensForItsVersion) {
  const ContentKey key = new_content_key();
  const KeyBinding binding = binding_of("a", 2);
  const Bytes sealed = seal_summary(kSummary, key, binding).value();
  EXPECT_LE(sealed.size(), kMaxSealedSummary);
  const auto opened = open_summary(sealed, key, binding);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, kSummary);
}

TEST(RecordSummary, TwoSealingsDifferByTheirNonce) {
  const ContentKey key = new_content_key();
  EXPECT_NE(seal_summary(kSummary, key, binding_of("a", 1)).value(),
            seal_summary(kSummary, key, binding_of("a", 1)).value());
}

TEST(RecordSummary, AnotherVersionRecordOrDigestDoesNotOpen) {
  const ContentKey key = new_content_key();
  const KeyBinding binding = binding_of("a", 2);
  const Bytes sealed = seal_summary(kSummary, key, binding).value();
  KeyBinding other_version = binding;
  other_version.version = 3;
  KeyBinding other_record = binding;
  other_record.record_id.bytes[31] ^= 1;
  KeyBinding other_digest = binding;
  other_digest.digest.bytes[0] ^= 1;
  for (const KeyBinding& wrong : {other_version, other_record, other_digest}) {
    const auto refused = open_summary(sealed, key, wrong);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::kDecryptFailed);
  }
}

TEST(RecordSummary, TamperedOrWrongKeyDoesNotOpen) {
  const ContentKey key = new_content_key();
  const KeyBinding binding = binding_of("a", 1);
  const Bytes sealed = seal_summary(kSummary, key, binding).value();
  for (std::size_t at : {std::size_t{0}, std::size_t{10}, sealed.size() - 1}) {
    Bytes altered = sealed;
    altered[at] ^= 1;
    const auto refused = open_summary(altered, key, binding);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::kDecryptFailed);
  }
  EXPECT_EQ(open_summary(sealed, new_content_key(), binding).error().code, Errc::kDecryptFailed);
  EXPECT_EQ(open_summary(ByteView(sealed).first(kMinSealedSummary - 1), key, binding).error().code,
            Errc::kInvalidLength);
}

TEST(RecordSummary, TheSummaryKeyIsNotTheContentKey) {
  const ContentKey key = new_content_key();
  EXPECT_NE(summary_key(key), key);
  EXPECT_EQ(summary_key(key), summary_key(key));
}

TEST(RecordSummary, EncodingIsCanonicalAndLeavesOutEmptyMembers) {
  const Bytes text = encode_summary({"Allergy", "", "AllergyIntolerance", ""}).value();
  EXPECT_EQ(std::string(text.begin(), text.end()),
            R"({"kind":"AllergyIntolerance","medchain":"summary/1","title":"Allergy"})");
  const Bytes full = encode_summary(kSummary).value();
  EXPECT_EQ(std::string(full.begin(), full.end()),
            R"({"authorName":"Dr. Alice Example","date":"2026-03-14","kind":"Observation",)"
            R"("medchain":"summary/1","title":"HbA1c"})");
}

TEST(RecordSummary, InvalidMembersAreRefusedWhenSealing) {
  const ContentKey key = new_content_key();
  for (const RecordSummary& bad : {
           RecordSummary{"", "2026-03-14", "Observation", ""},
           RecordSummary{std::string(201, 'x'), "", "Observation", ""},
           RecordSummary{"a\tb", "", "Observation", ""},
           RecordSummary{"x", "2026-02-30T", "Observation", ""},
           RecordSummary{"x", "yesterday", "Observation", ""},
           RecordSummary{"x", "", "", ""},
           RecordSummary{"x", "", "Observation", std::string(101, 'n')},
       }) {
    EXPECT_EQ(seal_summary(bad, key, binding_of("a", 1)).error().code, Errc::kInvalidArgument)
        << bad.title << " " << bad.date;
  }
  // A long title in characters, not bytes: 200 umlauts are 400 bytes and still fine.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "\u00fc";
  EXPECT_TRUE(seal_summary({umlauts, "2026", "Observation", ""}, key, binding_of("a", 1)).ok());
}

TEST(RecordSummary, DatesFollowFhir) {
  const ContentKey key = new_content_key();
  for (const char* date : {"2026", "2026-03", "2026-03-14", "2026-03-14T09:30Z",
                           "2026-03-14T09:30:00.123+01:00", "2026-03-14T23:59:59-05:00"}) {
    EXPECT_TRUE(seal_summary({"x", date, "Observation", ""}, key, binding_of("a", 1)).ok()) << date;
  }
}

}  // namespace
}  // namespace medchain::records
