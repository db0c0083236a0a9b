#include <cctype>
#include <ctime>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>

namespace medchain::eth {
namespace {

constexpr std::string_view kHeaderSuffix = " wants you to sign in with your Ethereum account:";

Error grammar(std::string_view what) {
  return Error{Errc::kInvalidArgument, "not a Sign-In with Ethereum message: " + std::string(what)};
}

Error failed(std::string_view what) {
  return Error{Errc::kCheckFailed, "sign-in rejected: " + std::string(what)};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

bool is_alphanumeric(std::string_view text) {
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Reads "Tag: value" at lines[i]; advances i when the tag matches.
std::optional<std::string> take_field(const std::vector<std::string_view>& lines, std::size_t& i,
                                      std::string_view tag) {
  if (i >= lines.size()) return std::nullopt;
  const std::string prefix = std::string(tag) + ": ";
  if (lines[i].rfind(prefix, 0) != 0) return std::nullopt;
  return std::string(lines[i++].substr(prefix.size()));
}

std::string authority_of(std::string_view uri) {
  const std::size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = uri.substr(scheme_end + 3);
  return std::string(rest.substr(0, rest.find_first_of("/?#")));
}

}  // namespace

Result<std::int64_t> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  auto digits = [&](std::size_t pos, std::size_t count) -> std::optional<int> {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t k = pos; k < pos + count; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[k]))) return std::nullopt;
      value = value * 10 + (text[k] - '0');
    }
    return value;
  };
  const Error bad{Errc::kInvalidArgument, "not an RFC 3339 timestamp: " + std::string(text)};
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return bad;
  }
  auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return bad;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return bad;
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    auto off_hour = digits(pos + 1, 2), off_minute = digits(pos + 4, 2);
    if (!off_hour || !off_minute || pos + 3 >= text.size() || text[pos + 3] != ':') return bad;
    offset = (*off_hour * 3600 + *off_minute * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return bad;
  }
  if (pos != text.size()) return bad;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::string format_rfc3339(std::int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<SiweMessage> parse_siwe(std::string_view text) {
  const std::vector<std::string_view> lines = split_lines(text);
  SiweMessage m;
  if (lines.size() < 8) return grammar("too short");
  std::string_view header = lines[0];
  if (header.size() <= kHeaderSuffix.size() ||
      header.substr(header.size() - kHeaderSuffix.size()) != kHeaderSuffix) {
    return grammar("the first line must end with \"" + std::string(kHeaderSuffix) + "\"");
  }
  std::string_view origin = header.substr(0, header.size() - kHeaderSuffix.size());
  if (const std::size_t sep = origin.find("://"); sep != std::string_view::npos) {
    m.scheme = std::string(origin.substr(0, sep));
    origin.remove_prefix(sep + 3);
  }
  if (origin.empty() || origin.find_first_of(" /") != std::string_view::npos) {
    return grammar("invalid domain");
  }
  m.domain = std::string(origin);
  // The EIP requires the EIP-55 form, so an all-lowercase address is refused too.
  auto address = parse_address(lines[1]);
  if (!address || to_checksum(*address) != lines[1])
    return grammar("the address must be EIP-55 checksummed");
  m.address = *address;
  if (!lines[2].empty()) return grammar("expected an empty line after the address");
  std::size_t i = 3;
  if (!lines[i].empty()) {
    if (lines[i].find('\n') != std::string_view::npos) return grammar("statement spans lines");
    m.statement = std::string(lines[i++]);
  }
  if (i >= lines.size() || !lines[i].empty()) return grammar("expected an empty line before URI");
  ++i;
  auto uri = take_field(lines, i, "URI");
  auto version = take_field(lines, i, "Version");
  auto chain_id = take_field(lines, i, "Chain ID");
  auto nonce = take_field(lines, i, "Nonce");
  auto issued_at = take_field(lines, i, "Issued At");
  if (!uri || !version || !chain_id || !nonce || !issued_at) {
    return grammar("URI, Version, Chain ID, Nonce and Issued At are required, in that order");
  }
  if (uri->empty() || uri->find("://") == std::string::npos) return grammar("invalid URI");
  if (*version != "1") return grammar("Version must be 1");
  if (chain_id->empty() || chain_id->size() > 19 ||
      chain_id->find_first_not_of("0123456789") != std::string::npos) {
    return grammar("invalid Chain ID");
  }
  if (nonce->size() < 8 || !is_alphanumeric(*nonce))
    return grammar("the nonce must be >= 8 alphanumeric characters");
  if (!parse_rfc3339(*issued_at)) return grammar("invalid Issued At");
  m.uri = *uri;
  m.version = *version;
  m.chain_id = std::stoull(*chain_id);
  m.nonce = *nonce;
  m.issued_at = *issued_at;
  m.expiration_time = take_field(lines, i, "Expiration Time");
  m.not_before = take_field(lines, i, "Not Before");
  m.request_id = take_field(lines, i, "Request ID");
  if (m.expiration_time && !parse_rfc3339(*m.expiration_time))
    return grammar("invalid Expiration Time");
  if (m.not_before && !parse_rfc3339(*m.not_before)) return grammar("invalid Not Before");
  if (i < lines.size() && lines[i] == "Resources:") {
    for (++i; i < lines.size() && lines[i].rfind("- ", 0) == 0; ++i) {
      m.resources.emplace_back(lines[i].substr(2));
    }
  }
  if (i != lines.size()) return grammar("unexpected line: " + std::string(lines[i]));
  return m;
}

std::string format_siwe(const SiweMessage& m) {
  std::string out;
  if (!m.scheme.empty()) out += m.scheme + "://";
  out += m.domain;
  out += kHeaderSuffix;
  out += "\n" + to_checksum(m.address) + "\n\n";
  if (m.statement) out += *m.statement + "\n";
  out += "\nURI: " + m.uri;
  out += "\nVersion: " + m.version;
  out += "\nChain ID: " + std::to_string(m.chain_id);
  out += "\nNonce: " + m.nonce;
  out += "\nIssued At: " + m.issued_at;
  if (m.expiration_time) out += "\nExpiration Time: " + *m.expiration_time;
  if (m.not_before) out += "\nNot Before: " + *m.not_before;
  if (m.request_id) out += "\nRequest ID: " + *m.request_id;
  if (!m.resources.empty()) {
    out += "\nResources:";
    for (const std::string& resource : m.resources) out += "\n- " + resource;
  }
  return out;
}

Result<SiweMessage> verify_siwe(std::string_view text, ByteView signature,
                                const SiweExpectations& expected) {
  MEDCHAIN_TRY(SiweMessage m, parse_siwe(text));
  if (m.domain != expected.domain)
    return failed("domain " + m.domain + " is not " + expected.domain);
  if (expected.uri.empty() ? authority_of(m.uri) != expected.domain : m.uri != expected.uri) {
    return failed("URI " + m.uri + " does not belong to " + expected.domain);
  }
  if (m.chain_id != expected.chain_id) {
    return failed("chain id " + std::to_string(m.chain_id) + " is not " +
                  std::to_string(expected.chain_id));
  }
  if (m.nonce != expected.nonce) return failed("the nonce was not issued for this sign-in");
  if (parse_rfc3339(m.issued_at).value() > expected.now + expected.max_clock_skew) {
    return failed("issued in the future");
  }
  if (m.expiration_time && parse_rfc3339(*m.expiration_time).value() <= expected.now) {
    return failed("the message has expired");
  }
  if (m.not_before && parse_rfc3339(*m.not_before).value() > expected.now) {
    return failed("the message is not valid yet");
  }
  auto signer = recover_personal_signer(as_bytes(text), signature);
  if (!signer) return failed("bad signature: " + signer.error().message);
  if (*signer != m.address) return failed("the signature is not by " + to_checksum(m.address));
  return m;
}

}  // namespace medchain::eth
