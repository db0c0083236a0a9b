#include <medchain/api/audit_anchorer.hpp>
#include <medchain/store/audit_tree.hpp>
#include <thread>

namespace medchain::api {

Result<std::optional<AnchoredRange>> AuditAnchorer::anchor_pending() {
  const eth::abi::Value node_id(Bytes(node_id_.bytes.begin(), node_id_.bytes.end()));
  MEDCHAIN_TRY(auto node, medchain_->call("storageNodes", {node_id}));
  if (node.size() < 2 || node[0].address() != operator_->address()) {
    return Error{Errc::kPermissionDenied,
                 "this node's account is not the registered operator of its node id"};
  }
  const auto next = static_cast<std::uint64_t>(node[1].word());
  MEDCHAIN_TRY(std::vector<store::AuditEntry> entries, node_->audit_entries(next, max_batch_));
  if (entries.empty()) return std::optional<AnchoredRange>();
  if (entries.front().seq != next || entries.back().seq != next + entries.size() - 1) {
    return Error{Errc::kCheckFailed, "the audit log has a gap after entry " + std::to_string(next) +
                                         "; not anchoring it"};
  }
  std::vector<Hash32> hashes;
  hashes.reserve(entries.size());
  for (const store::AuditEntry& entry : entries) hashes.push_back(entry.hash);
  MEDCHAIN_TRY(Hash32 root, store::audit_root(hashes));
  AnchoredRange range{entries.front().seq, entries.back().seq, root, {}};
  MEDCHAIN_TRY(Bytes data,
               medchain_->calldata("anchorAudit",
                                   {node_id, eth::abi::Value(U256(range.from_seq)),
                                    eth::abi::Value(U256(range.to_seq)),
                                    eth::abi::Value(Bytes(root.bytes.begin(), root.bytes.end()))}));
  MEDCHAIN_TRY(
      chain::Receipt receipt,
      operator_->send({medchain_->address(), std::move(data), 0, std::nullopt}, &medchain_->abi()));
  range.transaction_hash = receipt.transaction_hash;
  return std::optional<AnchoredRange>(range);
}

void AuditAnchorer::run(const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                        std::ostream& log) {
  auto next = std::chrono::steady_clock::now() + interval;
  while (!stop) {
    if (std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    next = std::chrono::steady_clock::now() + interval;
    auto anchored = anchor_pending();
    if (!anchored.ok()) {
      log << "medchaind: anchoring the audit log failed: " << anchored.error().message << std::endl;
    }
  }
}

}  // namespace medchain::api
