// Uploads whose record never reached the chain. A client that uploads and then crashes, or one
// that uploads only to fill the node's disk, leaves a blob no on-chain version names; after a
// grace period (long enough for any honest addRecord to be relayed, mined and indexed) the
// collector removes it, and audits the removal under the blob's patient.
#pragma once

#include <functional>
#include <medchain/store/blob_store.hpp>
#include <medchain/store/node_store.hpp>

namespace medchain::api {

class BlobCollector {
 public:
  // `index_is_current` says whether the node's index has caught up with the chain: while it
  // has not (a node starting, or rebuilding its index), a version it has not read yet would
  // make every blob look unnamed, so nothing is collected.
  BlobCollector(store::NodeStore& node_store, store::BlobStore& blobs, std::uint64_t grace_seconds,
                std::function<Result<bool>()> index_is_current);

  // Removes the blobs stored before now - grace that no version names, a batch at a time.
  // Returns how many went.
  Result<std::size_t> collect(std::uint64_t now);

 private:
  store::NodeStore* node_store_;
  store::BlobStore* blobs_;
  std::uint64_t grace_seconds_;
  std::function<Result<bool>()> index_is_current_;
};

}  // namespace medchain::api
