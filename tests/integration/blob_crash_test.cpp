// kill -9 during a 200 MiB blob write: no partial blob is ever visible, and a retry completes
// and verifies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <medchain/core/hex.hpp>
#include <medchain/core/process.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/disk_blob_store.hpp>
#include <random>
#include <thread>

#include "support/process.hpp"

namespace medchain::store {
namespace {

namespace fs = std::filesystem;

std::size_t count_files(const fs::path& directory) {
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  return files;
}

TEST(BlobCrash, KilledWriterLeavesNoPartialBlobAndRetrySucceeds) {
  const fs::path root =
      fs::temp_directory_path() / ("medchain-blob-crash-" + std::to_string(getpid()));
  fs::remove_all(root);
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 5; ++round) {
    auto writer = ChildProcess::spawn({BLOB_WRITE_TOOL, root.string(), "200", "7"});
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    // Kill it once its temporary file has grown past a random point of the 200 MiB.
    const std::uintmax_t threshold = (1 + rng() % 190) << 20;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool reached = false;
    while (!reached && std::chrono::steady_clock::now() < give_up) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(root / "tmp", ec)) {
        reached = reached || entry.file_size(ec) >= threshold;
      }
      if (!reached) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    writer->kill_hard();
    ASSERT_TRUE(reached) << "the writer never got to " << (threshold >> 20) << " MiB";
    if (fs::exists(root / "blobs")) {
      // Either nothing is visible, or the complete blob (if the write won the race).
      for (const auto& entry : fs::recursive_directory_iterator(root / "blobs")) {
        if (!entry.is_regular_file()) continue;
        EXPECT_EQ(entry.file_size(), 200u << 20) << "partial blob visible: " << entry.path();
      }
    }
  }
  // A retry completes; reopening also cleared the crashed writers' temporary files.
  const test::ProcessResult retry =
      test::run_process({BLOB_WRITE_TOOL, root.string(), "200", "7"}, std::chrono::seconds(120));
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(count_files(root / "tmp"), 0u);
  const Hash32 digest = from_hex_fixed<Hash32>(retry.out.substr(0, 66)).value();
  const auto store = DiskBlobStore::open(root).value();
  BlobReader reader = store->open_read(digest).value();
  EXPECT_EQ(reader.size(), 200u << 20);
  crypto::Sha256 hasher;
  Bytes buffer(1 << 20);
  while (std::size_t n = reader.read(buffer).value()) hasher.update(ByteView(buffer).first(n));
  EXPECT_EQ(hasher.finish(), digest) << "stored bytes do not hash to their address";
  EXPECT_EQ(count_files(root / "blobs"), 1u);
  fs::remove_all(root);
}

}  // namespace
}  // namespace medchain::store
