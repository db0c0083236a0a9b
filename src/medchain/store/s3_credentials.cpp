#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <medchain/store/s3_credentials.hpp>

namespace medchain::store {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<S3Credentials> s3_credentials_from_environment() {
  const char* id = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  if (id == nullptr || secret == nullptr || *id == '\0' || *secret == '\0') {
    return Error{Errc::kInvalidArgument,
                 "S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass "
                 "--s3-credentials FILE"};
  }
  return S3Credentials{id, secret};
}

Result<S3Credentials> s3_credentials_from_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Error{Errc::kIo, "cannot read S3 credentials file " + path.string()};
  }
  if ((info.st_mode & 077) != 0) {
    return Error{Errc::kPermissionDenied,
                 "S3 credentials file " + path.string() + " is open to other users; chmod 600 it"};
  }
  std::ifstream in(path);
  if (!in) return Error{Errc::kIo, "cannot read S3 credentials file " + path.string()};
  S3Credentials credentials;
  std::string line;
  while (std::getline(in, line)) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = trimmed(line.substr(0, equals));
    const std::string value = trimmed(line.substr(equals + 1));
    if (name == "aws_access_key_id" && credentials.access_key_id.empty()) {
      credentials.access_key_id = value;
    } else if (name == "aws_secret_access_key" && credentials.secret_access_key.empty()) {
      credentials.secret_access_key = value;
    }
  }
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Error{Errc::kInvalidArgument, "S3 credentials file " + path.string() +
                                             " lacks aws_access_key_id or aws_secret_access_key"};
  }
  return credentials;
}

}  // namespace medchain::store
