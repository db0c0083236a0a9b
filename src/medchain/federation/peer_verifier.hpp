// The called node's side of a signed peer request (peer_request.hpp): who is calling, or why
// the call is refused. A request passes when, in this order:
//   - its header parses and names this chain id (kWrongChain otherwise) and this node (a request
//     signed for another node is no good here: kUnauthenticated);
//   - its timestamp is within `max_skew` of the verifier's clock either way (kUnauthenticated:
//     stale, or from the future);
//   - its signature, over the method, target and body digest as received under this deployment's
//     domain, recovers to the operator the chain registered for the `from` node id
//     (kPermissionDenied: not the operator of a registered node);
//   - and its nonce was not accepted from that operator before (kConflict: a replay).
// Nonces are remembered in memory until their request would be stale anyway, so the memory
// needed is bounded by what registered operators send in 2 × max_skew. A restart forgets them:
// a request captured in the last `max_skew` seconds before a restart could be replayed once
// after it (peers speak over TLS in production, and a replay only repeats a read of ciphertext).
#pragma once

#include <functional>
#include <map>
#include <medchain/federation/peer_request.hpp>
#include <mutex>
#include <optional>

namespace medchain::federation {

// A calling node the verifier accepted.
struct PeerIdentity {
  Hash32 node_id;
  Address operator_address;
  bool operator==(const PeerIdentity&) const = default;
};

// The operator the chain registered for a node id, or none (the node's index answers it).
using OperatorLookup = std::function<Result<std::optional<Address>>(const Hash32& node_id)>;

struct PeerVerifierOptions {
  records::StatementDomain domain;  // this node's chain id and contract
  Hash32 own_node;                  // this node's id: requests must be addressed to it
  std::uint64_t max_skew = 60;      // seconds a timestamp may be off either way
};

class PeerVerifier {
 public:
  explicit PeerVerifier(PeerVerifierOptions options) : options_(options) {}

  // The calling node of a request with `authorization` (the header's value), `method`, `target`
  // (path and query as received) and `body`, at `now` (Unix seconds). Thread-safe.
  Result<PeerIdentity> verify(std::string_view authorization, std::string_view method,
                              std::string_view target, ByteView body, std::uint64_t now,
                              const OperatorLookup& operator_of);

  const PeerVerifierOptions& options() const noexcept { return options_; }

 private:
  // Remembers (signer, nonce) until `forget_at`; false if it is remembered already.
  bool first_use(const Address& signer, const Hash32& nonce, std::uint64_t forget_at,
                 std::uint64_t now);

  PeerVerifierOptions options_;
  std::mutex mutex_;
  std::map<std::pair<Address, Hash32>, std::uint64_t> nonces_;  // -> when to forget it
  std::uint64_t next_prune_ = 0;
};

}  // namespace medchain::federation
