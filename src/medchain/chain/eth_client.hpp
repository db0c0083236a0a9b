// The typed Ethereum JSON-RPC methods medchain uses, on top of JsonRpcClient.
#pragma once

#include <cstdint>
#include <medchain/chain/json_rpc.hpp>
#include <medchain/core/bytes.hpp>
#include <medchain/core/uint256.hpp>
#include <optional>
#include <vector>

namespace medchain::chain {

struct BlockHeader {
  std::uint64_t number = 0;
  Hash32 hash;
  Hash32 parent_hash;
  std::uint64_t timestamp = 0;
  std::optional<U256> base_fee_per_gas;  // absent before London
};

struct Log {
  Address address;
  std::vector<Hash32> topics;
  Bytes data;
  std::uint64_t block_number = 0;
  Hash32 block_hash;
  Hash32 transaction_hash;
  std::uint64_t log_index = 0;
  bool removed = false;
};

struct LogFilter {
  std::uint64_t from_block = 0;
  std::uint64_t to_block = 0;
  std::vector<Address> addresses;
  std::vector<Hash32> topic0;  // any of these; empty means any event
  std::optional<Hash32> topic1 =
      std::nullopt;  // the first indexed argument, e.g. a record id; empty: any
};

struct Receipt {
  Hash32 transaction_hash;
  bool success = false;
  std::uint64_t block_number = 0;
  Hash32 block_hash;
  std::uint64_t gas_used = 0;
  U256 effective_gas_price;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
};

// The outcome of eth_call: return data, or the revert data when the call reverted.
struct CallResult {
  bool reverted = false;
  Bytes data;
};

struct FeeHistory {
  std::vector<U256> base_fee_per_gas;     // one more than blocks: includes the next block
  std::vector<std::vector<U256>> reward;  // per block, per requested percentile
};

class EthClient {
 public:
  // `max_log_range`: the most blocks one eth_getLogs asks for; larger ranges are split, and a
  // range the node refuses is halved until it accepts.
  explicit EthClient(HttpEndpoint endpoint, RpcOptions options = {},
                     std::uint64_t max_log_range = 5'000);

  Result<std::uint64_t> chain_id();
  Result<std::uint64_t> block_number();
  // nullopt when the node has no such block (yet).
  Result<std::optional<BlockHeader>> block_by_number(std::uint64_t number);
  Result<std::optional<BlockHeader>> block_by_hash(const Hash32& hash);
  Result<std::optional<BlockHeader>> latest_block();
  Result<std::vector<Log>> get_logs(const LogFilter& filter);
  // `block`: a block tag or 0x-number; the state the call runs on.
  Result<CallResult> call(const std::optional<Address>& from, const Address& to, ByteView data,
                          std::string_view block = "latest");
  // kReverted (with the hex revert data in the message) when the transaction would revert.
  Result<std::uint64_t> estimate_gas(const Address& from, const std::optional<Address>& to,
                                     ByteView data, const U256& value = 0);
  Result<FeeHistory> fee_history(std::uint64_t blocks, const std::vector<double>& percentiles);
  Result<U256> gas_price();
  Result<U256> balance(const Address& account);
  Result<Bytes> code(const Address& account);
  // The next nonce of `account`, counting pending transactions.
  Result<std::uint64_t> transaction_count(const Address& account, bool pending = true);
  Result<Hash32> send_raw_transaction(ByteView raw);
  // nullopt while the transaction is not mined.
  Result<std::optional<Receipt>> receipt(const Hash32& transaction_hash);

  JsonRpcClient& rpc() noexcept { return rpc_; }

 private:
  Result<std::vector<Log>> get_logs_range(const LogFilter& filter, std::uint64_t from,
                                          std::uint64_t to);

  JsonRpcClient rpc_;
  std::uint64_t max_log_range_;
};

// Decoders of the node's JSON, shared with the indexer. kProtocol on a malformed field.
Result<std::uint64_t> parse_quantity_u64(const nlohmann::json& value);
Result<U256> parse_quantity(const nlohmann::json& value);
Result<Bytes> parse_data(const nlohmann::json& value);
Result<Hash32> parse_hash(const nlohmann::json& value);
Result<Address> parse_address_field(const nlohmann::json& value);
Result<Log> parse_log(const nlohmann::json& value);
Result<BlockHeader> parse_block_header(const nlohmann::json& value);
// The revert data in a node's error object; nullopt when the error is not a revert.
std::optional<Bytes> revert_data_of(const RpcErrorObject& error);

}  // namespace medchain::chain
