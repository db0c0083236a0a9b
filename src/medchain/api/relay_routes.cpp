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
      MEDCHAIN_TRY(auto checkpoint, node.index().checkpoint());
      if (checkpoint && checkpoint->number >= block) return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

eth::abi::Value word_of(const Hash32& hash) {
  return eth::abi::Value(Bytes(hash.bytes.begin(), hash.bytes.end()));
}

// updateRecordBySig's second argument: the record's newest version as the contract hashed it
// into its head, rebuilt from the index. The signed message names the head it expects, so a
// stale index can only make the contract refuse the update, never apply it to another version.
Result<eth::abi::Value> current_version(NodeContext& node, const json& message) {
  if (!message.contains("recordId") || !message["recordId"].is_string()) {
    return Error{Errc::kInvalidArgument, "updateRecordBySig needs message.recordId"};
  }
  auto record_id = from_hex_fixed<Hash32>(message["recordId"].get<std::string>());
  if (!record_id) return Error{Errc::kInvalidArgument, "message.recordId is not 32 bytes of hex"};
  MEDCHAIN_TRY(auto versions, node.index().record_versions(*record_id));
  if (versions.empty()) return Error{Errc::kNotFound, "the index has no such record"};
  const store::RecordVersionRow& newest = versions.back();
  const Hash32 previous = versions.size() > 1 ? versions[versions.size() - 2].head : Hash32{};
  return eth::abi::Value(eth::abi::Value::Items{
      newest.patient, versions.front().author, U256(newest.version), word_of(newest.digest),
      word_of(newest.node_id), word_of(newest.content_id), word_of(previous)});
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
  auto signature = from_hex(signature_text.get<std::string>());
  if (!signature) return problem_for(signature.error());
  std::vector<eth::abi::Value> extra_args;
  if (name == "updateRecordBySig") {
    auto current = current_version(node, message);
    if (!current.ok()) return problem_for(current.error());
    extra_args.push_back(std::move(*current));
  }
  auto intent =
      chain::encode_signed_intent(*node.abi, node.domain, name, message, *signature, extra_args);
  if (!intent.ok()) {
    // An unknown function is the caller's mistake, not a missing resource.
    if (intent.error().code == Errc::kNotFound) return bad_request(intent.error().message);
    return problem_for(intent.error());
  }
  // Per signer, not per caller: intents need no session, and anyone may post someone's.
  if (!node.relays_per_signer->allow(to_hex(intent->signer))) return too_many_requests();
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
