// The blob store on the local file system (blob_store.hpp). A write goes to a temporary file,
// fsynced, checked against the expected digest and then renamed into place.
//
// Layout: <root>/blobs/<aa>/<bb>/<64 hex digits>, <root>/tmp/ for writes in progress.
#pragma once

#include <filesystem>
#include <medchain/store/blob_store.hpp>

namespace medchain::store {

class DiskBlobStore final : public BlobStore {
 public:
  // Opens (creating if needed) a store under `root`, removing temporary files that a crash
  // left behind unless `beside_a_running_node`: a reader of a live node's store (medchain node
  // verify) must leave the node's writes in progress alone.
  static Result<std::unique_ptr<DiskBlobStore>> open(const std::filesystem::path& root,
                                                     bool beside_a_running_node = false);

  Result<BlobWriter> begin_write(std::uint64_t max_size = UINT64_MAX) override;
  bool contains(const Hash32& digest) const override;
  Result<BlobReader> open_read(const Hash32& digest) const override;
  Status remove(const Hash32& digest) override;

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  explicit DiskBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path path_of(const Hash32& digest) const;

  std::filesystem::path root_;
};

}  // namespace medchain::store
