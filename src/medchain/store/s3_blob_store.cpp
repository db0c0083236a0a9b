#include <medchain/core/hex.hpp>
#include <medchain/store/s3_blob_store.hpp>

#include "detail/s3_client.hpp"
#include "detail/s3_transfer.hpp"

namespace medchain::store {

Status parse_s3_location(std::string_view url, S3BlobStoreOptions& options) {
  constexpr std::string_view kScheme = "s3://";
  if (url.rfind(kScheme, 0) != 0) {
    return Error{Errc::kInvalidArgument, "expected s3://BUCKET[/PREFIX], got " + std::string(url)};
  }
  const std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string_view bucket = rest.substr(0, slash);
  // S3's bucket naming rules, in short: 3 to 63 of [a-z0-9.-].
  if (bucket.size() < 3 || bucket.size() > 63 ||
      bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
    return Error{Errc::kInvalidArgument, "not an S3 bucket name: " + std::string(bucket)};
  }
  options.bucket = std::string(bucket);
  options.prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  if (!options.prefix.empty() && options.prefix.back() != '/') options.prefix += '/';
  return {};
}

S3BlobStore::S3BlobStore(S3BlobStoreOptions options, std::shared_ptr<detail::S3Client> client)
    : options_(std::move(options)), client_(std::move(client)) {}

S3BlobStore::~S3BlobStore() = default;

Result<std::unique_ptr<S3BlobStore>> S3BlobStore::open(S3BlobStoreOptions options) {
  MEDCHAIN_TRY(auto endpoint, chain::HttpEndpoint::parse(options.endpoint));
  if (options.bucket.empty()) return Error{Errc::kInvalidArgument, "no S3 bucket given"};
  if (options.part_size == 0) {
    return Error{Errc::kInvalidArgument, "S3 part size must be positive"};
  }
  if (options.read_window == 0) return Error{Errc::kInvalidArgument, "S3 read window is 0"};
  auto client =
      std::make_shared<detail::S3Client>(std::move(endpoint), options.bucket, options.region,
                                         options.credentials, options.request_timeout);
  MEDCHAIN_TRY(auto response, client->send({"HEAD", "", {}, {}, {}, {}}));
  if (response.status != 200) {
    return detail::s3_failure(response, "opening blob store " + client->describe());
  }
  return std::unique_ptr<S3BlobStore>(new S3BlobStore(std::move(options), std::move(client)));
}

std::string S3BlobStore::key_of(const Hash32& digest) const {
  return detail::S3Keys{options_.prefix}.blob(digest);
}

Result<BlobWriter> S3BlobStore::begin_write(std::uint64_t max_size) {
  return BlobWriter(detail::make_s3_writer(client_, detail::S3Keys{options_.prefix}, max_size,
                                           options_.part_size));
}

bool S3BlobStore::contains(const Hash32& digest) const {
  return detail::s3_object_size(*client_, key_of(digest)).ok();
}

Result<BlobReader> S3BlobStore::open_read(const Hash32& digest) const {
  const std::string key = key_of(digest);
  auto size = detail::s3_object_size(*client_, key);
  if (!size.ok()) {
    if (size.error().code == Errc::kNotFound) {
      return Error{Errc::kNotFound, "no blob " + to_hex(digest)};
    }
    return size.error();
  }
  return BlobReader(detail::make_s3_reader(client_, key, digest, *size, options_.read_window));
}

Status S3BlobStore::remove(const Hash32& digest) {
  MEDCHAIN_TRY(auto response, client_->send({"DELETE", key_of(digest), {}, {}, {}, {}}));
  if (response.status != 204 && response.status != 200 && response.status != 404) {
    return detail::s3_failure(response, "removing blob " + to_hex(digest));
  }
  return {};
}

}  // namespace medchain::store
