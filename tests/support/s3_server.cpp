#include "support/s3_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
// s3rver keeps an object KEY as the file KEY._S3rver_object and uploads in ._S3rver_uploads.
constexpr std::string_view kObjectSuffix = "._S3rver_object";

bool accepts_connections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

TempS3Server::TempS3Server() {
  const fs::path source = MEDCHAIN_SOURCE_DIR;
  if (!fs::exists(source / "node_modules/.bin/s3rver")) {
    throw std::runtime_error("s3rver is not installed in node_modules (run scripts/setup)");
  }
  char pattern[] = "/tmp/medchain-s3-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  port_ = pick_free_loopback_port().value();
  auto started = ChildProcess::spawn(
      {"/usr/bin/env", "node", (source / "tests/support/s3rver_launcher.js").string(),
       (directory_ / "data").string(), std::to_string(port_), bucket_},
      directory_ / "server.log");
  if (!started.ok()) throw std::runtime_error(started.error().message);
  process_ = std::move(*started);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!accepts_connections(port_)) {
    if (!process_.running() || std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error("s3rver did not start; see " + (directory_ / "server.log").string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // The bucket is created just after the port opens; wait for its folder.
  while (!fs::exists(directory_ / "data" / bucket_)) {
    if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("no s3rver bucket");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TempS3Server::~TempS3Server() {
  kill();
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

void TempS3Server::kill() {
  if (process_.pid() > 0) process_.kill_hard();
}

std::string TempS3Server::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

store::S3BlobStoreOptions TempS3Server::options(const std::string& prefix) const {
  store::S3BlobStoreOptions options;
  options.endpoint = endpoint();
  options.bucket = bucket_;
  options.prefix = prefix;
  options.credentials = {"S3RVER", "S3RVER"};
  options.request_timeout = std::chrono::seconds(30);
  return options;
}

std::vector<std::string> TempS3Server::node_args(const std::string& prefix) const {
  const fs::path keys = directory_ / "credentials";
  if (!fs::exists(keys)) {
    std::ofstream(keys) << "aws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n";
    fs::permissions(keys, fs::perms::owner_read | fs::perms::owner_write);
  }
  return {"--blobs",          "s3://" + bucket_ + "/" + prefix,
          "--s3-endpoint",    endpoint(),
          "--s3-credentials", keys.string()};
}

fs::path TempS3Server::object_file(const std::string& key) const {
  return directory_ / "data" / bucket_ / (key + std::string(kObjectSuffix));
}

std::size_t TempS3Server::object_count(const std::string& key_prefix) const {
  const fs::path root = directory_ / "data" / bucket_;
  std::size_t count = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const std::string relative = fs::relative(it->path(), root).string();
    if (relative.size() > kObjectSuffix.size() && relative.ends_with(kObjectSuffix) &&
        relative.rfind(key_prefix, 0) == 0) {
      ++count;
    }
  }
  return count;
}

std::size_t TempS3Server::pending_uploads() const {
  const fs::path uploads = directory_ / "data" / bucket_ / "._S3rver_uploads";
  std::error_code ec;
  std::size_t count = 0;
  for (auto it = fs::directory_iterator(uploads, ec); !ec && it != fs::end(it); it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace medchain::test
