#include "sigv4.hpp"

#include <algorithm>
#include <ctime>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>

namespace medchain::store::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Leading and trailing spaces go, and inner runs of spaces become one (the "Trimall" rule).
std::string trimmed(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> canonical_headers(const SigV4Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers)
    headers.emplace_back(lower(name), trimmed(value));
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string scope(const SigV4Request& request) {
  return request.amz_date.substr(0, 8) + "/" + request.region + "/" + request.service +
         "/aws4_request";
}

Hash32 hmac(ByteView key, std::string_view data) {
  return crypto::hmac_sha256(key, as_bytes(data));
}

}  // namespace

std::string sigv4_uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string sigv4_canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query) {
    encoded.emplace_back(sigv4_uri_encode(name, false), sigv4_uri_encode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string sigv4_canonical_request(const SigV4Request& request) {
  const auto headers = canonical_headers(request);
  std::string out = request.method + "\n" + sigv4_uri_encode(request.path, true) + "\n" +
                    sigv4_canonical_query(request.query) + "\n";
  for (const auto& [name, value] : headers) out += name + ":" + value + "\n";
  out += "\n" + signed_header_names(headers) + "\n" + request.payload_hash;
  return out;
}

std::string sigv4_string_to_sign(const SigV4Request& request) {
  return "AWS4-HMAC-SHA256\n" + request.amz_date + "\n" + scope(request) + "\n" +
         to_hex(crypto::sha256(as_bytes(sigv4_canonical_request(request))), false);
}

std::string sigv4_signature(const SigV4Request& request, const S3Credentials& credentials) {
  const Hash32 date_key =
      hmac(as_bytes("AWS4" + credentials.secret_access_key), request.amz_date.substr(0, 8));
  const Hash32 region_key = hmac(date_key, request.region);
  const Hash32 service_key = hmac(region_key, request.service);
  const Hash32 signing_key = hmac(service_key, "aws4_request");
  return to_hex(hmac(signing_key, sigv4_string_to_sign(request)), false);
}

std::string sigv4_authorization(const SigV4Request& request, const S3Credentials& credentials) {
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope(request) +
         ",SignedHeaders=" + signed_header_names(canonical_headers(request)) +
         ",Signature=" + sigv4_signature(request, credentials);
}

std::string sigv4_amz_date(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

}  // namespace medchain::store::detail
