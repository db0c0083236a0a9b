#include <bit>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/audit_tree.hpp>
#include <optional>
#include <string>

namespace medchain::store {
namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

// One SHA-256 context for all the hashes of a tree, rather than one per hash.
class TreeHasher {
 public:
  Hash32 leaf(ByteView bytes) {
    return sha256_.update(ByteView(&kLeafPrefix, 1)).update(bytes).finish();
  }
  Hash32 node(const Hash32& left, const Hash32& right) {
    return sha256_.update(ByteView(&kNodePrefix, 1)).update(left).update(right).finish();
  }

 private:
  crypto::Sha256 sha256_;
};

// RFC 6962's k for n > 1: the largest power of two smaller than n.
std::size_t split_point(std::size_t n) {
  return std::bit_floor(n - 1);
}

// MTH over leaf hashes. REQUIRES: !leaf_hashes.empty().
Hash32 subtree_root(TreeHasher& hasher, std::span<const Hash32> leaf_hashes) {
  if (leaf_hashes.size() == 1) return leaf_hashes[0];
  const std::size_t k = split_point(leaf_hashes.size());
  return hasher.node(subtree_root(hasher, leaf_hashes.first(k)),
                     subtree_root(hasher, leaf_hashes.subspan(k)));
}

// RFC 6962's PATH(m, D[n]): the deeper siblings are appended first, so `out` runs from the
// leaf upwards. REQUIRES: m < leaf_hashes.size().
void audit_path(TreeHasher& hasher, std::span<const Hash32> leaf_hashes, std::size_t m,
                std::vector<Hash32>& out) {
  if (leaf_hashes.size() == 1) return;
  const std::size_t k = split_point(leaf_hashes.size());
  if (m < k) {
    audit_path(hasher, leaf_hashes.first(k), m, out);
    out.push_back(subtree_root(hasher, leaf_hashes.subspan(k)));
  } else {
    audit_path(hasher, leaf_hashes.subspan(k), m - k, out);
    out.push_back(subtree_root(hasher, leaf_hashes.first(k)));
  }
}

std::vector<Hash32> leaf_hashes_of(TreeHasher& hasher, std::span<const ByteView> leaves) {
  std::vector<Hash32> hashes;
  hashes.reserve(leaves.size());
  for (ByteView leaf : leaves) hashes.push_back(hasher.leaf(leaf));
  return hashes;
}

// The root a proof leads to from `leaf_hash`, by RFC 9162 section 2.1.3.2; nothing if the
// proof does not fit the position of leaf `index` in a tree of `tree_size` leaves.
std::optional<Hash32> root_from_proof(TreeHasher& hasher, const Hash32& leaf_hash,
                                      std::size_t index, std::size_t tree_size,
                                      std::span<const Hash32> proof) {
  if (index >= tree_size) return std::nullopt;
  std::size_t fn = index;
  std::size_t sn = tree_size - 1;
  Hash32 r = leaf_hash;
  for (const Hash32& p : proof) {
    if (sn == 0) return std::nullopt;  // the proof is longer than the path
    if ((fn & 1) != 0 || fn == sn) {
      r = hasher.node(p, r);
      // A right-most node without a sibling moves up unchanged: skip those levels.
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = hasher.node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return std::nullopt;  // the proof is shorter than the path
  return r;
}

Error index_out_of_range(std::size_t index, std::size_t size) {
  return Error{Errc::kInvalidArgument, "leaf " + std::to_string(index) + " is not in a tree of " +
                                           std::to_string(size) + " leaves"};
}

std::vector<ByteView> as_leaves(std::span<const Hash32> entry_hashes) {
  std::vector<ByteView> leaves;
  leaves.reserve(entry_hashes.size());
  for (const Hash32& hash : entry_hashes) leaves.push_back(hash.view());
  return leaves;
}

}  // namespace

Hash32 merkle_root(std::span<const ByteView> leaves) {
  if (leaves.empty()) return crypto::sha256({});
  TreeHasher hasher;
  return subtree_root(hasher, leaf_hashes_of(hasher, leaves));
}

Result<std::vector<Hash32>> merkle_inclusion_proof(std::span<const ByteView> leaves,
                                                   std::size_t index) {
  if (index >= leaves.size()) return index_out_of_range(index, leaves.size());
  TreeHasher hasher;
  std::vector<Hash32> proof;
  audit_path(hasher, leaf_hashes_of(hasher, leaves), index, proof);
  return proof;
}

bool verify_merkle_inclusion(ByteView leaf, std::size_t index, std::size_t tree_size,
                             std::span<const Hash32> proof, const Hash32& root) {
  TreeHasher hasher;
  std::optional<Hash32> computed =
      root_from_proof(hasher, hasher.leaf(leaf), index, tree_size, proof);
  return computed.has_value() && *computed == root;
}

Result<Hash32> audit_root(std::span<const Hash32> entry_hashes) {
  if (entry_hashes.empty()) {
    return Error{Errc::kInvalidArgument, "an audit anchor covers at least one entry"};
  }
  return merkle_root(as_leaves(entry_hashes));
}

Result<std::vector<Hash32>> audit_inclusion_proof(std::span<const Hash32> entry_hashes,
                                                  std::size_t index) {
  return merkle_inclusion_proof(as_leaves(entry_hashes), index);
}

bool verify_audit_inclusion(const Hash32& entry_hash, std::size_t index, std::size_t tree_size,
                            std::span<const Hash32> proof, const Hash32& root) {
  return verify_merkle_inclusion(entry_hash.view(), index, tree_size, proof, root);
}

}  // namespace medchain::store
