#include <medchain/store/blob_location.hpp>
#include <medchain/store/disk_blob_store.hpp>
#include <medchain/store/s3_blob_store.hpp>

namespace medchain::store {

bool is_s3_location(const std::string& location) {
  return location.rfind("s3://", 0) == 0;
}

Result<std::unique_ptr<BlobStore>> open_blob_store(const BlobLocation& where,
                                                   const std::filesystem::path& default_directory) {
  if (!is_s3_location(where.location)) {
    const std::filesystem::path root =
        where.location.empty() ? default_directory : std::filesystem::path(where.location);
    MEDCHAIN_TRY(auto disk, DiskBlobStore::open(root, where.beside_a_running_node));
    return std::unique_ptr<BlobStore>(std::move(disk));
  }
  S3BlobStoreOptions options;
  MEDCHAIN_TRY_STATUS(parse_s3_location(where.location, options));
  if (where.s3_endpoint.empty()) {
    return Error{Errc::kInvalidArgument, "blobs on " + where.location + " need --s3-endpoint"};
  }
  options.endpoint = where.s3_endpoint;
  options.region = where.s3_region;
  MEDCHAIN_TRY(options.credentials, where.s3_credentials_file.empty()
                                        ? s3_credentials_from_environment()
                                        : s3_credentials_from_file(where.s3_credentials_file));
  MEDCHAIN_TRY(auto s3, S3BlobStore::open(std::move(options)));
  return std::unique_ptr<BlobStore>(std::move(s3));
}

}  // namespace medchain::store
