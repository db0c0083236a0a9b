// A blob through the S3 blob store against a real s3rver on loopback, beside the disk store
// (issue 17): put and get throughput and the process's peak RSS growth.
//   medchain_s3_bench [MiB]   (default 1024; run from a directory on the data disk)
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <medchain/store/disk_blob_store.hpp>
#include <medchain/store/s3_blob_store.hpp>
#include <string>

#include "support/s3_server.hpp"

namespace {

using namespace medchain;
namespace fs = std::filesystem;
constexpr std::size_t kChunk = 1 << 20;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void measure(const char* name, store::BlobStore& store, std::size_t total) {
  Bytes chunk(kChunk);
  const double rss_before = peak_rss_mib();
  auto start = std::chrono::steady_clock::now();
  store::BlobWriter writer = store.begin_write().value();
  for (std::size_t written = 0; written < total; written += kChunk) {
    chunk[0] = static_cast<std::uint8_t>(written >> 20);  // not all chunks equal
    if (!writer.write(chunk).ok()) std::abort();
  }
  const Hash32 digest = writer.commit().value();
  const double put = seconds_since(start);
  const double rss_put = peak_rss_mib() - rss_before;

  start = std::chrono::steady_clock::now();
  store::BlobReader reader = store.open_read(digest).value();
  std::size_t read = 0;
  while (std::size_t n = reader.read(chunk).value()) read += n;  // checks the digest at the end
  if (read != total) std::abort();
  const double get = seconds_since(start);
  const double mb = static_cast<double>(total) / 1e6;
  std::printf("| %s | %.0f MB/s (%.1f s) | %.0f MB/s (%.1f s) | %.0f MiB | %.0f MiB |\n", name,
              mb / put, put, mb / get, get, rss_put, peak_rss_mib() - rss_before);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::stoul(argv[1]) : 1024;
  const std::size_t total = mib << 20;
  std::printf("%zu MiB blob, 1 MiB writes and reads\n\n", mib);
  std::printf(
      "| store | put | get (sequential, digest checked) | peak RSS growth, put | after get |\n");
  std::printf("|---|---|---|---|---|\n");
  const fs::path root = fs::current_path() / ("medchain-s3-bench-" + std::to_string(getpid()));
  {
    auto disk = store::DiskBlobStore::open(root).value();
    measure("disk", *disk, total);
  }
  fs::remove_all(root);
  medchain::test::TempS3Server server;
  auto s3 = store::S3BlobStore::open(server.options()).value();
  measure("S3 (s3rver on loopback, 8 MiB parts, 4 MiB ranged GETs)", *s3, total);
  return 0;
}
