#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/federation/peer_verifier.hpp>

namespace medchain::federation {

Result<PeerIdentity> PeerVerifier::verify(std::string_view authorization, std::string_view method,
                                          std::string_view target, ByteView body, std::uint64_t now,
                                          const OperatorLookup& operator_of) {
  MEDCHAIN_TRY(PeerCredentials credentials, parse_peer_authorization(authorization));
  if (credentials.chain_id != options_.domain.chain_id) {
    return Error{Errc::kWrongChain,
                 "the request is signed for chain " + std::to_string(credentials.chain_id) +
                     ", this node is on " + std::to_string(options_.domain.chain_id)};
  }
  if (credentials.to_node != options_.own_node) {
    return Error{Errc::kUnauthenticated, "the request is addressed to node " +
                                             to_hex(credentials.to_node) + ", not this one"};
  }
  const std::uint64_t skew =
      credentials.timestamp > now ? credentials.timestamp - now : now - credentials.timestamp;
  if (skew > options_.max_skew) {
    return Error{Errc::kUnauthenticated,
                 credentials.timestamp > now
                     ? "the request's timestamp is " + std::to_string(skew) + " s in the future"
                     : "the request is stale: signed " + std::to_string(skew) + " s ago"};
  }
  const PeerRequest request{credentials.from_node, credentials.to_node,  std::string(method),
                            std::string(target),   crypto::sha256(body), credentials.timestamp,
                            credentials.nonce};
  MEDCHAIN_TRY(eth::eip712::TypedData data, peer_request_typed_data(request, options_.domain));
  auto signer = eth::eip712::recover_signer(data, credentials.signature);
  if (!signer.ok()) {
    return Error{Errc::kUnauthenticated, "the peer request's signature recovers to no key"};
  }
  MEDCHAIN_TRY(std::optional<Address> registered, operator_of(credentials.from_node));
  if (!registered || *registered != *signer) {
    return Error{Errc::kPermissionDenied,
                 "the request's signer is not the operator of a registered storage node " +
                     to_hex(credentials.from_node)};
  }
  if (!first_use(*signer, credentials.nonce, credentials.timestamp + options_.max_skew, now)) {
    return Error{Errc::kConflict, "the request's nonce was used before: a replay"};
  }
  return PeerIdentity{credentials.from_node, *signer};
}

bool PeerVerifier::first_use(const Address& signer, const Hash32& nonce, std::uint64_t forget_at,
                             std::uint64_t now) {
  std::lock_guard lock(mutex_);
  if (now >= next_prune_) {
    // Once a second at most: a nonce whose request is stale needs no remembering.
    for (auto it = nonces_.begin(); it != nonces_.end();) {
      it = it->second < now ? nonces_.erase(it) : std::next(it);
    }
    next_prune_ = now + 1;
  }
  return nonces_.emplace(std::pair{signer, nonce}, forget_at).second;
}

}  // namespace medchain::federation
