// Sign-In with Ethereum (EIP-4361): the message format and its verification.
//
// The node hands out a nonce, the wallet signs the message as an EIP-191 personal message, and
// verify_siwe() checks everything the EIP asks a relying party to check, except that the nonce
// is single-use: only the session store can know that.
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::eth {

struct SiweMessage {
  std::string scheme;  // optional, e.g. "https"
  std::string domain;  // RFC 3986 authority, e.g. "medchain.example:8080"
  Address address;
  std::optional<std::string> statement;
  std::string uri;
  std::string version = "1";
  std::uint64_t chain_id = 1;
  std::string nonce;      // >= 8 alphanumeric characters
  std::string issued_at;  // RFC 3339, as written in the message
  std::optional<std::string> expiration_time;
  std::optional<std::string> not_before;
  std::optional<std::string> request_id;
  std::vector<std::string> resources;
};

// Parses the text a wallet signed. kInvalidArgument with the offending line on any deviation
// from the EIP-4361 grammar (an address without a valid EIP-55 checksum included).
Result<SiweMessage> parse_siwe(std::string_view text);

// The canonical text of `message` (parse_siwe(format_siwe(m)) == m).
std::string format_siwe(const SiweMessage& message);

// Parses an RFC 3339 timestamp ("2021-09-30T16:25:24Z", "…T16:25:24.000+02:00") into Unix
// seconds (fractions truncated).
Result<std::int64_t> parse_rfc3339(std::string_view text);
std::string format_rfc3339(std::int64_t unix_seconds);  // "YYYY-MM-DDTHH:MM:SSZ"

// What the relying party expects of a sign-in.
struct SiweExpectations {
  std::string domain;
  std::string uri;  // empty: any URI whose authority is `domain`
  std::uint64_t chain_id = 1;
  std::string nonce;                 // the nonce the node issued for this attempt
  std::int64_t now = 0;              // Unix seconds
  std::int64_t max_clock_skew = 60;  // tolerated for issued-at in the future
};

// Parses and checks a signed sign-in: the grammar, domain, URI, chain id, nonce, issued-at /
// expiration / not-before against `now`, and that the EIP-191 signature (65 bytes r||s||v)
// recovers the message's address. kCheckFailed names the first check that failed.
Result<SiweMessage> verify_siwe(std::string_view text, ByteView signature,
                                const SiweExpectations& expected);

}  // namespace medchain::eth
