// A medchain contract deployed on a fresh development chain (anvil or ganache on a free loopback
// port), with helpers to make funded parties, call the contract directly, and sign intents.
// Shared by the integration tests and the relayer benchmark. Failures throw: a test that cannot
// set up its chain has nothing to test.
#pragma once

#include <medchain/chain/deployment.hpp>
#include <medchain/chain/dev_chain.hpp>
#include <medchain/chain/relayer.hpp>
#include <memory>
#include <ostream>

namespace medchain::chain {
// How googletest prints a chain parameter: "anvil" rather than its bytes.
inline void PrintTo(DevChainKind kind, std::ostream* out) {
  *out << (kind == DevChainKind::kAnvil ? "anvil" : "ganache");
}
}  // namespace medchain::chain

namespace medchain::test {

struct Party {
  crypto::PrivateKey key;
  Address address;
  std::unique_ptr<chain::TransactionSender> sender;  // for direct calls; needs ether
};

class Ledger {
 public:
  // Starts the chain and deploys medchain from the forge artifact, the deployer (the first
  // development account) becoming admin.
  explicit Ledger(chain::DevChainKind kind, chain::SenderOptions options = {});

  // A new account; `funded` sends it 10 ether from the admin so it can call directly.
  Party party(bool funded = true);

  // Calls `function_name` from `party` and waits for the receipt.
  Result<chain::Receipt> call(Party& party, std::string_view function_name,
                              const std::vector<eth::abi::Value>& args);
  // Like call, but throws on failure: for setup steps.
  chain::Receipt must_call(Party& party, std::string_view function_name,
                           const std::vector<eth::abi::Value>& args);
  // A view's values; throws on failure.
  std::vector<eth::abi::Value> view(std::string_view function_name,
                                    const std::vector<eth::abi::Value>& args);

  // Signs an intent from `signer`, filling in its current contract nonce (plus `nonce_offset`,
  // for intents signed ahead) and a deadline an hour from the latest block.
  chain::SignedIntent intent(const Party& signer, std::string_view function_name,
                             nlohmann::json message, std::uint64_t nonce_offset = 0,
                             const std::vector<eth::abi::Value>& extra_args = {});

  // Registrar, verified doctor, registered patient, and a storage node, in one step each.
  Party registrar();
  Party verified_doctor(Party& registrar);
  Party registered_patient(bool funded = true);
  Hash32 storage_node(Party& registrar);

  // The decoded logs of `receipt` named `event`.
  std::vector<chain::DecodedLog> events(const chain::Receipt& receipt, std::string_view event);

  chain::DevChain& dev_chain() { return *dev_chain_; }
  chain::EthClient& client() { return *client_; }
  Party& admin() { return admin_; }
  chain::Contract& medchain() { return *medchain_; }
  chain::Relayer& relayer() { return *relayer_; }
  const chain::Deployment& deployment() const { return deployment_; }
  chain::IntentDomain domain() const { return {deployment_.chain_id, deployment_.address}; }
  std::uint64_t chain_id() const { return deployment_.chain_id; }

 private:
  std::unique_ptr<chain::DevChain> dev_chain_;
  std::unique_ptr<chain::EthClient> client_;
  chain::SenderOptions options_;
  std::shared_ptr<const chain::ContractAbi> abi_;
  Party admin_;
  chain::Deployment deployment_;
  std::unique_ptr<chain::Contract> medchain_;
  std::unique_ptr<chain::Relayer> relayer_;
};

// The medchain artifact built by contracts/scripts/build.
std::filesystem::path medchain_artifact();

// ABI values.
inline eth::abi::Value word(std::uint64_t value) {
  return eth::abi::Value(U256(value));
}
inline eth::abi::Value bytes32(const Hash32& value) {
  return eth::abi::Value(Bytes(value.bytes.begin(), value.bytes.end()));
}
Hash32 random_hash();

}  // namespace medchain::test
