// Test helper: streams SIZE_MIB MiB of deterministic bytes (seeded by SEED) into the blob store
// at ROOT and prints the digest. The crash test kills it part-way with SIGKILL.
//   blob_write_tool ROOT SIZE_MIB SEED
#include <cstring>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/store/disk_blob_store.hpp>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: blob_write_tool ROOT SIZE_MIB SEED\n";
    return 2;
  }
  auto store = medchain::store::DiskBlobStore::open(argv[1]);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  const std::size_t mib = std::stoul(argv[2]);
  std::mt19937_64 rng(std::stoull(argv[3]));
  auto writer = (*store)->begin_write();
  if (!writer) return 1;
  medchain::Bytes chunk(1 << 20);
  for (std::size_t i = 0; i < mib; ++i) {
    for (std::size_t j = 0; j < chunk.size(); j += 8) {
      const std::uint64_t word = rng();
      std::memcpy(chunk.data() + j, &word, 8);
    }
    if (!writer->write(chunk).ok()) return 1;
  }
  auto digest = writer->commit();
  if (!digest) {
    std::cerr << digest.error().message << "\n";
    return 1;
  }
  std::cout << medchain::to_hex(*digest) << "\n";
  return 0;
}
