// Streaming 1 GiB through the blob store: throughput and peak RSS growth (goal: >= 500 MB/s
// each way, <= 64 MiB growth). Run from a directory on the disk the node would use.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <medchain/store/disk_blob_store.hpp>

namespace medchain::store {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kTotal = std::size_t{1} << 30;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

fs::path bench_root() {
  return fs::current_path() / ("medchain-blob-bench-" + std::to_string(getpid()));
}

Hash32 write_gib(BlobStore& store) {
  Bytes chunk(kChunk);
  BlobWriter writer = store.begin_write().value();
  for (std::size_t written = 0; written < kTotal; written += kChunk) {
    chunk[0] = static_cast<std::uint8_t>(written >> 20);  // not all chunks equal
    if (!writer.write(chunk).ok()) std::abort();
  }
  return writer.commit().value();
}

void BM_BlobWrite1GiB(benchmark::State& state) {
  const double rss_before = peak_rss_mib();
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(bench_root());
    const auto store = DiskBlobStore::open(bench_root()).value();
    state.ResumeTiming();
    benchmark::DoNotOptimize(write_gib(*store));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
  state.counters["peak_rss_growth_MiB"] = peak_rss_mib() - rss_before;
  fs::remove_all(bench_root());
}
BENCHMARK(BM_BlobWrite1GiB)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_BlobRead1GiB(benchmark::State& state) {
  fs::remove_all(bench_root());
  const auto store = DiskBlobStore::open(bench_root()).value();
  const Hash32 digest = write_gib(*store);
  const double rss_before = peak_rss_mib();
  Bytes buffer(kChunk);
  for (auto _ : state) {
    BlobReader reader = store->open_read(digest).value();
    std::size_t total = 0;
    while (std::size_t n = reader.read(buffer).value()) total += n;
    if (total != kTotal) std::abort();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
  state.counters["peak_rss_growth_MiB"] = peak_rss_mib() - rss_before;
  fs::remove_all(bench_root());
}
BENCHMARK(BM_BlobRead1GiB)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace medchain::store
