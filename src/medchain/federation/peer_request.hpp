// A request from one storage node to another, signed by the calling node's operator: the
// account the chain registered for its node id (registerStorageNode), which also anchors the
// node's audit log. The signature is EIP-712 typed data under the domain every medchain statement
// uses (records::statement_typed_data: "medchain", version 1, the chain id and the contract), so
// a request signed for another chain or deployment recovers to nobody registered here.
//
// On the wire it is one header (docs/api.md, "Peer API"):
//   Authorization: MedchainPeer chain=<id>, from=<node id>, to=<node id>, timestamp=<unix s>,
//                  nonce=<0x 32 bytes>, signature=<0x 65 bytes>
// and the signed message binds the method, the path with its query, and the SHA-256 of the body.
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>
#include <medchain/records/category_statement.hpp>
#include <string>
#include <string_view>

namespace medchain::federation {

inline constexpr std::string_view kPeerScheme = "MedchainPeer";

// What the calling node signs.
struct PeerRequest {
  Hash32 from_node;  // the caller's node id, registered on chain
  Hash32 to_node;    // the node called: a request is good for that node only
  std::string method;
  std::string target;           // the path and, after '?', the query, exactly as sent
  Hash32 body_digest;           // SHA-256 of the body (of no bytes for a GET)
  std::uint64_t timestamp = 0;  // Unix seconds when signed
  Hash32 nonce;                 // random per request: the called node accepts each once
};

// A fresh random nonce (OpenSSL's RAND_bytes).
Hash32 fresh_nonce();

// The EIP-712 typed data of `request` (primary type "PeerRequest") in `domain`.
Result<eth::eip712::TypedData> peer_request_typed_data(const PeerRequest& request,
                                                       const records::StatementDomain& domain);

// The Authorization header's value for `request`, signed by `operator_key`.
Result<std::string> sign_peer_request(const PeerRequest& request,
                                      const records::StatementDomain& domain,
                                      const crypto::PrivateKey& operator_key);

// What the header carries besides the request itself.
struct PeerCredentials {
  std::uint64_t chain_id = 0;
  Hash32 from_node;
  Hash32 to_node;
  std::uint64_t timestamp = 0;
  Hash32 nonce;
  Bytes signature;  // 65 bytes, r ‖ s ‖ v
};

// Parses an Authorization header value of the MedchainPeer scheme. kUnauthenticated naming what
// is wrong for anything else (another scheme, a missing or repeated field, bad hex).
Result<PeerCredentials> parse_peer_authorization(std::string_view header);

}  // namespace medchain::federation
