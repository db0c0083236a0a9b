// The blob store on S3-compatible object storage (blob_store.hpp): any server that speaks the
// S3 REST API with Signature Version 4 (AWS S3, Ceph radosgw, MinIO, s3rver in the tests),
// addressed path-style over plain HTTP.
//
// Keys, under the configured prefix: blobs/<64 hex digits> for stored blobs, incoming/<random>
// for large writes in progress. A write streams through a buffer of one part: a blob that fits
// in one part is a single PutObject to its digest key at commit; a larger one is a multipart
// upload to an incoming key, copied server-side to its digest key once the whole blob's digest
// is known and checked (s3_writer.cpp says why). A read is a sequence of ranged GETs, one
// window at a time. Memory per writer or reader: about one part or one window, whatever the
// blob's size.
#pragma once

#include <chrono>
#include <cstdint>
#include <medchain/store/blob_store.hpp>
#include <medchain/store/s3_credentials.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace medchain::store {

namespace detail {
class S3Client;
}

struct S3BlobStoreOptions {
  std::string endpoint;  // "http://127.0.0.1:9000" (https is not supported yet)
  std::string bucket;    // must exist
  std::string prefix;    // prepended to every key, e.g. "node-1/"; default none
  std::string region = "us-east-1";
  S3Credentials credentials;
  std::uint64_t part_size = std::uint64_t{8} << 20;    // S3 wants >= 5 MiB but for the last part
  std::uint64_t read_window = std::uint64_t{4} << 20;  // bytes per ranged GET
  std::chrono::milliseconds request_timeout{60'000};   // the deadline of every request
};

// Splits "s3://BUCKET" or "s3://BUCKET/PREFIX" into options.bucket and options.prefix (a
// non-empty prefix gets a trailing '/'). kInvalidArgument for anything else.
Status parse_s3_location(std::string_view url, S3BlobStoreOptions& options);

class S3BlobStore final : public BlobStore {
 public:
  // Checks that the bucket answers to these credentials (HEAD bucket). kUnavailable or
  // kTimeout when the server cannot be reached, kNotFound without the bucket,
  // kPermissionDenied when the key pair is refused.
  static Result<std::unique_ptr<S3BlobStore>> open(S3BlobStoreOptions options);
  ~S3BlobStore() override;

  Result<BlobWriter> begin_write(std::uint64_t max_size = UINT64_MAX) override;
  // False also when the server cannot be asked (the interface has no error here); a caller
  // that then writes the blob again loses nothing but time.
  bool contains(const Hash32& digest) const override;
  Result<BlobReader> open_read(const Hash32& digest) const override;
  Status remove(const Hash32& digest) override;

  // The object key of a stored blob: <prefix>blobs/<64 hex digits>.
  std::string key_of(const Hash32& digest) const;

 private:
  S3BlobStore(S3BlobStoreOptions options, std::shared_ptr<detail::S3Client> client);

  S3BlobStoreOptions options_;
  std::shared_ptr<detail::S3Client> client_;
};

}  // namespace medchain::store
