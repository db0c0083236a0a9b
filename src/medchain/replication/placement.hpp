// Which registered storage nodes keep a record version: its placement among r holders.
//
// The home node (the nodeId the chain recorded for the version: the node it was uploaded to)
// always holds it. The other r - 1 holders are the registered nodes ranking highest by the
// rendezvous score keccak256(recordId || nodeId), the 32-byte values compared as big-endian
// numbers (docs/format.md, "Replica placement"). Every node computes the same answer from the
// chain alone, with no coordination and no placement table, and all versions of one record
// land on the same nodes. A node registered later takes over about 1/n of the placements and
// moves no others: rendezvous hashing's property, which a placement by `hash mod n` lacks.
#pragma once

#include <cstddef>
#include <medchain/core/bytes.hpp>
#include <vector>

namespace medchain::replication {

// The replication factor when a node is not told otherwise (medchaind --replicas).
inline constexpr std::size_t kDefaultReplicas = 2;

// keccak256(record_id || node_id): the higher, the sooner `node_id` holds the record.
Hash32 placement_score(const Hash32& record_id, const Hash32& node_id);

// The nodes that hold a version of `record_id` homed on `home`, out of `registered`: the home
// node first when it is registered, then the others by descending score, `replicas` in all (or
// every registered node, when there are fewer). A home that is not registered holds nothing
// here: the `replicas` best-scored registered nodes are the holders.
// REQUIRES: replicas >= 1; `registered` has no duplicates.
std::vector<Hash32> holders(const Hash32& record_id, const Hash32& home,
                            const std::vector<Hash32>& registered, std::size_t replicas);

// Is `node` one of holders(record_id, home, registered, replicas)?
bool holds(const Hash32& node, const Hash32& record_id, const Hash32& home,
           const std::vector<Hash32>& registered, std::size_t replicas);

}  // namespace medchain::replication
