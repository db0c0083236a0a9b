#include <medchain/chain/contract.hpp>

namespace medchain::chain {

Result<std::vector<eth::abi::Value>> Contract::call(
    std::string_view function_name, const std::vector<eth::abi::Value>& args) const {
  MEDCHAIN_TRY(Bytes data, abi_->encode_call(function_name, args));
  MEDCHAIN_TRY(CallResult result, client_->call(std::nullopt, address_, data));
  if (result.reverted) return revert_error(result.data, abi_.get());
  return abi_->decode_output(function_name, result.data);
}

}  // namespace medchain::chain
