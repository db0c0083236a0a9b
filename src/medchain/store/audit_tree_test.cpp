#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/audit_tree.hpp>
#include <string>
#include <vector>

namespace medchain::store {
namespace {

Hash32 h(std::string_view hex) {
  return from_hex_fixed<Hash32>(hex).value();
}

std::vector<Hash32> hashes(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash32> out;
  for (std::string_view hex : hexes) out.push_back(h(hex));
  return out;
}

// The Certificate Transparency reference tree (RFC 6962): eight leaves, the tree heads of its
// first 1..8 leaves and four audit paths. Data from transparency-dev/merkle, proof/verify_test.go
// (inherited from google/certificate-transparency); its indices there are 1-based, here 0-based.
const std::vector<Bytes> kCtLeaves = {
    from_hex("0x").value(),
    from_hex("0x00").value(),
    from_hex("0x10").value(),
    from_hex("0x2021").value(),
    from_hex("0x3031").value(),
    from_hex("0x40414243").value(),
    from_hex("0x5051525354555657").value(),
    from_hex("0x606162636465666768696a6b6c6d6e6f").value(),
};

const std::vector<Hash32> kCtRoots = hashes({
    "0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "0xaeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "0x4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "0x76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "0xddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
});

const Hash32 kCtEmptyRoot = h("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

struct CtInclusion {
  std::size_t index;
  std::size_t size;
  std::vector<Hash32> proof;
};

const std::vector<CtInclusion> kCtInclusions = {
    {0, 1, {}},
    {0, 8,
     hashes({"0x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "0x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
    {5, 8,
     hashes({"0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "0xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
    {2, 3, hashes({"0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
    {1, 5,
     hashes({"0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
};

std::vector<ByteView> ct_leaves(std::size_t n) {
  return std::vector<ByteView>(kCtLeaves.begin(),
                               kCtLeaves.begin() + static_cast<std::ptrdiff_t>(n));
}

// Distinct, chained-looking entry hashes: SHA-256 of "entry 1", "entry 2", ...
std::vector<Hash32> entry_hashes(std::size_t n) {
  std::vector<Hash32> out;
  for (std::size_t i = 1; i <= n; ++i)
    out.push_back(crypto::sha256(as_bytes("entry " + std::to_string(i))));
  return out;
}

Hash32 flip_bit(Hash32 hash) {
  hash.bytes[0] ^= 0x08;
  return hash;
}

TEST(AuditTree, RootsMatchCertificateTransparencyVectors) {
  EXPECT_EQ(merkle_root({}), kCtEmptyRoot);
  for (std::size_t n = 1; n <= kCtLeaves.size(); ++n) {
    EXPECT_EQ(merkle_root(ct_leaves(n)), kCtRoots[n - 1]) << "size " << n;
  }
}

TEST(AuditTree, ProofsMatchCertificateTransparencyVectors) {
  for (const CtInclusion& v : kCtInclusions) {
    SCOPED_TRACE("leaf " + std::to_string(v.index) + " of " + std::to_string(v.size));
    Result<std::vector<Hash32>> proof = merkle_inclusion_proof(ct_leaves(v.size), v.index);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*proof, v.proof);
    const Hash32& root = kCtRoots[v.size - 1];
    ByteView leaf = kCtLeaves[v.index];
    EXPECT_TRUE(verify_merkle_inclusion(leaf, v.index, v.size, v.proof, root));
    // The reference suite's probes of a wrong tree height and a wrong root.
    EXPECT_FALSE(verify_merkle_inclusion(leaf, v.index, v.size * 2, v.proof, root));
    if (v.index < v.size / 2) {
      EXPECT_FALSE(verify_merkle_inclusion(leaf, v.index, v.size / 2, v.proof, root));
    }
    EXPECT_FALSE(verify_merkle_inclusion(leaf, v.index, v.size, v.proof, kCtEmptyRoot));
    EXPECT_FALSE(verify_merkle_inclusion(as_bytes("WrongLeaf"), v.index, v.size, v.proof, root));
  }
}

TEST(AuditTree, SingleEntryRootIsItsLeafHash) {
  const Hash32 entry = entry_hashes(1)[0];
  const Hash32 leaf_hash = crypto::sha256(concat({Bytes{0x00}, entry.view()}));
  EXPECT_EQ(audit_root(std::vector{entry}).value(), leaf_hash);
  EXPECT_TRUE(audit_inclusion_proof(std::vector{entry}, 0).value().empty());
  EXPECT_TRUE(verify_audit_inclusion(entry, 0, 1, {}, leaf_hash));
  EXPECT_FALSE(verify_audit_inclusion(entry, 0, 1, {}, entry));
}

// The vector of docs/format.md, "Audit anchors" (cross-checked with Python's hashlib).
TEST(AuditTree, MatchesTheDocumentedVector) {
  const std::vector<Hash32> entries = entry_hashes(3);
  const Hash32 root = h("0xcce0098e73bb0ba1ba388e1a3c5f44a3cafb2059de19a00fea110a01fc1b4c02");
  EXPECT_EQ(audit_root(entries).value(), root);
  const std::vector<Hash32> proof =
      hashes({"0x29b8dfcc80825109c77dd99a8950b1190f0b65cc2d876012a40e810662cb023d",
              "0x24665e3a9be096bd4b2d43cdc2dbfeeee189a43ef69bb6fc9ca893e0162b97b9"});
  EXPECT_EQ(audit_inclusion_proof(entries, 1).value(), proof);
  EXPECT_TRUE(verify_audit_inclusion(entries[1], 1, 3, proof, root));
}

TEST(AuditTree, EveryEntryOfTreesUpTo33Verifies) {
  for (std::size_t n = 1; n <= 33; ++n) {
    const std::vector<Hash32> entries = entry_hashes(n);
    const Hash32 root = audit_root(entries).value();
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("entry " + std::to_string(i) + " of " + std::to_string(n));
      const std::vector<Hash32> proof = audit_inclusion_proof(entries, i).value();
      EXPECT_TRUE(verify_audit_inclusion(entries[i], i, n, proof, root));
    }
  }
}

TEST(AuditTree, TamperedProofsFail) {
  for (std::size_t n = 1; n <= 33; ++n) {
    const std::vector<Hash32> entries = entry_hashes(n);
    const Hash32 root = audit_root(entries).value();
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("entry " + std::to_string(i) + " of " + std::to_string(n));
      const std::vector<Hash32> proof = audit_inclusion_proof(entries, i).value();
      // A changed entry.
      EXPECT_FALSE(verify_audit_inclusion(flip_bit(entries[i]), i, n, proof, root));
      if (n > 1) {
        EXPECT_FALSE(verify_audit_inclusion(entries[(i + 1) % n], i, n, proof, root));
      }
      // A wrong index.
      EXPECT_FALSE(verify_audit_inclusion(entries[i], i + 1, n, proof, root));
      if (i > 0) {
        EXPECT_FALSE(verify_audit_inclusion(entries[i], i - 1, n, proof, root));
      }
      // A wrong size. Sizes whose path to leaf i has the same shape give the same root from the
      // same proof (RFC 9162 binds the size through the signed tree head, medchain through the
      // anchor's range), so probe sizes whose path always differs: double and below the index.
      EXPECT_FALSE(verify_audit_inclusion(entries[i], i, 2 * n, proof, root));
      EXPECT_FALSE(verify_audit_inclusion(entries[i], i, i, proof, root));
      // A wrong root.
      EXPECT_FALSE(verify_audit_inclusion(entries[i], i, n, proof, flip_bit(root)));
      // A truncated, an extended and a modified proof.
      if (!proof.empty()) {
        const std::span<const Hash32> truncated(proof.data(), proof.size() - 1);
        EXPECT_FALSE(verify_audit_inclusion(entries[i], i, n, truncated, root));
        for (std::size_t j = 0; j < proof.size(); ++j) {
          std::vector<Hash32> modified = proof;
          modified[j] = flip_bit(modified[j]);
          EXPECT_FALSE(verify_audit_inclusion(entries[i], i, n, modified, root));
        }
      }
      std::vector<Hash32> extended = proof;
      extended.push_back(root);
      EXPECT_FALSE(verify_audit_inclusion(entries[i], i, n, extended, root));
    }
  }
}

TEST(AuditTree, OutOfRangeIsInvalidArgument) {
  const std::vector<Hash32> entries = entry_hashes(5);
  Result<std::vector<Hash32>> proof = audit_inclusion_proof(entries, 5);
  ASSERT_FALSE(proof.ok());
  EXPECT_EQ(proof.error().code, Errc::kInvalidArgument);
  Result<Hash32> root = audit_root({});
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().code, Errc::kInvalidArgument);
  EXPECT_FALSE(merkle_inclusion_proof({}, 0).ok());
  // Verification only answers yes or no: an index outside the tree, or no tree, is a no.
  EXPECT_FALSE(verify_audit_inclusion(entries[0], 5, 5, {}, audit_root(entries).value()));
  EXPECT_FALSE(verify_audit_inclusion(entries[0], 0, 0, {}, kCtEmptyRoot));
}

}  // namespace
}  // namespace medchain::store
