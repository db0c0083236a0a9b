// A deployed contract: its ABI, its address, and the node to ask. Views are eth_calls whose
// reverts come back decoded against the contract's own errors.
#pragma once

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

  const ContractAbi& abi() const noexcept { return *abi_; }
  const Address& address() const noexcept { return address_; }
  EthClient& client() const noexcept { return *client_; }

 private:
  std::shared_ptr<const ContractAbi> abi_;
  Address address_;
  EthClient* client_;
};

}  // namespace medchain::chain
