// Content-addressed storage of ciphertext blobs on the local file system.
//
// A blob's address is the SHA-256 of its bytes (the digest the chain records for a record
// version). Writes stream through a temporary file that is hashed as it grows, fsynced, checked
// against the expected digest and then renamed into place, so a reader never sees a partial
// blob, whatever crashes. Equal content is stored once.
//
// Layout: <root>/blobs/<aa>/<bb>/<64 hex digits>, <root>/tmp/ for writes in progress.
#pragma once

#include <cstdint>
#include <filesystem>
#include <medchain/core/bytes.hpp>
#include <memory>
#include <optional>
#include <span>

namespace medchain::store {

class BlobStore;

// One blob being written. Not thread-safe; destroying it without commit() discards it.
class BlobWriter {
 public:
  ~BlobWriter();
  BlobWriter(BlobWriter&&) noexcept;
  BlobWriter& operator=(BlobWriter&&) noexcept;

  // Appends `chunk`. kInvalidLength once the blob would exceed the writer's size limit.
  Status write(ByteView chunk);

  // Makes the blob durable and visible, and returns its digest. When `expected` is given and
  // differs, nothing becomes visible and the result is kCheckFailed. Committing content that
  // is already stored is a success (deduplicated).
  Result<Hash32> commit(const std::optional<Hash32>& expected = std::nullopt);

  std::uint64_t bytes_written() const noexcept;

 private:
  friend class BlobStore;
  struct State;
  explicit BlobWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Sequential reads of one stored blob, with seeking for HTTP Range requests.
class BlobReader {
 public:
  ~BlobReader();
  BlobReader(BlobReader&&) noexcept;
  BlobReader& operator=(BlobReader&&) noexcept;

  std::uint64_t size() const noexcept { return size_; }
  // Reads up to out.size() bytes at the current position; 0 at the end.
  Result<std::size_t> read(std::span<std::uint8_t> out);
  // REQUIRES: offset <= size().
  Status seek(std::uint64_t offset);

 private:
  friend class BlobStore;
  BlobReader(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

class BlobStore {
 public:
  // Opens (creating if needed) a store under `root`, removing temporary files that a crash
  // left behind.
  static Result<BlobStore> open(const std::filesystem::path& root);

  // Starts a write of at most `max_size` bytes.
  Result<BlobWriter> begin_write(std::uint64_t max_size = UINT64_MAX);

  bool contains(const Hash32& digest) const;
  // kNotFound when the digest is not stored.
  Result<BlobReader> open_read(const Hash32& digest) const;

  // Deletes a stored blob; a digest not stored is no error (a removal may be retried).
  Status remove(const Hash32& digest);

  // Convenience for small blobs.
  Result<Hash32> put(ByteView content);

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path path_of(const Hash32& digest) const;

  std::filesystem::path root_;
};

}  // namespace medchain::store
