// Deploying the medchain contract from its build artifact, and the deployment record the node
// and the command line read to find it: chain id, address, block, kept in the data directory.
#pragma once

#include <filesystem>
#include <medchain/chain/tx_sender.hpp>

namespace medchain::chain {

struct Deployment {
  std::uint64_t chain_id = 0;
  Address address;
  std::uint64_t block = 0;  // where the contract's history starts (the indexer's first block)
  Hash32 transaction_hash;
  Address admin;  // the deployer, the contract's first admin
  bool operator==(const Deployment&) const = default;
};

// Deploys `abi`'s bytecode (no constructor arguments) from `deployer`, who becomes admin.
Result<Deployment> deploy(TransactionSender& deployer, const ContractAbi& abi);

// deployment.json in `data_dir`. Written atomically: a crash leaves the old record or the new.
Status write_deployment(const std::filesystem::path& data_dir, const Deployment& deployment);
// kNotFound when there is none; kInvalidJson when it is damaged.
Result<Deployment> read_deployment(const std::filesystem::path& data_dir);

// Checks that the deployment is live on the chain `client` talks to: the same chain id, and
// code at the address. kWrongChain or kNotFound otherwise (a dev chain that was reset).
Status check_deployment(EthClient& client, const Deployment& deployment);

}  // namespace medchain::chain
