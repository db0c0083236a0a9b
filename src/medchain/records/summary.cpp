#include <sodium.h>

#include <algorithm>
#include <medchain/records/summary.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace medchain::records {
namespace {

using nlohmann::json;

constexpr std::string_view kSummaryKeyMessage = "medchain summary v1";
constexpr std::size_t kAadSize = kSummaryMagic.size() + 32 + 4 + 32;

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

Error invalid(const std::string& message) {
  return Error{Errc::kInvalidArgument, message};
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

// A FHIR date or dateTime (https://hl7.org/fhir/R4/datatypes.html#dateTime), seconds optional.
bool valid_date(const std::string& date) {
  static const std::regex kDate(
      R"(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?)");
  return std::regex_match(date, kDate);
}

bool valid_kind(const std::string& kind) {
  static const std::regex kKind(R"([A-Za-z0-9][A-Za-z0-9.+/-]*)");
  return !kind.empty() && kind.size() <= kMaxSummaryKind && std::regex_match(kind, kKind);
}

Status check(const RecordSummary& summary) {
  if (summary.title.empty() || code_points(summary.title) > kMaxSummaryTitle ||
      has_control(summary.title)) {
    return invalid("a summary's title has 1 to 200 characters and no control characters");
  }
  if (!summary.date.empty() && !valid_date(summary.date)) {
    return invalid("a summary's date is a FHIR date or dateTime (YYYY-MM-DD, or with a time)");
  }
  if (!valid_kind(summary.kind)) {
    return invalid("a summary's kind is a FHIR resource type or a media type (at most 64 chars)");
  }
  if (code_points(summary.author_name) > kMaxSummaryName || has_control(summary.author_name)) {
    return invalid("a summary's author name has at most 100 characters, no control characters");
  }
  return {};
}

std::array<std::uint8_t, kAadSize> aad_of(const KeyBinding& binding) {
  std::array<std::uint8_t, kAadSize> aad{};
  auto at = std::copy(kSummaryMagic.begin(), kSummaryMagic.end(), aad.begin());
  at = std::copy(binding.record_id.bytes.begin(), binding.record_id.bytes.end(), at);
  for (int shift = 24; shift >= 0; shift -= 8)
    *at++ = static_cast<std::uint8_t>(binding.version >> shift);
  std::copy(binding.digest.bytes.begin(), binding.digest.bytes.end(), at);
  return aad;
}

}  // namespace

Result<Bytes> encode_summary(const RecordSummary& summary) {
  MEDCHAIN_TRY_STATUS(check(summary));
  json document = {{"medchain", kSummaryFormat}, {"title", summary.title}, {"kind", summary.kind}};
  if (!summary.date.empty()) document["date"] = summary.date;
  if (!summary.author_name.empty()) document["authorName"] = summary.author_name;
  std::string text;
  try {
    text = document.dump();  // nlohmann orders an object's keys; no whitespace
  } catch (const json::type_error&) {
    return invalid("a summary's text is not valid UTF-8");
  }
  if (text.size() > kMaxSummaryPlaintext) {
    return invalid("a summary has at most " + std::to_string(kMaxSummaryPlaintext) + " bytes");
  }
  return Bytes(text.begin(), text.end());
}

Result<RecordSummary> decode_summary(ByteView plaintext) {
  if (plaintext.size() > kMaxSummaryPlaintext) {
    return Error{Errc::kTooLarge, "a summary has at most 2048 bytes"};
  }
  const json document = json::parse(plaintext.begin(), plaintext.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return Error{Errc::kInvalidJson, "a summary is a JSON object"};
  }
  for (const auto& [name, value] : document.items()) {
    if (name != "medchain" && name != "title" && name != "date" && name != "kind" &&
        name != "authorName") {
      return invalid("a summary/1 has no member \"" + name + "\"");
    }
    if (!value.is_string()) return invalid("a summary's \"" + name + "\" is a string");
  }
  if (document.value("medchain", "") != kSummaryFormat) {
    return invalid("not a summary/1 document");
  }
  RecordSummary summary{document.value("title", ""), document.value("date", ""),
                        document.value("kind", ""), document.value("authorName", "")};
  if (document.contains("date") && summary.date.empty())
    return invalid("an empty date is left out");
  MEDCHAIN_TRY_STATUS(check(summary));
  return summary;
}

ContentKey summary_key(const ContentKey& content_key) {
  ensure_sodium();
  ContentKey key;
  crypto_generichash(key.data(), key.size(),
                     reinterpret_cast<const std::uint8_t*>(kSummaryKeyMessage.data()),
                     kSummaryKeyMessage.size(), content_key.data(), content_key.size());
  return key;
}

Result<Bytes> seal_summary(const RecordSummary& summary, const ContentKey& content_key,
                           const KeyBinding& binding) {
  ensure_sodium();
  SummaryNonce nonce;
  randombytes_buf(nonce.data(), nonce.size());
  return seal_summary(summary, content_key, binding, nonce);
}

Result<Bytes> seal_summary(const RecordSummary& summary, const ContentKey& content_key,
                           const KeyBinding& binding, const SummaryNonce& nonce) {
  MEDCHAIN_TRY(Bytes plain, encode_summary(summary));
  ensure_sodium();
  const ContentKey key = summary_key(content_key);
  const auto aad = aad_of(binding);
  Bytes sealed(kSummaryMagic.begin(), kSummaryMagic.end());
  sealed.insert(sealed.end(), nonce.bytes.begin(), nonce.bytes.end());
  const std::size_t header = sealed.size();
  sealed.resize(header + plain.size() + kSummaryTagSize);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + header, &written, plain.data(),
                                             plain.size(), aad.data(), aad.size(), nullptr,
                                             nonce.data(), key.data());
  sodium_memzero(plain.data(), plain.size());
  sealed.resize(header + written);
  return sealed;
}

Result<RecordSummary> open_summary(ByteView sealed, const ContentKey& content_key,
                                   const KeyBinding& expected) {
  if (sealed.size() < kMinSealedSummary || sealed.size() > kMaxSealedSummary) {
    return Error{Errc::kInvalidLength, "a sealed summary has " + std::to_string(kMinSealedSummary) +
                                           " to " + std::to_string(kMaxSealedSummary) +
                                           " bytes, got " + std::to_string(sealed.size())};
  }
  if (!std::equal(kSummaryMagic.begin(), kSummaryMagic.end(), sealed.begin())) {
    return Error{Errc::kDecryptFailed, "not a sealed summary (no \"MCS1\")"};
  }
  ensure_sodium();
  const ContentKey key = summary_key(content_key);
  const auto aad = aad_of(expected);
  const std::uint8_t* nonce = sealed.data() + kSummaryMagic.size();
  const std::size_t header = kSummaryMagic.size() + kSummaryNonceSize;
  Bytes plain(sealed.size() - header - kSummaryTagSize);
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &length, nullptr,
                                                 sealed.data() + header, sealed.size() - header,
                                                 aad.data(), aad.size(), nonce, key.data()) != 0) {
    return Error{Errc::kDecryptFailed,
                 "the summary does not open: another version's, another key's, or altered"};
  }
  return decode_summary(plain);
}

}  // namespace medchain::records
