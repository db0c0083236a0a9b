#include <openssl/rand.h>

#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/federation/peer_request.hpp>
#include <stdexcept>

namespace medchain::federation {

Hash32 fresh_nonce() {
  Hash32 nonce;
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) throw std::bad_alloc();
  return nonce;
}

Result<eth::eip712::TypedData> peer_request_typed_data(const PeerRequest& request,
                                                       const records::StatementDomain& domain) {
  return records::statement_typed_data(domain, "PeerRequest",
                                       {{{"name", "from"}, {"type", "bytes32"}},
                                        {{"name", "to"}, {"type", "bytes32"}},
                                        {{"name", "method"}, {"type", "string"}},
                                        {{"name", "target"}, {"type", "string"}},
                                        {{"name", "bodyDigest"}, {"type", "bytes32"}},
                                        {{"name", "timestamp"}, {"type", "uint64"}},
                                        {{"name", "nonce"}, {"type", "bytes32"}}},
                                       {{"from", to_hex(request.from_node)},
                                        {"to", to_hex(request.to_node)},
                                        {"method", request.method},
                                        {"target", request.target},
                                        {"bodyDigest", to_hex(request.body_digest)},
                                        {"timestamp", std::to_string(request.timestamp)},
                                        {"nonce", to_hex(request.nonce)}});
}

Result<std::string> sign_peer_request(const PeerRequest& request,
                                      const records::StatementDomain& domain,
                                      const crypto::PrivateKey& operator_key) {
  MEDCHAIN_TRY(eth::eip712::TypedData data, peer_request_typed_data(request, domain));
  MEDCHAIN_TRY(Bytes signature, eth::eip712::sign(data, operator_key));
  return std::string(kPeerScheme) + " chain=" + std::to_string(domain.chain_id) +
         ", from=" + to_hex(request.from_node) + ", to=" + to_hex(request.to_node) +
         ", timestamp=" + std::to_string(request.timestamp) + ", nonce=" + to_hex(request.nonce) +
         ", signature=" + to_hex(signature);
}

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Result<std::uint64_t> decimal(std::string_view text, std::string_view name) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != text.npos) {
    return Error{Errc::kUnauthenticated,
                 "the peer header's " + std::string(name) + " is not a decimal number"};
  }
  return std::stoull(std::string(text));
}

template <class Fixed>
Result<Fixed> fixed(std::string_view text, std::string_view name) {
  auto value = from_hex_fixed<Fixed>(text);
  if (!value) {
    return Error{Errc::kUnauthenticated,
                 "the peer header's " + std::string(name) + " is not 0x hex of the right size"};
  }
  return *value;
}

}  // namespace

Result<PeerCredentials> parse_peer_authorization(std::string_view header) {
  header = trim(header);
  if (header.substr(0, kPeerScheme.size()) != kPeerScheme || header.size() == kPeerScheme.size() ||
      header[kPeerScheme.size()] != ' ') {
    return Error{Errc::kUnauthenticated,
                 "peer routes take Authorization: MedchainPeer chain=…, from=…, to=…, "
                 "timestamp=…, nonce=…, signature=…"};
  }
  std::map<std::string, std::string, std::less<>> fields;
  std::string_view rest = header.substr(kPeerScheme.size() + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view field = trim(rest.substr(0, comma));
    rest = comma == rest.npos ? std::string_view() : rest.substr(comma + 1);
    const auto equals = field.find('=');
    if (equals == field.npos) {
      return Error{Errc::kUnauthenticated, "the peer header has a field without a value"};
    }
    const std::string name(trim(field.substr(0, equals)));
    if (!fields.emplace(name, std::string(trim(field.substr(equals + 1)))).second) {
      return Error{Errc::kUnauthenticated, "the peer header repeats " + name};
    }
  }
  for (const char* name : {"chain", "from", "to", "timestamp", "nonce", "signature"}) {
    if (!fields.count(name)) {
      return Error{Errc::kUnauthenticated, std::string("the peer header has no ") + name};
    }
  }
  if (fields.size() != 6) return Error{Errc::kUnauthenticated, "the peer header has extra fields"};
  PeerCredentials credentials;
  MEDCHAIN_TRY(credentials.chain_id, decimal(fields["chain"], "chain"));
  MEDCHAIN_TRY(credentials.from_node, fixed<Hash32>(fields["from"], "from"));
  MEDCHAIN_TRY(credentials.to_node, fixed<Hash32>(fields["to"], "to"));
  MEDCHAIN_TRY(credentials.timestamp, decimal(fields["timestamp"], "timestamp"));
  MEDCHAIN_TRY(credentials.nonce, fixed<Hash32>(fields["nonce"], "nonce"));
  auto signature = from_hex(fields["signature"]);
  if (!signature.ok() || signature->size() != 65) {
    return Error{Errc::kUnauthenticated, "the peer header's signature is not 65 bytes of 0x hex"};
  }
  credentials.signature = std::move(*signature);
  return credentials;
}

}  // namespace medchain::federation
