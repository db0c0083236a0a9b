#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/blob_store.hpp>
#include <random>

namespace medchain::store {
namespace {

namespace fs = std::filesystem;

// Written bytes are handed to the disk in steps of this size while a blob streams in, so the
// fsync at commit finds little left to write instead of the whole blob (for 1 GiB, about 2 s).
constexpr std::uint64_t kWritebackStep = 8 << 20;

Error io_error(const std::string& what) {
  return Error{Errc::kIo, what + ": " + std::strerror(errno)};
}

// fsync of a directory makes a rename or a new entry in it durable.
Status sync_directory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open " + directory.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("fsync " + directory.string());
  return {};
}

Status write_all(int fd, ByteView bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write blob");
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

std::string unique_temp_name() {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(rng()) + ".part";
}

}  // namespace

struct BlobWriter::State {
  fs::path temp_path;
  fs::path store_root;
  int fd = -1;
  std::uint64_t max_size = 0;
  std::uint64_t written = 0;
  std::uint64_t handed_to_disk = 0;  // bytes whose writeback has been started
  crypto::Sha256 hasher;
  bool finished = false;

  ~State() {
    if (fd >= 0) ::close(fd);
    if (!finished) {
      std::error_code ignored;
      fs::remove(temp_path, ignored);
    }
  }
};

BlobWriter::BlobWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
BlobWriter::~BlobWriter() = default;
BlobWriter::BlobWriter(BlobWriter&&) noexcept = default;
BlobWriter& BlobWriter::operator=(BlobWriter&&) noexcept = default;

std::uint64_t BlobWriter::bytes_written() const noexcept {
  return state_->written;
}

Status BlobWriter::write(ByteView chunk) {
  State& s = *state_;
  if (s.finished) return Error{Errc::kInvalidArgument, "blob writer already committed"};
  if (chunk.size() > s.max_size - s.written) {
    return Error{Errc::kInvalidLength,
                 "blob exceeds the size limit of " + std::to_string(s.max_size) + " bytes"};
  }
  s.hasher.update(chunk);
  MEDCHAIN_TRY_STATUS(write_all(s.fd, chunk));
  s.written += chunk.size();
  if (s.written - s.handed_to_disk >= kWritebackStep) {
    // Starts writeback without waiting for it; durability still comes from the fsync at
    // commit, so a failure here changes nothing and is left to that fsync to report.
    ::sync_file_range(s.fd, static_cast<off_t>(s.handed_to_disk),
                      static_cast<off_t>(s.written - s.handed_to_disk), SYNC_FILE_RANGE_WRITE);
    s.handed_to_disk = s.written;
  }
  return {};
}

Result<Hash32> BlobWriter::commit(const std::optional<Hash32>& expected) {
  State& s = *state_;
  if (s.finished) return Error{Errc::kInvalidArgument, "blob writer already committed"};
  const Hash32 digest = s.hasher.finish();
  if (expected && *expected != digest) {
    return Error{Errc::kCheckFailed, "blob digest " + to_hex(digest) +
                                         " does not match the declared " + to_hex(*expected)};
  }
  if (::fsync(s.fd) != 0) return io_error("fsync blob");
  ::close(s.fd);
  s.fd = -1;
  const std::string name = to_hex(digest, false);
  const fs::path directory = s.store_root / "blobs" / name.substr(0, 2) / name.substr(2, 2);
  const fs::path final_path = directory / name;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return Error{Errc::kIo, "create " + directory.string() + ": " + ec.message()};
  if (fs::exists(final_path, ec)) return digest;  // deduplicated; ~State removes the temp file
  if (::rename(s.temp_path.c_str(), final_path.c_str()) != 0) return io_error("rename blob");
  s.finished = true;
  MEDCHAIN_TRY_STATUS(sync_directory(directory));
  return digest;
}

BlobReader::~BlobReader() {
  if (fd_ >= 0) ::close(fd_);
}

BlobReader::BlobReader(BlobReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

BlobReader& BlobReader::operator=(BlobReader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

Result<std::size_t> BlobReader::read(std::span<std::uint8_t> out) {
  for (;;) {
    const ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return io_error("read blob");
  }
}

Status BlobReader::seek(std::uint64_t offset) {
  if (offset > size_) return Error{Errc::kInvalidArgument, "seek past the end of the blob"};
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) return io_error("seek blob");
  return {};
}

Result<BlobStore> BlobStore::open(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root / "blobs", ec);
  if (!ec) fs::create_directories(root / "tmp", ec);
  if (ec)
    return Error{Errc::kIo, "cannot create blob store at " + root.string() + ": " + ec.message()};
  // Writes in progress when a previous process died never became visible; drop them.
  for (const auto& entry : fs::directory_iterator(root / "tmp", ec)) fs::remove(entry.path(), ec);
  return BlobStore(root);
}

fs::path BlobStore::path_of(const Hash32& digest) const {
  const std::string name = to_hex(digest, false);
  return root_ / "blobs" / name.substr(0, 2) / name.substr(2, 2) / name;
}

Result<BlobWriter> BlobStore::begin_write(std::uint64_t max_size) {
  auto state = std::make_unique<BlobWriter::State>();
  state->store_root = root_;
  state->temp_path = root_ / "tmp" / unique_temp_name();
  state->max_size = max_size;
  state->fd = ::open(state->temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (state->fd < 0) return io_error("create " + state->temp_path.string());
  return BlobWriter(std::move(state));
}

bool BlobStore::contains(const Hash32& digest) const {
  std::error_code ec;
  return fs::exists(path_of(digest), ec);
}

Result<BlobReader> BlobStore::open_read(const Hash32& digest) const {
  const fs::path path = path_of(digest);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error{Errc::kNotFound, "no blob " + to_hex(digest)};
    return io_error("open " + path.string());
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return io_error("stat " + path.string());
  }
  return BlobReader(fd, static_cast<std::uint64_t>(info.st_size));
}

Status BlobStore::remove(const Hash32& digest) {
  const fs::path path = path_of(digest);
  if (::unlink(path.c_str()) != 0) {
    return errno == ENOENT ? Status{} : io_error("remove " + path.string());
  }
  return sync_directory(path.parent_path());
}

Result<Hash32> BlobStore::put(ByteView content) {
  MEDCHAIN_TRY(BlobWriter writer, begin_write());
  MEDCHAIN_TRY_STATUS(writer.write(content));
  return writer.commit();
}

}  // namespace medchain::store
