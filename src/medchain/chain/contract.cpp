#include <algorithm>
#include <medchain/chain/contract.hpp>
#include <medchain/core/uint256.hpp>

namespace medchain::chain {

Result<std::vector<eth::abi::Value>> Contract::call(
    std::string_view function_name, const std::vector<eth::abi::Value>& args) const {
  MEDCHAIN_TRY(Bytes data, abi_->encode_call(function_name, args));
  MEDCHAIN_TRY(CallResult result, client_->call(std::nullopt, address_, data));
  if (result.reverted) return revert_error(result.data, abi_.get());
  return abi_->decode_output(function_name, result.data);
}

Result<std::vector<DecodedLog>> Contract::events_with_topic1(
    std::initializer_list<std::string_view> event_names, const Hash32& topic1) const {
  LogFilter filter;
  filter.addresses = {address_};
  for (std::string_view name : event_names) {
    const eth::abi::Signature* event = abi_->event(name);
    if (event == nullptr) {
      return Error{Errc::kProtocol, "the contract's ABI has no " + std::string(name) + " event"};
    }
    filter.topic0.push_back(eth::abi::event_topic(*event));
  }
  filter.topic1 = topic1;
  MEDCHAIN_TRY(filter.to_block, client_->block_number());
  MEDCHAIN_TRY(std::vector<Log> logs, client_->get_logs(filter));
  std::vector<DecodedLog> events;
  events.reserve(logs.size());
  for (const Log& log : logs) {
    MEDCHAIN_TRY(DecodedLog event, abi_->decode_log(log));
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::unique_ptr<Contract>> recovery_contract(
    const Contract& medchain, const std::filesystem::path& medchain_artifact) {
  MEDCHAIN_TRY(auto answer, medchain.call("recovery", {}));
  const std::filesystem::path artifact =
      medchain_artifact.parent_path().parent_path() / "Recovery.sol" / "Recovery.json";
  auto abi = ContractAbi::from_artifact(artifact);
  if (!abi.ok()) {
    return Error{Errc::kIo, "cannot read the Recovery contract's ABI from " + artifact.string() +
                                ": " + abi.error().message};
  }
  return std::make_unique<Contract>(std::make_shared<const ContractAbi>(std::move(*abi)),
                                    answer.at(0).address(), medchain.client());
}

Hash32 hash32_of(const eth::abi::Value& value) {
  Hash32 hash;
  const Bytes& bytes = value.bytes();
  std::copy_n(bytes.begin(), std::min<std::size_t>(bytes.size(), hash.bytes.size()),
              hash.bytes.begin());
  return hash;
}

Hash32 topic_of(const Address& address) {
  Hash32 topic;
  std::copy(address.bytes.begin(), address.bytes.end(),
            topic.bytes.end() - static_cast<std::ptrdiff_t>(address.bytes.size()));
  return topic;
}

Hash32 topic_of(const U256& word) {
  Hash32 topic;
  const std::array<std::uint8_t, 32> bytes = to_word(word);
  std::copy(bytes.begin(), bytes.end(), topic.bytes.begin());
  return topic;
}

}  // namespace medchain::chain
