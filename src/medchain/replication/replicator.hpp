// Pull replication: this node keeps a copy of every record version that placement names it a
// holder of (placement.hpp: the version's home node, the `nodeId` the chain recorded for it, and
// the r - 1 other registered nodes that score highest for its record), fetched from the home
// node's peer API (GET /v1/peer/versions/..., GET /v1/peer/blobs/...) with requests signed by
// this node's operator. A version homed on this node that it does not hold (its disk was lost:
// the node restarted on an empty data directory with the same node id and operator key) is
// pulled from the other registered nodes in turn, its other holders first, from the first whose
// replica passes the same checks.
//
// Nothing a peer says is taken on its word: the blob must hash to the digest the chain recorded
// for the version, and the category statement must be an EIP-712 signature of that category for
// that digest by the version's author, its patient or one of the patient's guardians on chain
// (docs/format.md, "Category statements"). A version that fails either check is refused: logged,
// nothing of it stored, tried again after `retry_refused`. Sealed summaries and keys are opaque
// to every node; they are checked for shape only, as the node's own routes do.
//
// A full pass compares every version in the index with what the node holds, so a node that was
// down catches up on its first pass after a restart (anti-entropy without stored state). Full
// passes run at the start, every `key_refresh` and when the registry changes; the passes between
// look only at the versions indexed since the last pass (a block cursor kept in memory) and at
// those waiting on a retry, so a replica's work per new block does not grow with the index. A
// pass runs as soon as the node indexes a new version (wake(), from the indexer's subscriber), so
// a replica follows its upload by the time of one pull; the interval is the fallback that retries
// and refreshes keys. Keys shared after a version was replicated are pulled by re-reading its
// metadata every `key_refresh`: O(versions) requests then, which a "keys since" cursor would
// avoid; a version pulled in the last `key_refresh` has its keys re-read at every pass, since its
// first keys are shared just after it is indexed. Keys are only added, never replaced. A version this node holds without being named
// for it (a read fetched it, or a node registered since took its place) is kept and its keys are
// refreshed like a replica's; nothing is deleted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <medchain/chain/http_client.hpp>
#include <medchain/federation/peer_request.hpp>
#include <medchain/replication/placement.hpp>
#include <medchain/store/blob_store.hpp>
#include <medchain/store/index_store.hpp>
#include <medchain/store/node_store.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <vector>

namespace medchain::replication {

struct ReplicatorOptions {
  Hash32 own_node;  // this node's id: a version homed here is pulled only when it is not held
  std::size_t replicas = kDefaultReplicas;  // r: how many registered nodes hold each version
  records::StatementDomain domain;  // the chain id and contract (signatures hold there only)
  crypto::PrivateKey operator_key;  // the key the chain registered as this node's operator
  std::uint64_t max_blob_bytes = std::uint64_t{4} << 30;  // a bigger blob is refused
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::seconds key_refresh{10};    // how often replicated versions' keys are re-read
  std::chrono::seconds retry_refused{60};  // a refused or unreachable version waits this long
  // A version its home node does not know yet (404: this node indexed it first) is asked for
  // again after this, for up to `retry_refused`, before it counts as unreachable.
  std::chrono::milliseconds retry_not_indexed{50};
};

// What one pass did.
struct PassReport {
  std::size_t pulled = 0;      // versions replicated
  std::size_t keys_added = 0;  // sealed keys added to versions already held
  std::size_t refused = 0;     // versions whose peer failed a check (wrong digest, forged category)
  std::size_t unreachable = 0;  // versions whose home node did not answer
  std::size_t not_yet = 0;      // versions their home node has not indexed yet (asked again soon)
};

class Replicator {
 public:
  // REQUIRES: the stores and blob store outlive the replicator, and are used by no other thread
  // through these objects (the stores are this replicator's own database connection).
  Replicator(ReplicatorOptions options, store::IndexStore& index, store::NodeStore& node,
             store::BlobStore& blobs);
  ~Replicator();

  // One pass over the index. `log` gets a line per refusal and per unreachable peer. `now` is
  // Unix seconds (for the audit log's and the stored rows' times).
  Result<PassReport> run_once(std::ostream& log, std::uint64_t now);

  // Passes every `interval`, and at once after wake(), until `stop`; errors of a pass are logged
  // and the next pass tries again.
  void run(const std::atomic<bool>& stop, std::chrono::milliseconds interval, std::ostream& log);

  // Asks run() for a pass now (or right after the one under way): the index has a new version.
  // Callable from any thread.
  void wake();

  // Pulls one version now, as a pass would, from its home node or else from any other registered
  // storage node that holds a replica (placement's holders first): the same checks, the same
  // store. For a read of a version this node lacks (medchaind --peer-fetch). kCheckFailed when every peer
  // that answered failed a check (wrong bytes, forged category), kTimeout when none answered in
  // time, else kUnavailable.
  Status pull_from_any(const store::RecordVersionRow& version, std::uint64_t now);

 private:
  struct Peer;
  struct Pass;  // one pass's registry, clock and report
  Peer& peer_for(const store::StorageNodeRow& node);
  // The versions a pass looks at: every one on a registered node (`full`), else those indexed
  // since the cursor and those whose retry or key re-read is due.
  Result<std::vector<store::RecordVersionRow>> versions_to_visit(const Pass& pass, bool full);
  // Pulls `version` (homed on `home`) if placement names this node and it is not held, or
  // re-reads its keys; a peer's failure is logged and backed off, a store's error returned.
  Status visit(Pass& pass, const store::StorageNodeRow& home,
               const store::RecordVersionRow& version);
  // The peers of `nodes` other than this node that may hold `version`: its home node first, then
  // its other holders by placement, then every other registered node (a read may have fetched
  // it there).
  std::vector<Peer*> sources_of(const store::RecordVersionRow& version,
                                const std::vector<store::StorageNodeRow>& nodes);
  // Pulls the version whole; kCheckFailed when the peer's answer fails a check.
  Status pull(Peer& peer, const store::RecordVersionRow& version, std::uint64_t now);
  // Pulls the version from the first of `holders` that serves it whole and checked; the error
  // names every peer's answer (kCheckFailed when one of them failed a check, else kTimeout when
  // one did not answer in time, else kUnavailable).
  Status pull_from_peers(const std::vector<Peer*>& holders, const store::RecordVersionRow& version,
                         std::uint64_t now);
  // Adds the keys the home node has and this node lacks; returns how many.
  Result<std::size_t> refresh_keys(Peer& peer, const store::RecordVersionRow& version,
                                   std::uint64_t now);
  // Adds the keys of a peer's version answer that this node lacks; returns how many.
  Result<std::size_t> add_keys(const nlohmann::json& body, const store::RecordVersionRow& version,
                               std::uint64_t now);
  Result<nlohmann::json> fetch_version(Peer& peer, const store::RecordVersionRow& version);
  Status check_category(const store::RecordVersionRow& version, std::uint8_t category,
                        const Bytes& signature, const Address& signer);
  std::string sign(const Peer& peer, const std::string& method, const std::string& target);

  ReplicatorOptions options_;
  store::IndexStore& index_;
  store::NodeStore& node_;
  store::BlobStore& blobs_;
  std::map<Hash32, std::unique_ptr<Peer>> peers_;
  // (record id, version) -> when it may be tried again, after a refusal or an unreachable peer.
  std::map<std::pair<Hash32, std::uint64_t>, std::chrono::steady_clock::time_point> backoff_;
  std::chrono::steady_clock::time_point next_key_refresh_{};
  // The block up to which every indexed version was looked at (none before the first pass), and
  // the registry that pass saw: a change of either makes the next pass a full one.
  std::optional<std::uint64_t> cursor_;
  std::vector<Hash32> last_registered_;
  // (record id, version) -> until when its keys are re-read at every pass (it was just pulled).
  std::map<std::pair<Hash32, std::uint64_t>, std::chrono::steady_clock::time_point>
      recently_pulled_;
  // (record id, version) -> when its home node first answered that it does not know it.
  std::map<std::pair<Hash32, std::uint64_t>, std::chrono::steady_clock::time_point> not_indexed_;
  std::mutex wake_mutex_;
  std::condition_variable woken_;
  bool wake_pending_ = false;
};

}  // namespace medchain::replication
