// Content-addressed storage of ciphertext blobs: the interface every backend implements, and
// the handles a caller streams a blob through.
//
// A blob's address is the SHA-256 of its bytes (the digest the chain records for a record
// version). A write streams in, is hashed as it grows, and becomes visible only at commit, and
// only if it matches the digest expected, so a reader never sees a partial or wrong blob,
// whatever crashes. Equal content is stored once. The local disk is one backend
// (disk_blob_store.hpp); an object store or a GridFS is another implementation of these three
// classes' backends, checked by the same tests (blob_store_test.cpp).
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <memory>
#include <optional>
#include <span>

namespace medchain::store {

// One blob being written. Not thread-safe; destroying it without commit() discards it.
class BlobWriter {
 public:
  class Backend {
   public:
    virtual ~Backend() = default;
    virtual Status write(ByteView chunk) = 0;
    virtual Result<Hash32> commit(const std::optional<Hash32>& expected) = 0;
    virtual std::uint64_t bytes_written() const noexcept = 0;
  };
  explicit BlobWriter(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

  // Appends `chunk`. kInvalidLength once the blob would exceed the writer's size limit.
  Status write(ByteView chunk) { return backend_->write(chunk); }

  // Makes the blob durable and visible, and returns its digest. When `expected` is given and
  // differs, nothing becomes visible and the result is kCheckFailed. Committing content that
  // is already stored is a success (deduplicated).
  Result<Hash32> commit(const std::optional<Hash32>& expected = std::nullopt) {
    return backend_->commit(expected);
  }

  std::uint64_t bytes_written() const noexcept { return backend_->bytes_written(); }

 private:
  std::unique_ptr<Backend> backend_;
};

// Sequential reads of one stored blob, with seeking for HTTP Range requests.
class BlobReader {
 public:
  class Backend {
   public:
    virtual ~Backend() = default;
    virtual std::uint64_t size() const noexcept = 0;
    virtual Result<std::size_t> read(std::span<std::uint8_t> out) = 0;
    virtual Status seek(std::uint64_t offset) = 0;
  };
  explicit BlobReader(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

  std::uint64_t size() const noexcept { return backend_->size(); }
  // Reads up to out.size() bytes at the current position; 0 at the end.
  Result<std::size_t> read(std::span<std::uint8_t> out) { return backend_->read(out); }
  // REQUIRES: offset <= size().
  Status seek(std::uint64_t offset) { return backend_->seek(offset); }

 private:
  std::unique_ptr<Backend> backend_;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Starts a write of at most `max_size` bytes.
  virtual Result<BlobWriter> begin_write(std::uint64_t max_size = UINT64_MAX) = 0;

  virtual bool contains(const Hash32& digest) const = 0;
  // kNotFound when the digest is not stored.
  virtual Result<BlobReader> open_read(const Hash32& digest) const = 0;

  // Deletes a stored blob; a digest not stored is no error (a removal may be retried).
  virtual Status remove(const Hash32& digest) = 0;

  // Convenience for small blobs.
  Result<Hash32> put(ByteView content);
};

}  // namespace medchain::store
