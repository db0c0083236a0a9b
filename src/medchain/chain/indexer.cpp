#include <algorithm>
#include <condition_variable>
#include <map>
#include <medchain/chain/indexer.hpp>
#include <medchain/core/hex.hpp>

namespace medchain::chain {
namespace {

using nlohmann::json;
namespace abi = eth::abi;

constexpr int kReadAttempts = 3;  // a reorg while reading a range is retried this often

json value_json(const abi::Value& value) {
  if (const auto* word = std::get_if<U256>(&value.data)) {
    if (*word < (U256(1) << 53)) return json(static_cast<std::uint64_t>(*word));
    return json(to_decimal(*word));
  }
  if (const auto* flag = std::get_if<bool>(&value.data)) return json(*flag);
  if (const auto* address = std::get_if<Address>(&value.data)) return json(to_hex(*address));
  if (const auto* bytes = std::get_if<Bytes>(&value.data)) return json(to_hex(*bytes));
  if (const auto* text = std::get_if<std::string>(&value.data)) return json(*text);
  json items = json::array();
  for (const abi::Value& item : value.items()) items.push_back(value_json(item));
  return items;
}

}  // namespace

Indexer::Indexer(EthClient& client, const Contract& medchain, IndexSink& sink,
                 IndexerOptions options)
    : Indexer(client, std::vector<const Contract*>{&medchain}, sink, options) {}

Indexer::Indexer(EthClient& client, std::vector<const Contract*> contracts, IndexSink& sink,
                 IndexerOptions options)
    : client_(&client), contracts_(std::move(contracts)), sink_(&sink), options_(options) {
  if (options_.max_range == 0) options_.max_range = 1;
}

json Indexer::args_json(const DecodedLog& log) {
  json args = json::object();
  for (std::size_t i = 0; i < log.values.size() && i < log.names.size(); ++i) {
    args[log.names[i]] = value_json(log.values[i]);
  }
  return args;
}

void Indexer::subscribe(Subscriber subscriber) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.push_back(std::move(subscriber));
}

void Indexer::publish(const std::vector<IndexedBlock>& blocks) {
  std::lock_guard lock(subscribers_mutex_);
  for (const IndexedBlock& block : blocks) {
    for (const Subscriber& subscriber : subscribers_) subscriber(block);
  }
}

Result<std::uint64_t> Indexer::find_fork_point(const BlockRef& checkpoint) {
  const std::uint64_t floor = options_.start_block == 0 ? 0 : options_.start_block - 1;
  for (std::uint64_t number = checkpoint.number; number > floor; --number) {
    MEDCHAIN_TRY(std::optional<Hash32> stored, sink_->block_hash(number));
    if (!stored) continue;
    MEDCHAIN_TRY(std::optional<BlockHeader> on_chain, client_->block_by_number(number));
    if (on_chain && on_chain->hash == *stored) return number;
  }
  return floor;
}

Result<std::vector<IndexedBlock>> Indexer::read_range(std::uint64_t from, std::uint64_t to) {
  LogFilter filter{from, to, {}, {}, std::nullopt};
  for (const Contract* contract : contracts_) filter.addresses.push_back(contract->address());
  MEDCHAIN_TRY(std::vector<Log> logs, client_->get_logs(filter));
  std::map<std::uint64_t, IndexedBlock> blocks;
  for (const Log& log : logs) {
    if (log.removed) continue;
    IndexedBlock& block = blocks[log.block_number];
    if (block.events.empty()) {
      block.number = log.block_number;
      block.hash = log.block_hash;
    } else if (block.hash != log.block_hash) {
      return Error{Errc::kConflict, "the chain reorganised while the indexer read it"};
    }
    const auto source = std::find_if(contracts_.begin(), contracts_.end(), [&](const Contract* c) {
      return c->address() == log.address;
    });
    if (source == contracts_.end()) continue;
    auto decoded = (*source)->abi().decode_log(log);
    if (!decoded.ok()) continue;  // not one of medchain's events
    block.events.push_back(
        IndexedEvent{log.log_index, log.transaction_hash, decoded->event, args_json(*decoded)});
  }
  blocks[to].number = to;  // the range's end carries the checkpoint, events or not
  // One batch for the headers: their hashes must match the logs', and give timestamps.
  std::vector<RpcCall> calls;
  for (const auto& [number, block] : blocks) {
    calls.push_back({"eth_getBlockByNumber", json::array({to_hex_quantity(U256(number)), false})});
  }
  MEDCHAIN_TRY(std::vector<RpcReply> replies, client_->rpc().batch(calls));
  std::vector<IndexedBlock> ordered;
  std::size_t i = 0;
  for (auto& [number, block] : blocks) {
    const RpcReply& reply = replies[i++];
    if (reply.error || reply.result.is_null()) {
      return Error{Errc::kConflict, "block " + std::to_string(number) + " is gone (a reorg)"};
    }
    MEDCHAIN_TRY(BlockHeader header, parse_block_header(reply.result));
    if (!block.events.empty() && header.hash != block.hash) {
      return Error{Errc::kConflict, "the chain reorganised while the indexer read it"};
    }
    block.hash = header.hash;
    block.timestamp = header.timestamp;
    ordered.push_back(std::move(block));
  }
  return ordered;
}

Result<std::optional<BlockRef>> Indexer::sync() {
  for (int attempt = 1;; ++attempt) {
    MEDCHAIN_TRY(std::uint64_t head, client_->block_number());
    MEDCHAIN_TRY(std::optional<BlockRef> checkpoint, sink_->checkpoint());
    if (checkpoint) {
      MEDCHAIN_TRY(std::optional<BlockHeader> on_chain,
                   client_->block_by_number(checkpoint->number));
      if (!on_chain || on_chain->hash != checkpoint->hash) {
        MEDCHAIN_TRY(std::uint64_t fork, find_fork_point(*checkpoint));
        MEDCHAIN_TRY_STATUS(sink_->rollback_to(fork));
        MEDCHAIN_TRY(checkpoint, sink_->checkpoint());
      }
    }
    if (head < options_.confirmations) return checkpoint;
    std::uint64_t target = head - options_.confirmations;
    if (options_.stop_block) target = std::min(target, *options_.stop_block);
    std::uint64_t from = checkpoint ? checkpoint->number + 1 : options_.start_block;
    Status progress{};
    while (from <= target && progress.ok()) {
      const std::uint64_t to = std::min(target, from + options_.max_range - 1);
      auto blocks = read_range(from, to);
      if (!blocks.ok()) {
        progress = std::move(blocks).error();
        break;
      }
      MEDCHAIN_TRY_STATUS(sink_->apply(*blocks));
      publish(*blocks);
      from = to + 1;
    }
    if (progress.ok()) return sink_->checkpoint();
    if (progress.error().code != Errc::kConflict || attempt >= kReadAttempts) {
      return std::move(progress).error();
    }
  }
}

Status Indexer::run(const std::atomic<bool>& stop) {
  std::mutex mutex;
  std::condition_variable woken;
  bool new_head = true;
  HeadWatcher watcher(*client_, options_.heads, [&](const BlockHeader&) {
    std::lock_guard lock(mutex);
    new_head = true;
    woken.notify_one();
  });
  while (!stop) {
    {
      std::unique_lock lock(mutex);
      woken.wait_for(lock, std::chrono::milliseconds(200), [&] { return new_head || stop.load(); });
      if (!new_head) continue;
      new_head = false;
    }
    auto synced = sync();
    if (synced.ok()) continue;
    const Errc code = synced.error().code;
    // The node may come back: unreachable or slow is retried on the next head or tick.
    if (code != Errc::kUnavailable && code != Errc::kTimeout) return std::move(synced).error();
    std::unique_lock lock(mutex);
    woken.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop.load(); });
    new_head = true;
  }
  return {};
}

}  // namespace medchain::chain
