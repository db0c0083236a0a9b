// Opening the blob store a node is configured with: a directory on the local disk (the
// default) or a bucket of S3-compatible object storage. What medchaind's --blobs and
// `medchain node verify --blobs` take (docs/architecture.md, "Blob storage").
#pragma once

#include <filesystem>
#include <medchain/store/blob_store.hpp>
#include <memory>
#include <string>

namespace medchain::store {

struct BlobLocation {
  // "" (the default directory), a directory, or s3://BUCKET[/PREFIX].
  std::string location;
  std::string s3_endpoint;  // http://HOST:PORT; required for s3://
  std::string s3_region = "us-east-1";
  std::filesystem::path s3_credentials_file;  // 0600; empty: AWS_ACCESS_KEY_ID/..._SECRET_...
  // Opened by a reader beside a node that may be running (medchain node verify): the node's
  // writes in progress are not a crash's leftovers to drop.
  bool beside_a_running_node = false;
};

bool is_s3_location(const std::string& location);

// Opens the store at `where`, `default_directory` when where.location is empty. For S3 the
// credentials come from the file when one is named, else from the environment.
Result<std::unique_ptr<BlobStore>> open_blob_store(const BlobLocation& where,
                                                   const std::filesystem::path& default_directory);

}  // namespace medchain::store
