#include <medchain/api/blob_collector.hpp>
#include <medchain/core/hex.hpp>

namespace medchain::api {
namespace {

constexpr std::size_t kBatch = 100;  // per round: a backlog drains without stalling the thread

}  // namespace

BlobCollector::BlobCollector(store::NodeStore& node_store, store::BlobStore& blobs,
                             std::uint64_t grace_seconds,
                             std::function<Result<bool>()> index_is_current)
    : node_store_(&node_store),
      blobs_(&blobs),
      grace_seconds_(grace_seconds),
      index_is_current_(std::move(index_is_current)) {}

Result<std::size_t> BlobCollector::collect(std::uint64_t now) {
  if (now < grace_seconds_) return std::size_t{0};
  MEDCHAIN_TRY(bool current, index_is_current_());
  if (!current) return std::size_t{0};
  MEDCHAIN_TRY(std::vector<store::BlobInfo> unnamed,
               node_store_->unnamed_blobs(now - grace_seconds_, kBatch));
  for (const store::BlobInfo& blob : unnamed) {
    // The bytes first: a crash in between leaves a row without bytes, which the next round
    // removes, never bytes that nothing accounts for.
    MEDCHAIN_TRY_STATUS(blobs_->remove(blob.digest));
    MEDCHAIN_TRY_STATUS(node_store_->remove_blob(blob.digest));
    store::AuditEntry entry;
    entry.at = now;
    entry.actor = Address{};  // the node itself
    entry.action = "blob.collect";
    entry.subject = to_hex(blob.digest);
    entry.patient = blob.patient;
    entry.allowed = true;
    MEDCHAIN_TRY(store::AuditEntry appended, node_store_->append_audit(entry));
    (void)appended;
  }
  return unnamed.size();
}

}  // namespace medchain::api
