// A contract's interface as its compiler describes it: functions, events, errors and creation
// bytecode, read from a forge artifact (contracts/out/<File>.sol/<Name>.json). Everything that
// encodes a call or decodes a log goes through this one place, driven by the ABI the build
// produced, so no selector or event layout is ever copied by hand.
#pragma once

#include <filesystem>
#include <map>
#include <medchain/chain/eth_client.hpp>
#include <medchain/eth/abi.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::chain {

// A struct parameter as the ABI describes it: the Solidity struct's name and its fields' names
// and canonical types. Enough to state the struct as an EIP-712 type.
struct StructDescription {
  std::string name;  // "GrantAccess" for internalType "struct IntentTypes.GrantAccess"
  std::vector<std::pair<std::string, std::string>> fields;  // (name, type)
};

struct DecodedLog {
  std::string event;                    // e.g. "AccessGranted"
  std::vector<std::string> names;       // the parameters' names
  std::vector<eth::abi::Value> values;  // in declaration order

  // The value of the parameter called `name`; nullptr if the event has none.
  const eth::abi::Value* field(std::string_view name) const;
};

class ContractAbi {
 public:
  // Reads a forge artifact: {"abi": [...], "bytecode": {"object": "0x..."}}.
  static Result<ContractAbi> from_artifact(const std::filesystem::path& path);
  static Result<ContractAbi> from_json(const nlohmann::json& artifact);

  // The function called `name`. kNotFound if there is none; kInvalidArgument if it is overloaded.
  Result<const eth::abi::Signature*> function(std::string_view name) const;

  // The struct taken by input `index` of `function_name`. kInvalidArgument if it is no struct.
  Result<StructDescription> input_struct(std::string_view function_name, std::size_t index) const;

  // selector || arguments.
  Result<Bytes> encode_call(std::string_view function_name,
                            const std::vector<eth::abi::Value>& args) const;
  // The return values of `function_name` from eth_call output.
  Result<std::vector<eth::abi::Value>> decode_output(std::string_view function_name,
                                                     ByteView output) const;

  // Decodes a log emitted by this contract. kNotFound for an unknown topic.
  Result<DecodedLog> decode_log(const Log& log) const;
  const eth::abi::Signature* event(std::string_view name) const;

  // Revert data decoded against the contract's custom errors (and Error/Panic).
  eth::abi::RevertReason decode_revert(ByteView data) const;

  // The creation bytecode (constructor arguments are appended by the deployer).
  const Bytes& bytecode() const noexcept { return bytecode_; }

 private:
  std::vector<eth::abi::Signature> functions_;
  std::vector<nlohmann::json> function_entries_;  // the ABI JSON of functions_[i]
  std::vector<eth::abi::Signature> events_;
  std::vector<eth::abi::Signature> errors_;
  std::map<Hash32, std::size_t> event_by_topic_;
  Bytes bytecode_;
};

// Error{kReverted, "reverted: <reason>"} for revert data, decoded against `abi`'s custom errors
// when given (Error(string) and Panic(uint256) always).
Error revert_error(ByteView revert_data, const ContractAbi* abi = nullptr);

}  // namespace medchain::chain
