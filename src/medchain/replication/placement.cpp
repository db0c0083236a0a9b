#include <algorithm>
#include <medchain/crypto/keccak.hpp>
#include <medchain/replication/placement.hpp>

namespace medchain::replication {

Hash32 placement_score(const Hash32& record_id, const Hash32& node_id) {
  return crypto::keccak256(concat({record_id, node_id}));
}

std::vector<Hash32> holders(const Hash32& record_id, const Hash32& home,
                            const std::vector<Hash32>& registered, std::size_t replicas) {
  std::vector<Hash32> chosen;
  const bool home_registered =
      std::find(registered.begin(), registered.end(), home) != registered.end();
  if (home_registered) chosen.push_back(home);
  std::vector<std::pair<Hash32, Hash32>> ranked;  // (score, node), the home left out
  for (const Hash32& node : registered) {
    if (node != home) ranked.emplace_back(placement_score(record_id, node), node);
  }
  // Highest score first; equal scores (a keccak collision) fall back to the node id.
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  for (const auto& [score, node] : ranked) {
    if (chosen.size() >= replicas) break;
    chosen.push_back(node);
  }
  return chosen;
}

bool holds(const Hash32& node, const Hash32& record_id, const Hash32& home,
           const std::vector<Hash32>& registered, std::size_t replicas) {
  const std::vector<Hash32> chosen = holders(record_id, home, registered, replicas);
  return std::find(chosen.begin(), chosen.end(), node) != chosen.end();
}

}  // namespace medchain::replication
