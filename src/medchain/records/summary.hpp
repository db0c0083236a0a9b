// Record summaries (docs/format.md, "Record summaries"): the title, date, kind and author's name
// of one record version, as a small JSON document encrypted under a key derived from the
// version's content key, so exactly the readers of the version can list, search and filter
// records by them while the node stores only ciphertext:
//   summary key = BLAKE2b-256(key = content key, message = "medchain summary v1")
//   sealed      = "MCS1" ‖ nonce (24) ‖ XChaCha20-Poly1305-IETF(plaintext, AAD, nonce, key)
//   AAD         = "MCS1" ‖ record id (32) ‖ version (u32 big-endian) ‖ digest (32)
// The AAD binds a summary to its version, so a node cannot show one version's summary for another.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/records/envelope.hpp>
#include <string>

namespace medchain::records {

inline constexpr std::array<std::uint8_t, 4> kSummaryMagic = {'M', 'C', 'S', '1'};
inline constexpr std::string_view kSummaryFormat = "summary/1";
inline constexpr std::size_t kMaxSummaryPlaintext = 2048;
inline constexpr std::size_t kSummaryNonceSize = 24;  // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr std::size_t kSummaryTagSize = 16;    // crypto_aead_xchacha20poly1305_ietf_ABYTES
inline constexpr std::size_t kMinSealedSummary =
    kSummaryMagic.size() + kSummaryNonceSize + kSummaryTagSize;
inline constexpr std::size_t kMaxSealedSummary = kMinSealedSummary + kMaxSummaryPlaintext;
inline constexpr std::size_t kMaxSummaryTitle = 200;  // characters (UTF-8 code points)
inline constexpr std::size_t kMaxSummaryName = 100;
inline constexpr std::size_t kMaxSummaryKind = 64;

using SummaryNonce = FixedBytes<kSummaryNonceSize, struct SummaryNonceTag>;

// What a reader lists. `date` is empty or a FHIR date/dateTime ("2026", "2026-03",
// "2026-03-14", "2026-03-14T09:30:00Z", offsets allowed); `author_name` may be empty.
struct RecordSummary {
  std::string title;
  std::string date;
  std::string kind;
  std::string author_name;
  friend bool operator==(const RecordSummary&, const RecordSummary&) = default;
};

// The canonical plaintext: {"authorName"?,"date"?,"kind","medchain":"summary/1","title"}, keys
// sorted, no whitespace, empty optional members left out. kInvalidArgument when a member breaks
// the rules (an empty or too long title, a malformed date or kind, a control character) or the
// whole is over kMaxSummaryPlaintext bytes.
Result<Bytes> encode_summary(const RecordSummary& summary);

// Parses and validates a plaintext (any member order and whitespace; no unknown members).
// kInvalidJson or kInvalidArgument when it is not a summary/1 document.
Result<RecordSummary> decode_summary(ByteView plaintext);

// BLAKE2b-256 keyed with the content key over "medchain summary v1".
ContentKey summary_key(const ContentKey& content_key);

// Seals `summary` for the version `binding` names, with a fresh random nonce.
Result<Bytes> seal_summary(const RecordSummary& summary, const ContentKey& content_key,
                           const KeyBinding& binding);
// The same with a given nonce: for test vectors only (a nonce must never repeat under one key).
Result<Bytes> seal_summary(const RecordSummary& summary, const ContentKey& content_key,
                           const KeyBinding& binding, const SummaryNonce& nonce);

// Opens a summary of the version `expected` names (taken from the chain, not from the node).
// kInvalidLength for a size outside kMinSealedSummary..kMaxSealedSummary; kDecryptFailed for a
// wrong magic, another key, an altered ciphertext or a summary bound to another record, version
// or digest; the errors of decode_summary for a plaintext that is not a valid summary.
Result<RecordSummary> open_summary(ByteView sealed, const ContentKey& content_key,
                                   const KeyBinding& expected);

}  // namespace medchain::records
