// POST /v1/relay: an EIP-712 signed intent (a *BySig function of the contract), submitted from
// the node's relayer account so that patients and doctors need no ether. Public: the signature
// is the authorization, and the contract checks it (domain, chain id, nonce, deadline). The
// answer comes once the transaction is mined and, within a deadline, indexed, so the caller's
// next read already sees its effect.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <thread>

namespace medchain::api::detail {
namespace {

constexpr auto kIndexDeadline = std::chrono::seconds(15);

// Waits until the index holds `block` or the deadline passes; whether it does.
Result<bool> wait_until_indexed(NodeContext& node, std::uint64_t block) {
  const auto deadline = std::chrono::steady_clock::now() + kIndexDeadline;
  for (;;) {
    {
      std::lock_guard lock(node.mutex);
      MEDCHAIN_TRY(auto checkpoint, node.index->checkpoint());
      if (checkpoint && checkpoint->number >= block) return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

Response relay(NodeContext& node, const Call& call) {
  if (!node.relayer) {
    return problem(503, "relay_disabled", "This node does not relay",
                   "start medchaind with --relayer-key-file to relay signed intents");
  }
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  const json& function = (*body)["function"];
  const json& message = (*body)["message"];
  const json& signature_text = (*body)["signature"];
  if (!function.is_string() || !message.is_object() || !signature_text.is_string()) {
    return bad_request(
        "expected {\"function\": \"<name>BySig\", \"message\": {...}, \"signature\": <0x hex>}");
  }
  const std::string name = function.get<std::string>();
  if (name.size() < 6 || name.compare(name.size() - 5, 5, "BySig") != 0) {
    return bad_request("function must be one of the contract's *BySig functions");
  }
  if (name == "updateRecordBySig") {
    return problem(400, "unsupported", "Not relayed yet",
                   "updateRecordBySig needs the record's current version; not relayed yet");
  }
  auto signature = from_hex(signature_text.get<std::string>());
  if (!signature) return problem_for(signature.error());
  auto intent = chain::encode_signed_intent(*node.abi, node.domain, name, message, *signature);
  if (!intent.ok()) {
    // An unknown function is the caller's mistake, not a missing resource.
    if (intent.error().code == Errc::kNotFound) return bad_request(intent.error().message);
    return problem_for(intent.error());
  }
  ++node.relays_in_flight;
  auto receipt = node.relayer->relay(*intent);
  --node.relays_in_flight;
  if (!receipt.ok()) return problem_for(receipt.error());
  auto indexed = wait_until_indexed(node, receipt->block_number);
  if (!indexed.ok()) return problem_for(indexed.error());
  return ok({{"transactionHash", to_json(receipt->transaction_hash)},
             {"blockNumber", receipt->block_number},
             {"signer", to_json(intent->signer)},
             {"indexed", *indexed}});
}

}  // namespace medchain::api::detail
