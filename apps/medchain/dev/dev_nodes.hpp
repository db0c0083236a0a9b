// The storage nodes of `medchain dev --nodes N`: node 1 is the dev node of DevSystem (its data in
// the dev data directory itself); nodes 2..N each have a directory node-<i> of their own (its
// deployment record, blobs, SQLite index and operator key), a node id of their own and an
// operator key generated on first start, funded by the demo registrar, who registers the node on
// chain at its loopback URL. DEVELOPMENT ONLY: the operator keys lie in the clear on disk.
#pragma once

#include <filesystem>
#include <medchain/chain/eth_client.hpp>
#include <string>
#include <vector>

#include "dev/dev_system.hpp"

namespace medchain::cli {

struct DevNode {
  int number = 1;
  Hash32 node_id;
  std::filesystem::path data_dir;
  std::filesystem::path operator_key_file;  // medchaind --relayer-key-file
  std::string url;                          // http://127.0.0.1:<port>, as registered on chain
  std::string database;                     // a postgresql:// URL; empty for SQLite
};

// Node 1 (the system's own node at `first_port`) and nodes 2..count at the next ports, nodes
// 2..count made ready to start: their directories hold the deployment, a new deployment's index
// is set aside, and each is registered on chain (once; a node registered by an earlier run at
// another URL is an error, since the chain keeps the URL of the registration).
Result<std::vector<DevNode>> provision_dev_nodes(chain::EthClient& client,
                                                 const DevSystem& system,
                                                 const std::filesystem::path& artifact,
                                                 const std::filesystem::path& data_dir,
                                                 std::uint16_t first_port, int count);

}  // namespace medchain::cli
