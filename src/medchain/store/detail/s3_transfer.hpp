// The writer and reader behind S3BlobStore (s3_blob_store.hpp). Private to store/.
#pragma once

#include <medchain/store/blob_store.hpp>
#include <memory>
#include <string>

#include "s3_client.hpp"

namespace medchain::store::detail {

struct S3Keys {
  std::string prefix;  // "" or ending in '/'
  std::string blob(const Hash32& digest) const;
  std::string incoming(std::string_view name) const {
    return prefix + "incoming/" + std::string(name);
  }
};

std::unique_ptr<BlobWriter::Backend> make_s3_writer(std::shared_ptr<const S3Client> client,
                                                    S3Keys keys, std::uint64_t max_size,
                                                    std::uint64_t part_size);

// `size` from a HEAD of the blob's key.
std::unique_ptr<BlobReader::Backend> make_s3_reader(std::shared_ptr<const S3Client> client,
                                                    std::string key, const Hash32& digest,
                                                    std::uint64_t size, std::uint64_t window);

// HEAD of a key: its Content-Length, kNotFound when absent, another error when not answered.
Result<std::uint64_t> s3_object_size(const S3Client& client, const std::string& key);

}  // namespace medchain::store::detail
