// AWS Signature Version 4 for S3 requests, signed in the Authorization header
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). The
// canonical request, the string to sign and the signing key are built exactly as that page
// spells them out; sigv4_test.cpp checks them against the page's published examples.
#pragma once

#include <chrono>
#include <medchain/store/s3_credentials.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medchain::store::detail {

// What the signature covers. Header names may be in any case; they are signed lower-cased and
// sorted, with their values trimmed. `path` is the request path before encoding
// ("/bucket/key"); `query` holds decoded names and values.
struct SigV4Request {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // must include host
  std::string payload_hash;                                  // lower-case hex SHA-256
  std::string amz_date;                                      // "20130524T000000Z"
  std::string region;
  std::string service = "s3";
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~)
// stay, every other byte becomes %XY (upper-case hex); '/' stays when `keep_slash`.
std::string sigv4_uri_encode(std::string_view text, bool keep_slash);

// "GET\n/test.txt\n\nhost:...\n...\n\nhost;range;...\n<payload hash>"
std::string sigv4_canonical_request(const SigV4Request& request);
// The encoded query string, sorted by name then value: the same string must go on the wire.
std::string sigv4_canonical_query(const std::vector<std::pair<std::string, std::string>>& query);
// "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex SHA-256 of the canonical request>"
std::string sigv4_string_to_sign(const SigV4Request& request);
// The hex signature.
std::string sigv4_signature(const SigV4Request& request, const S3Credentials& credentials);
// "AWS4-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=..."
std::string sigv4_authorization(const SigV4Request& request, const S3Credentials& credentials);

// The x-amz-date form of a time point (UTC).
std::string sigv4_amz_date(std::chrono::system_clock::time_point when);

// The SHA-256 of an empty payload, in hex.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace medchain::store::detail
