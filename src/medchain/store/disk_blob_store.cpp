#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/disk_blob_store.hpp>
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

class DiskWriter final : public BlobWriter::Backend {
 public:
  DiskWriter(fs::path temp_path, fs::path store_root, int fd, std::uint64_t max_size)
      : temp_path_(std::move(temp_path)),
        store_root_(std::move(store_root)),
        fd_(fd),
        max_size_(max_size) {}
  ~DiskWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) {
      std::error_code ignored;
      fs::remove(temp_path_, ignored);
    }
  }

  std::uint64_t bytes_written() const noexcept override { return written_; }

  Status write(ByteView chunk) override {
    if (finished_) return Error{Errc::kInvalidArgument, "blob writer already committed"};
    if (chunk.size() > max_size_ - written_) {
      return Error{Errc::kInvalidLength,
                   "blob exceeds the size limit of " + std::to_string(max_size_) + " bytes"};
    }
    hasher_.update(chunk);
    MEDCHAIN_TRY_STATUS(write_all(fd_, chunk));
    written_ += chunk.size();
    if (written_ - handed_to_disk_ >= kWritebackStep) {
      // Starts writeback without waiting for it; durability still comes from the fsync at
      // commit, so a failure here changes nothing and is left to that fsync to report.
      ::sync_file_range(fd_, static_cast<off_t>(handed_to_disk_),
                        static_cast<off_t>(written_ - handed_to_disk_), SYNC_FILE_RANGE_WRITE);
      handed_to_disk_ = written_;
    }
    return {};
  }

  Result<Hash32> commit(const std::optional<Hash32>& expected) override {
    if (finished_) return Error{Errc::kInvalidArgument, "blob writer already committed"};
    const Hash32 digest = hasher_.finish();
    if (expected && *expected != digest) {
      return Error{Errc::kCheckFailed, "blob digest " + to_hex(digest) +
                                           " does not match the declared " + to_hex(*expected)};
    }
    if (::fsync(fd_) != 0) return io_error("fsync blob");
    ::close(fd_);
    fd_ = -1;
    const std::string name = to_hex(digest, false);
    const fs::path directory = store_root_ / "blobs" / name.substr(0, 2) / name.substr(2, 2);
    const fs::path final_path = directory / name;
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) return Error{Errc::kIo, "create " + directory.string() + ": " + ec.message()};
    if (fs::exists(final_path, ec)) return digest;  // deduplicated; the destructor drops the temp
    if (::rename(temp_path_.c_str(), final_path.c_str()) != 0) return io_error("rename blob");
    finished_ = true;
    MEDCHAIN_TRY_STATUS(sync_directory(directory));
    return digest;
  }

 private:
  fs::path temp_path_;
  fs::path store_root_;
  int fd_ = -1;
  std::uint64_t max_size_ = 0;
  std::uint64_t written_ = 0;
  std::uint64_t handed_to_disk_ = 0;  // bytes whose writeback has been started
  crypto::Sha256 hasher_;
  bool finished_ = false;
};

class DiskReader final : public BlobReader::Backend {
 public:
  DiskReader(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  ~DiskReader() override { ::close(fd_); }
  DiskReader(const DiskReader&) = delete;
  DiskReader& operator=(const DiskReader&) = delete;

  std::uint64_t size() const noexcept override { return size_; }

  Result<std::size_t> read(std::span<std::uint8_t> out) override {
    for (;;) {
      const ssize_t n = ::read(fd_, out.data(), out.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) return io_error("read blob");
    }
  }

  Status seek(std::uint64_t offset) override {
    if (offset > size_) return Error{Errc::kInvalidArgument, "seek past the end of the blob"};
    if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) return io_error("seek blob");
    return {};
  }

 private:
  int fd_;
  std::uint64_t size_;
};

}  // namespace

Result<std::unique_ptr<DiskBlobStore>> DiskBlobStore::open(const fs::path& root,
                                                           bool beside_a_running_node) {
  std::error_code ec;
  fs::create_directories(root / "blobs", ec);
  if (!ec) fs::create_directories(root / "tmp", ec);
  if (ec)
    return Error{Errc::kIo, "cannot create blob store at " + root.string() + ": " + ec.message()};
  // Writes in progress when a previous process died never became visible; drop them.
  if (!beside_a_running_node) {
    for (const auto& entry : fs::directory_iterator(root / "tmp", ec)) fs::remove(entry.path(), ec);
  }
  return std::unique_ptr<DiskBlobStore>(new DiskBlobStore(root));
}

fs::path DiskBlobStore::path_of(const Hash32& digest) const {
  const std::string name = to_hex(digest, false);
  return root_ / "blobs" / name.substr(0, 2) / name.substr(2, 2) / name;
}

Result<BlobWriter> DiskBlobStore::begin_write(std::uint64_t max_size) {
  fs::path temp_path = root_ / "tmp" / unique_temp_name();
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create " + temp_path.string());
  return BlobWriter(std::make_unique<DiskWriter>(std::move(temp_path), root_, fd, max_size));
}

bool DiskBlobStore::contains(const Hash32& digest) const {
  std::error_code ec;
  return fs::exists(path_of(digest), ec);
}

Result<BlobReader> DiskBlobStore::open_read(const Hash32& digest) const {
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
  return BlobReader(std::make_unique<DiskReader>(fd, static_cast<std::uint64_t>(info.st_size)));
}

Status DiskBlobStore::remove(const Hash32& digest) {
  const fs::path path = path_of(digest);
  if (::unlink(path.c_str()) != 0) {
    return errno == ENOENT ? Status{} : io_error("remove " + path.string());
  }
  return sync_directory(path.parent_path());
}

}  // namespace medchain::store
