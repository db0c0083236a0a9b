// What `medchain dev` sets up on its chain: the contract, deployed once, and demo accounts (a
// registrar, two verified doctors, two registered patients). Both are kept in the data
// directory, so a restart on the saved chain finds them again. DEVELOPMENT ONLY: the demo keys
// are written to disk in the clear and printed.
#pragma once

#include <filesystem>
#include <medchain/chain/deployment.hpp>
#include <medchain/records/encryption_key.hpp>
#include <string>
#include <vector>

namespace medchain::cli {

struct DemoAccount {
  std::string label;  // "registrar", "doctor 1", "patient 2", ...
  crypto::PrivateKey key;
  Address address;
  records::X25519PublicKey encryption_key;
};

struct DevSystem {
  chain::Deployment deployment;
  std::vector<DemoAccount> accounts;
  Hash32 node_id;                          // the dev node, registered as a storage node
  std::filesystem::path relayer_key_file;  // its operator's key: it relays and anchors
  bool resumed = false;                    // found on the chain as a previous run left it
};

// Finds the system of a previous run if the chain still holds it; otherwise deploys the
// contract from `artifact` with the first development account as admin, registers the dev
// node (at `node_url`, operated by the second development account) and creates the demo
// accounts. The deployment record is written last, so an interrupted setup starts over.
Result<DevSystem> provision_dev_system(chain::EthClient& client, std::uint64_t chain_id,
                                       const std::filesystem::path& artifact,
                                       const std::filesystem::path& data_dir,
                                       const std::string& node_url);

// Moves a node's SQLite index of deployment `old` aside in `data_dir` (index.db and its WAL files
// become index-<old contract>.db...), kept rather than deleted.
Status set_aside_old_index(const std::filesystem::path& data_dir, const chain::Deployment& old);

}  // namespace medchain::cli
