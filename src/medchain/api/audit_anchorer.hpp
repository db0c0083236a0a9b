// Anchors the node's audit log on chain: every entry not yet anchored, in one contiguous batch
// per call, as anchorAudit(nodeId, fromSeq, toSeq, merkleRoot) from the node's operator
// account. The root is the RFC 6962 tree over the entries' chained hashes (store/audit_tree),
// so a patient can later check any entry against the chain without trusting the node.
#pragma once

#include <atomic>
#include <chrono>
#include <medchain/chain/contract.hpp>
#include <medchain/chain/tx_sender.hpp>
#include <medchain/store/node_store.hpp>
#include <ostream>

namespace medchain::api {

struct AnchoredRange {
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
  Hash32 root;
  Hash32 transaction_hash;
};

class AuditAnchorer {
 public:
  // `node` is this anchorer's own (its database connection is used by nobody else); the
  // operator account may be shared (TransactionSender is thread-safe).
  AuditAnchorer(store::NodeStore& node, chain::TransactionSender& operator_account,
                const chain::Contract& medchain, const Hash32& node_id,
                std::size_t max_batch = 4'096)
      : node_(&node),
        operator_(&operator_account),
        medchain_(&medchain),
        node_id_(node_id),
        max_batch_(max_batch) {}

  // Anchors the entries after the chain's last anchor of this node (at most max_batch); nullopt
  // when there are none. The chain's own count (storageNodes(nodeId).nextAuditSeq) says where
  // to start, so a crash between sending and recording never anchors an entry twice.
  Result<std::optional<AnchoredRange>> anchor_pending();

  // Calls anchor_pending every `interval` until `stop`, reporting failures to `log` and trying
  // again at the next turn (a chain that is down for a while delays anchors, nothing else).
  void run(const std::atomic<bool>& stop, std::chrono::milliseconds interval, std::ostream& log);

 private:
  store::NodeStore* node_;
  chain::TransactionSender* operator_;
  const chain::Contract* medchain_;
  Hash32 node_id_;
  std::size_t max_batch_;
};

}  // namespace medchain::api
