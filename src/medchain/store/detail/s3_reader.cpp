// Reading a blob from S3 (s3_blob_store.hpp) with ranged GETs, one window at a time.
//
// What a reader can check without trusting the server: every window is exactly the bytes
// asked for, of an object of the size the blob had when opened (Content-Range); and a read
// that went through the blob from its first byte to its last, in order, hashes to the blob's
// digest, or its final read() is kCheckFailed instead of the end. A read of a range (after a
// seek) is checked for length only; the node's clients verify the whole blob against the
// chain anyway.
#include <charconv>
#include <cstring>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>

#include "s3_transfer.hpp"

namespace medchain::store::detail {
namespace {

// The total in "bytes FIRST-LAST/TOTAL", or nullopt.
std::optional<std::uint64_t> content_range_total(const std::string& header) {
  const auto slash = header.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  std::uint64_t total = 0;
  const char* begin = header.data() + slash + 1;
  const char* end = header.data() + header.size();
  const auto [ptr, ec] = std::from_chars(begin, end, total);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return total;
}

class S3Reader final : public BlobReader::Backend {
 public:
  S3Reader(std::shared_ptr<const S3Client> client, std::string key, const Hash32& digest,
           std::uint64_t size, std::uint64_t window)
      : client_(std::move(client)),
        key_(std::move(key)),
        digest_(digest),
        size_(size),
        window_size_(window) {}

  std::uint64_t size() const noexcept override { return size_; }

  Result<std::size_t> read(std::span<std::uint8_t> out) override {
    if (position_ >= size_) {
      if (hashed_ == size_ && !checked_) {
        checked_ = true;
        if (hasher_.finish() != digest_) {
          return Error{Errc::kCheckFailed, "the object store's copy of blob " + to_hex(digest_) +
                                               " does not hash to its digest"};
        }
      }
      return std::size_t{0};
    }
    if (out.empty()) return std::size_t{0};
    if (position_ < window_start_ || position_ >= window_start_ + window_.size()) {
      MEDCHAIN_TRY_STATUS(fetch_window());
    }
    const std::uint64_t offset = position_ - window_start_;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), window_.size() - offset));
    std::memcpy(out.data(), window_.data() + offset, n);
    if (position_ == hashed_) {
      hasher_.update(ByteView(out.data(), n));
      hashed_ += n;
    }
    position_ += n;
    return n;
  }

  Status seek(std::uint64_t offset) override {
    if (offset > size_) return Error{Errc::kInvalidArgument, "seek past the end of the blob"};
    if (offset == 0 && hashed_ != 0) {  // a read from the start again is checked again
      hasher_.finish();
      hashed_ = 0;
      checked_ = false;
    }
    position_ = offset;
    return {};
  }

 private:
  Status fetch_window() {
    const std::uint64_t last = std::min(size_, position_ + window_size_) - 1;
    const std::string range = "bytes=" + std::to_string(position_) + "-" + std::to_string(last);
    MEDCHAIN_TRY(auto response, client_->send({"GET", key_, {}, {{"range", range}}, {}, {}}));
    if (response.status != 206) return s3_failure(response, "reading " + range + " of " + key_);
    const std::uint64_t expected = last - position_ + 1;
    const auto total = content_range_total(response.header("Content-Range"));
    if (response.body.size() != expected || total != size_) {
      return Error{Errc::kCheckFailed,
                   "the object store answered " + std::to_string(response.body.size()) +
                       " bytes for " + range + " of blob " + to_hex(digest_) + " (Content-Range " +
                       response.header("Content-Range") + ", size " + std::to_string(size_) +
                       "): it changed or is truncated"};
    }
    window_ = std::move(response.body);
    window_start_ = position_;
    return {};
  }

  std::shared_ptr<const S3Client> client_;
  std::string key_;
  Hash32 digest_;
  std::uint64_t size_;
  std::uint64_t window_size_;
  std::string window_;  // bytes [window_start_, window_start_ + window_.size())
  std::uint64_t window_start_ = 0;
  std::uint64_t position_ = 0;
  std::uint64_t hashed_ = 0;  // the hasher has seen bytes [0, hashed_)
  crypto::Sha256 hasher_;
  bool checked_ = false;
};

}  // namespace

std::unique_ptr<BlobReader::Backend> make_s3_reader(std::shared_ptr<const S3Client> client,
                                                    std::string key, const Hash32& digest,
                                                    std::uint64_t size, std::uint64_t window) {
  return std::make_unique<S3Reader>(std::move(client), std::move(key), digest, size, window);
}

}  // namespace medchain::store::detail
