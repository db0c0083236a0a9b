#include <gtest/gtest.h>

#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/replication/placement.hpp>

namespace medchain::replication {
namespace {

Hash32 repeated(std::uint8_t byte) {
  Hash32 out;
  out.bytes.fill(byte);
  return out;
}

Hash32 numbered(std::uint32_t i, std::uint8_t salt) {
  return crypto::keccak256(concat({as_bytes(std::to_string(i)), ByteView(&salt, 1)}));
}

const std::vector<Hash32> kFour{repeated(0xaa), repeated(0xbb), repeated(0xcc), repeated(0xdd)};

// docs/format.md, "Replica placement": the scores as `cast keccak` computes them.
TEST(PlacementTest, ScoreIsKeccakOfRecordIdThenNodeIdAsCastComputesIt) {
  EXPECT_EQ(to_hex(placement_score(repeated(0x11), repeated(0xaa))),
            "0x78ebe20a005a5610ffd12bb10b985d39707041327636917519e78094d3341e2a");
  EXPECT_EQ(to_hex(placement_score(repeated(0x11), repeated(0xcc))),
            "0xfd6bcb131cbb1dbb4de8dd6b6e7a9211d63eee256ba0908642c7fb353bf5ec8c");
}

TEST(PlacementTest, HomeFirstThenTheOthersByDescendingScore) {
  // Scores of record 0x11..: cc 0xfd6b.., aa 0x78eb.., dd 0x6296.., bb 0x0943...
  EXPECT_EQ(holders(repeated(0x11), repeated(0xaa), kFour, 2),
            (std::vector<Hash32>{repeated(0xaa), repeated(0xcc)}));
  EXPECT_EQ(holders(repeated(0x11), repeated(0xaa), kFour, 3),
            (std::vector<Hash32>{repeated(0xaa), repeated(0xcc), repeated(0xdd)}));
  // The home node holds the version even when it scores lowest.
  EXPECT_EQ(holders(repeated(0x11), repeated(0xbb), kFour, 2),
            (std::vector<Hash32>{repeated(0xbb), repeated(0xcc)}));
  EXPECT_EQ(holders(repeated(0x11), repeated(0xaa), kFour, 1),
            (std::vector<Hash32>{repeated(0xaa)}));
}

TEST(PlacementTest, AnUnregisteredHomeHoldsNothingAndTheBestScoredDo) {
  EXPECT_EQ(holders(repeated(0x11), repeated(0xee), kFour, 2),
            (std::vector<Hash32>{repeated(0xcc), repeated(0xaa)}));
}

TEST(PlacementTest, MoreReplicasThanNodesMeansEveryNode) {
  EXPECT_EQ(holders(repeated(0x11), repeated(0xaa), kFour, 9).size(), 4u);
  EXPECT_TRUE(holders(repeated(0x11), repeated(0xaa), {}, 2).empty());
}

TEST(PlacementTest, TheOrderOfTheRegistryDoesNotMatter) {
  std::vector<Hash32> reversed(kFour.rbegin(), kFour.rend());
  for (std::uint32_t i = 0; i < 200; ++i) {
    const Hash32 record = numbered(i, 1);
    EXPECT_EQ(holders(record, kFour[i % 4], kFour, 2), holders(record, kFour[i % 4], reversed, 2));
  }
}

TEST(PlacementTest, HoldsAgreesWithHolders) {
  for (std::uint32_t i = 0; i < 100; ++i) {
    const Hash32 record = numbered(i, 2);
    const std::vector<Hash32> chosen = holders(record, kFour[0], kFour, 2);
    std::size_t holding = 0;
    for (const Hash32& node : kFour) holding += holds(node, record, kFour[0], kFour, 2) ? 1 : 0;
    EXPECT_EQ(holding, 2u);
    EXPECT_TRUE(holds(chosen[1], record, kFour[0], kFour, 2));
  }
}

// Each node's share of the second copies is about even, and a node registered later takes over
// only the placements it now wins, about 1/n of them, moving nothing between the old nodes.
TEST(PlacementTest, SecondCopiesSpreadEvenlyAndANewNodeMovesOnlyWhatItTakes) {
  std::vector<Hash32> nodes;
  for (std::uint32_t n = 0; n < 5; ++n) nodes.push_back(numbered(n, 9));
  const Hash32 home = nodes[0];
  constexpr std::uint32_t kRecords = 5000;
  std::map<Hash32, std::size_t> share;
  std::vector<Hash32> before;
  for (std::uint32_t i = 0; i < kRecords; ++i) {
    const std::vector<Hash32> chosen = holders(numbered(i, 3), home, nodes, 2);
    ASSERT_EQ(chosen.size(), 2u);
    ASSERT_EQ(chosen[0], home);
    ++share[chosen[1]];
    before.push_back(chosen[1]);
  }
  for (std::uint32_t n = 1; n < 5; ++n) {  // 4 candidates, 1250 each expected
    EXPECT_GT(share[nodes[n]], 1100u);
    EXPECT_LT(share[nodes[n]], 1400u);
  }

  nodes.push_back(numbered(5, 9));
  std::size_t moved = 0;
  for (std::uint32_t i = 0; i < kRecords; ++i) {
    const Hash32 second = holders(numbered(i, 3), home, nodes, 2)[1];
    if (second == before[i]) continue;
    EXPECT_EQ(second, nodes[5]) << "a placement moved between two old nodes";
    ++moved;
  }
  EXPECT_GT(moved, 850u);  // 1/5 of 5000 expected
  EXPECT_LT(moved, 1150u);
}

}  // namespace
}  // namespace medchain::replication
