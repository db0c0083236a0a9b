#include <gtest/gtest.h>
#include <unistd.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/disk_blob_store.hpp>

namespace medchain::store {
namespace {

namespace fs = std::filesystem;

// The disk backend; another backend (object storage, GridFS) must pass the same cases.
class DiskBlobStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("medchain-blob-test-" + std::to_string(getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static Bytes pattern(std::size_t size) {
    Bytes out(size);
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 131 + 7);
    return out;
  }

  static Bytes read_all(BlobReader& reader) {
    Bytes out;
    std::uint8_t buffer[4096];
    for (;;) {
      std::size_t n = reader.read(buffer).value();
      if (n == 0) return out;
      out.insert(out.end(), buffer, buffer + n);
    }
  }

  std::size_t temp_files() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(root_ / "tmp"), fs::directory_iterator{}));
  }

  fs::path root_;
};

TEST_F(DiskBlobStoreTest, StreamedBlobReadsBackByItsSha256) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  const Bytes content = pattern(3 * 1024 * 1024 + 17);
  BlobWriter writer = store.begin_write().value();
  for (std::size_t offset = 0; offset < content.size(); offset += 65536) {
    const std::size_t n = std::min<std::size_t>(65536, content.size() - offset);
    ASSERT_TRUE(writer.write(ByteView(content).subspan(offset, n)).ok());
  }
  const Hash32 digest = writer.commit(crypto::sha256(content)).value();
  EXPECT_EQ(digest, crypto::sha256(content));
  ASSERT_TRUE(store.contains(digest));
  BlobReader reader = store.open_read(digest).value();
  EXPECT_EQ(reader.size(), content.size());
  EXPECT_EQ(read_all(reader), content);
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(DiskBlobStoreTest, DigestMismatchLeavesNothingVisible) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  const Bytes content = pattern(1000);
  BlobWriter writer = store.begin_write().value();
  ASSERT_TRUE(writer.write(content).ok());
  const Hash32 wrong = crypto::sha256(as_bytes("something else"));
  auto committed = writer.commit(wrong);
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.error().code, Errc::kCheckFailed);
  EXPECT_FALSE(store.contains(crypto::sha256(content)));
  EXPECT_FALSE(store.contains(wrong));
  writer = store.begin_write().value();  // the failed writer is destroyed here
  EXPECT_EQ(temp_files(), 1u);           // only the new, open one
}

TEST_F(DiskBlobStoreTest, SizeLimitIsEnforcedWhileStreaming) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  BlobWriter writer = store.begin_write(100).value();
  EXPECT_TRUE(writer.write(pattern(60)).ok());
  auto over = writer.write(pattern(41));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::kInvalidLength);
}

TEST_F(DiskBlobStoreTest, EqualContentIsStoredOnce) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  const Hash32 first = store.put(pattern(5000)).value();
  const Hash32 second = store.put(pattern(5000)).value();
  EXPECT_EQ(first, second);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root_ / "blobs")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(DiskBlobStoreTest, SeekServesRanges) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  const Bytes content = pattern(10000);
  BlobReader reader = store.open_read(store.put(content).value()).value();
  ASSERT_TRUE(reader.seek(9000).ok());
  EXPECT_EQ(read_all(reader), Bytes(content.begin() + 9000, content.end()));
  EXPECT_FALSE(reader.seek(10001).ok());
}

TEST_F(DiskBlobStoreTest, UnknownDigestIsNotFound) {
  auto owned = DiskBlobStore::open(root_).value();
  BlobStore& store = *owned;
  auto reader = store.open_read(crypto::sha256(as_bytes("absent")));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, Errc::kNotFound);
}

TEST_F(DiskBlobStoreTest, ReopeningDropsLeftoverPartialWrites) {
  {
    auto owned = DiskBlobStore::open(root_).value();
    BlobStore& store = *owned;
    BlobWriter writer = store.begin_write().value();
    ASSERT_TRUE(writer.write(pattern(100)).ok());
    // Simulate a crash: the temp file survives the process.
    fs::copy_file(fs::directory_iterator(root_ / "tmp")->path(), root_ / "tmp" / "crashed.part");
  }
  EXPECT_EQ(temp_files(), 1u);
  const auto reopened = DiskBlobStore::open(root_).value();
  EXPECT_EQ(temp_files(), 0u);
}

}  // namespace
}  // namespace medchain::store
