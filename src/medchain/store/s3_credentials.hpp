// The key pair that signs requests to an S3-compatible object store, and where a node reads it
// from: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or a file only its owner can
// read. Never from the command line, where other users of the machine could see it.
#pragma once

#include <filesystem>
#include <medchain/core/result.hpp>
#include <string>

namespace medchain::store {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

// kInvalidArgument when either variable is unset or empty.
Result<S3Credentials> s3_credentials_from_environment();

// Reads `name = value` lines (aws_access_key_id, aws_secret_access_key: the form of
// ~/.aws/credentials; [section] lines and # comments are skipped, the first value of each name
// wins). kPermissionDenied when the file is readable or writable by its group or others (it
// must be 0600 or stricter), kIo when it cannot be read, kInvalidArgument when a name is
// missing.
Result<S3Credentials> s3_credentials_from_file(const std::filesystem::path& path);

}  // namespace medchain::store
