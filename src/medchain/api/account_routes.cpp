// GET /v1/accounts/{address}/nonce: the contract's intent nonce of an account, read from the
// chain (not the index, which may lag a block behind the relay that used the last one), so a
// client can sign an intent without a chain RPC endpoint of its own. Public: nonces are public
// contract state.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/uint256.hpp>

namespace medchain::api::detail {

Response account_nonce(NodeContext& node, const Call& call) {
  auto address = address_param(call, "address");
  if (!address.ok()) return problem_for(address.error());
  if (!node.medchain) {
    return problem(503, "chain_unavailable", "This node has no chain connection",
                   "the node was started without a contract to read");
  }
  auto nonce = node.medchain->call("nonces", {*address});
  if (!nonce.ok()) {
    // Whatever went wrong, it was between the node and its chain, not in the request.
    return problem(503, "chain_unavailable", "The chain cannot be read", nonce.error().message);
  }
  if (nonce->size() != 1) {
    return problem(503, "chain_unavailable", "The chain cannot be read",
                   "nonces(address) did not return one word");
  }
  return ok({{"address", to_json(*address)}, {"nonce", to_decimal((*nonce)[0].word())}});
}

}  // namespace medchain::api::detail
