// The chain indexer: reads the medchain contracts' events (Medchain's, and those of the contracts
// it created, such as Recovery) from the deployment block on, in
// bounded eth_getLogs ranges, then follows new heads; waits a configurable number of
// confirmations; detects reorgs by comparing the block hashes it stored with the chain's and
// rolls back to the fork point; and hands each batch of blocks, with the new checkpoint, to an
// IndexSink that must apply both in one transaction (the store). Applied blocks are published
// to in-process subscribers: the node's real-time feed.
#pragma once

#include <atomic>
#include <functional>
#include <medchain/chain/contract.hpp>
#include <medchain/chain/head_watcher.hpp>
#include <mutex>
#include <optional>

namespace medchain::chain {

// One decoded contract event. `args` maps parameter names to JSON: addresses and byte strings
// as lowercase 0x hex, integers as numbers up to 2^53 and decimal strings above, bools, text.
struct IndexedEvent {
  std::uint64_t log_index = 0;
  Hash32 transaction_hash;
  std::string name;
  nlohmann::json args;
  bool operator==(const IndexedEvent&) const = default;
};

// A block the index has taken in: its identity and medchain's events in it (possibly none).
struct IndexedBlock {
  std::uint64_t number = 0;
  Hash32 hash;
  std::uint64_t timestamp = 0;
  std::vector<IndexedEvent> events;
};

struct BlockRef {
  std::uint64_t number = 0;
  Hash32 hash;
  bool operator==(const BlockRef&) const = default;
};

// Where the indexer writes: implemented by the store.
class IndexSink {
 public:
  virtual ~IndexSink() = default;
  // The last block applied; nullopt for an empty index.
  virtual Result<std::optional<BlockRef>> checkpoint() = 0;
  // The hash stored for `number`, if the index kept it (blocks with events and batch ends).
  virtual Result<std::optional<Hash32>> block_hash(std::uint64_t number) = 0;
  // Applies `blocks` (ascending) and sets the checkpoint to the last, in one transaction.
  virtual Status apply(const std::vector<IndexedBlock>& blocks) = 0;
  // Forgets every block above `number` and what was derived from it, in one transaction; the
  // checkpoint becomes `number` (or empty when nothing at or below it is known).
  virtual Status rollback_to(std::uint64_t number) = 0;
};

struct IndexerOptions {
  std::uint64_t start_block = 0;    // the deployment block
  std::uint64_t confirmations = 0;  // 0 for instant-finality chains (Besu QBFT)
  std::uint64_t max_range = 2'000;  // blocks per eth_getLogs
  std::optional<std::uint64_t> stop_block;  // index no further (a rebuild up to a checkpoint)
  HeadWatcherOptions heads;
};

class Indexer {
 public:
  Indexer(EthClient& client, const Contract& medchain, IndexSink& sink, IndexerOptions options);
  // Indexes the events of each of `contracts` (Medchain first, then the contracts it created:
  // their event names do not overlap), in one stream ordered by block and log index.
  Indexer(EthClient& client, std::vector<const Contract*> contracts, IndexSink& sink,
          IndexerOptions options);

  // Catches up to the chain's head minus the confirmations, rolling back first if the chain
  // reorganised under the checkpoint. Returns the checkpoint reached.
  Result<std::optional<BlockRef>> sync();

  // Syncs on every new head until `stop` is set. Returns on the first error.
  Status run(const std::atomic<bool>& stop);

  using Subscriber = std::function<void(const IndexedBlock&)>;
  // Called (on the indexing thread) for every block applied, after its transaction commits.
  void subscribe(Subscriber subscriber);

  // Converts a decoded log into an IndexedEvent's args.
  static nlohmann::json args_json(const DecodedLog& log);

 private:
  // The highest block at or below the checkpoint whose stored hash the chain still has.
  Result<std::uint64_t> find_fork_point(const BlockRef& checkpoint);
  Result<std::vector<IndexedBlock>> read_range(std::uint64_t from, std::uint64_t to);
  void publish(const std::vector<IndexedBlock>& blocks);

  EthClient* client_;
  std::vector<const Contract*> contracts_;
  IndexSink* sink_;
  IndexerOptions options_;
  std::mutex subscribers_mutex_;
  std::vector<Subscriber> subscribers_;
};

}  // namespace medchain::chain
