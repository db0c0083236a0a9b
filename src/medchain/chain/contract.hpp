// A deployed contract: its ABI, its address, and the node to ask. Views are eth_calls whose
// reverts come back decoded against the contract's own errors.
#pragma once

#include <filesystem>
#include <medchain/chain/contract_abi.hpp>
#include <memory>

namespace medchain::chain {

class Contract {
 public:
  Contract(std::shared_ptr<const ContractAbi> abi, Address address, EthClient& client)
      : abi_(std::move(abi)), address_(address), client_(&client) {}

  // Calls view `function_name` and decodes its return values. kReverted with the decoded
  // custom error (e.g. "NotRegistered(0x...)") when the call reverts.
  Result<std::vector<eth::abi::Value>> call(std::string_view function_name,
                                            const std::vector<eth::abi::Value>& args) const;

  // The calldata of a call to `function_name`.
  Result<Bytes> calldata(std::string_view function_name,
                         const std::vector<eth::abi::Value>& args) const {
    return abi_->encode_call(function_name, args);
  }

  // Every event of this contract named one of `event_names` whose first indexed argument is
  // `topic1` (a record id, a patient's address as a topic), decoded, oldest first, up to the
  // latest block. kProtocol if the ABI lacks one of the events.
  Result<std::vector<DecodedLog>> events_with_topic1(
      std::initializer_list<std::string_view> event_names, const Hash32& topic1) const;

  const ContractAbi& abi() const noexcept { return *abi_; }
  const Address& address() const noexcept { return address_; }
  EthClient& client() const noexcept { return *client_; }

 private:
  std::shared_ptr<const ContractAbi> abi_;
  Address address_;
  EthClient* client_;
};

// The Recovery contract Medchain created (its `recovery()` view), with the ABI of its forge
// artifact, which lies beside Medchain's: <out>/Recovery.sol/Recovery.json for
// <out>/Medchain.sol/Medchain.json. kIo (naming the file) when that artifact cannot be read.
Result<std::unique_ptr<Contract>> recovery_contract(const Contract& medchain,
                                                    const std::filesystem::path& medchain_artifact);

// A 32-byte ABI value (bytes32, a key, a digest) as a Hash32; shorter byte strings are
// right-padded with zeros, as the ABI pads them.
Hash32 hash32_of(const eth::abi::Value& value);

// `address` or `word` as an indexed event argument (a topic): left-padded to 32 bytes.
Hash32 topic_of(const Address& address);
Hash32 topic_of(const U256& word);

}  // namespace medchain::chain
