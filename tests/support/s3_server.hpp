// A throwaway S3 server for a test: s3rver (npm) on a free loopback port, its data in a
// temporary folder, one bucket, started on construction and killed on destruction.
// tests/support/s3rver_launcher.js says what it adds to s3rver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <medchain/core/process.hpp>
#include <medchain/store/s3_blob_store.hpp>
#include <string>
#include <vector>

namespace medchain::test {

class TempS3Server {
 public:
  // Throws std::runtime_error when s3rver is not installed (scripts/setup) or does not start.
  TempS3Server();
  ~TempS3Server();
  TempS3Server(const TempS3Server&) = delete;
  TempS3Server& operator=(const TempS3Server&) = delete;

  std::string endpoint() const;  // http://127.0.0.1:PORT
  const std::string& bucket() const { return bucket_; }
  std::uint16_t port() const { return port_; }
  // Options for a blob store in the bucket, its keys under `prefix`.
  store::S3BlobStoreOptions options(const std::string& prefix = "") const;

  // medchaind's arguments for blobs in the bucket under `prefix`, its key pair in a 0600 file.
  std::vector<std::string> node_args(const std::string& prefix) const;

  // Objects stored under a key prefix (s3rver keeps each object as a file on disk).
  std::size_t object_count(const std::string& key_prefix) const;
  // The file that holds an object's bytes, for tests that corrupt it behind the server's back.
  std::filesystem::path object_file(const std::string& key) const;
  // Multipart uploads started and neither completed nor aborted.
  std::size_t pending_uploads() const;

  // Kills the server (a crash); the object methods above still work on its folder.
  void kill();

 private:
  std::filesystem::path directory_;
  std::string bucket_ = "medchain-test";
  std::uint16_t port_ = 0;
  ChildProcess process_;
};

}  // namespace medchain::test
