// The Merkle tree that anchors batches of a node's audit log on chain (docs/format.md, "Audit
// anchors"): RFC 6962 section 2.1 (Certificate Transparency) with SHA-256.
//
//   leaf hash   = SHA-256(0x00 || leaf bytes)
//   inner hash  = SHA-256(0x01 || left || right)
//   MTH(D[n])   = the leaf hash for n = 1; for n > 1, with k the largest power of two smaller
//                 than n, the inner hash of MTH(D[0:k]) and MTH(D[k:n])
//
// An inclusion proof is RFC 6962's audit path: the sibling hashes from the leaf up to the root.
// It is checked with the algorithm of RFC 9162 section 2.1.3.2.
//
// For the audit log the leaves are the entries' 32-byte chained hashes (AuditEntry::hash), in
// seq order; an anchor (fromSeq, toSeq, merkleRoot) is the tree of entries fromSeq..toSeq, and
// entry `seq` is leaf seq - fromSeq of a tree of toSeq - fromSeq + 1 leaves.
#pragma once

#include <cstddef>
#include <medchain/core/bytes.hpp>
#include <medchain/core/result.hpp>
#include <span>
#include <vector>

namespace medchain::store {

// The tree head of the entries with these chained hashes, in seq order: the anchor's
// merkleRoot. REQUIRES: !entry_hashes.empty() (an anchor covers at least one entry);
// kInvalidArgument if empty.
Result<Hash32> audit_root(std::span<const Hash32> entry_hashes);

// The audit path of entry_hashes[index], from the leaf upwards (empty for a single entry).
// REQUIRES: index < entry_hashes.size(); kInvalidArgument if not.
Result<std::vector<Hash32>> audit_inclusion_proof(std::span<const Hash32> entry_hashes,
                                                  std::size_t index);

// True if `proof` shows that the entry with chained hash `entry_hash` is leaf `index` of a tree
// of `tree_size` entries whose head is `root`. False for anything else, including
// index >= tree_size and a proof too short or too long. The root does not commit to the size by
// itself: take tree_size from the same anchor as root.
bool verify_audit_inclusion(const Hash32& entry_hash, std::size_t index, std::size_t tree_size,
                            std::span<const Hash32> proof, const Hash32& root);

// The same tree over arbitrary leaf byte strings, as RFC 6962 defines it (what the published
// test vectors are in). The head of no leaves is SHA-256 of the empty string.
Hash32 merkle_root(std::span<const ByteView> leaves);
// REQUIRES: index < leaves.size(); kInvalidArgument if not.
Result<std::vector<Hash32>> merkle_inclusion_proof(std::span<const ByteView> leaves,
                                                   std::size_t index);
bool verify_merkle_inclusion(ByteView leaf, std::size_t index, std::size_t tree_size,
                             std::span<const Hash32> proof, const Hash32& root);

}  // namespace medchain::store
