#include <medchain/chain/eth_client.hpp>
#include <medchain/core/hex.hpp>

namespace medchain::chain {
namespace {

using nlohmann::json;

Error malformed(std::string_view what) {
  return Error{Errc::kProtocol, "node sent a malformed " + std::string(what)};
}

json quantity(std::uint64_t value) {
  return to_hex_quantity(U256(value));
}

// Messages nodes use when a log query is too large: geth/anvil (-32005, "query returned more
// than"), Besu ("exceeds"), Alchemy/Infura style ("range", "limit").
bool is_range_refusal(const RpcErrorObject& error) {
  if (error.code == -32005) return true;
  for (std::string_view hint : {"range", "limit", "too many", "more than", "exceed"}) {
    if (error.message.find(hint) != std::string::npos) return true;
  }
  return false;
}

Result<std::optional<BlockHeader>> optional_block(Result<json> reply) {
  if (!reply) return std::move(reply).error();
  if (reply->is_null()) return std::optional<BlockHeader>{};
  MEDCHAIN_TRY(BlockHeader header, parse_block_header(*reply));
  return std::optional<BlockHeader>{std::move(header)};
}

Result<Receipt> parse_receipt(const json& value) {
  if (!value.is_object()) return malformed("receipt");
  Receipt receipt;
  MEDCHAIN_TRY(receipt.transaction_hash, parse_hash(value.value("transactionHash", json())));
  MEDCHAIN_TRY(std::uint64_t status, parse_quantity_u64(value.value("status", json())));
  receipt.success = status == 1;
  MEDCHAIN_TRY(receipt.block_number, parse_quantity_u64(value.value("blockNumber", json())));
  MEDCHAIN_TRY(receipt.block_hash, parse_hash(value.value("blockHash", json())));
  MEDCHAIN_TRY(receipt.gas_used, parse_quantity_u64(value.value("gasUsed", json())));
  if (value.contains("effectiveGasPrice")) {
    MEDCHAIN_TRY(receipt.effective_gas_price, parse_quantity(value["effectiveGasPrice"]));
  }
  if (value.contains("contractAddress") && !value["contractAddress"].is_null()) {
    MEDCHAIN_TRY(Address created, parse_address_field(value["contractAddress"]));
    receipt.contract_address = created;
  }
  for (const json& log : value.value("logs", json::array())) {
    MEDCHAIN_TRY(Log parsed, parse_log(log));
    receipt.logs.push_back(std::move(parsed));
  }
  return receipt;
}

}  // namespace

Result<U256> parse_quantity(const json& value) {
  if (!value.is_string()) return malformed("quantity");
  const auto& text = value.get_ref<const std::string&>();
  if (!has_hex_prefix(text)) return malformed("quantity " + text);
  auto parsed = parse_u256(text);
  if (!parsed) return malformed("quantity " + text);
  return *parsed;
}

Result<std::uint64_t> parse_quantity_u64(const json& value) {
  MEDCHAIN_TRY(U256 parsed, parse_quantity(value));
  if (parsed > std::numeric_limits<std::uint64_t>::max()) return malformed("64-bit quantity");
  return static_cast<std::uint64_t>(parsed);
}

Result<Bytes> parse_data(const json& value) {
  if (!value.is_string()) return malformed("data field");
  auto bytes = from_hex(value.get_ref<const std::string&>());
  if (!bytes) return malformed("data field");
  return std::move(*bytes);
}

Result<Hash32> parse_hash(const json& value) {
  MEDCHAIN_TRY(Bytes bytes, parse_data(value));
  auto hash = Hash32::from_view(bytes);
  if (!hash) return malformed("32-byte hash");
  return *hash;
}

Result<Address> parse_address_field(const json& value) {
  MEDCHAIN_TRY(Bytes bytes, parse_data(value));
  auto address = Address::from_view(bytes);
  if (!address) return malformed("address");
  return *address;
}

Result<Log> parse_log(const json& value) {
  if (!value.is_object()) return malformed("log");
  Log log;
  MEDCHAIN_TRY(log.address, parse_address_field(value.value("address", json())));
  const json topics = value.value("topics", json());
  if (!topics.is_array() || topics.size() > 4) return malformed("log topics");
  for (const json& topic : topics) {
    MEDCHAIN_TRY(Hash32 parsed, parse_hash(topic));
    log.topics.push_back(parsed);
  }
  MEDCHAIN_TRY(log.data, parse_data(value.value("data", json())));
  MEDCHAIN_TRY(log.block_number, parse_quantity_u64(value.value("blockNumber", json())));
  MEDCHAIN_TRY(log.block_hash, parse_hash(value.value("blockHash", json())));
  MEDCHAIN_TRY(log.transaction_hash, parse_hash(value.value("transactionHash", json())));
  MEDCHAIN_TRY(log.log_index, parse_quantity_u64(value.value("logIndex", json())));
  log.removed = value.value("removed", false);
  return log;
}

EthClient::EthClient(HttpEndpoint endpoint, RpcOptions options, std::uint64_t max_log_range)
    : rpc_(std::move(endpoint), options),
      max_log_range_(std::max<std::uint64_t>(1, max_log_range)) {}

Result<std::uint64_t> EthClient::chain_id() {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_chainId", json::array()));
  return parse_quantity_u64(reply);
}

Result<std::uint64_t> EthClient::block_number() {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_blockNumber", json::array()));
  return parse_quantity_u64(reply);
}

Result<std::optional<BlockHeader>> EthClient::block_by_number(std::uint64_t number) {
  return optional_block(rpc_.call("eth_getBlockByNumber", json::array({quantity(number), false})));
}

Result<std::optional<BlockHeader>> EthClient::block_by_hash(const Hash32& hash) {
  return optional_block(rpc_.call("eth_getBlockByHash", json::array({to_hex(hash), false})));
}

Result<std::optional<BlockHeader>> EthClient::latest_block() {
  return optional_block(rpc_.call("eth_getBlockByNumber", json::array({"latest", false})));
}

Result<std::vector<Log>> EthClient::get_logs(const LogFilter& filter) {
  std::vector<Log> logs;
  for (std::uint64_t from = filter.from_block; from <= filter.to_block;) {
    const std::uint64_t to = std::min(filter.to_block, from + max_log_range_ - 1);
    MEDCHAIN_TRY(std::vector<Log> chunk, get_logs_range(filter, from, to));
    logs.insert(logs.end(), std::make_move_iterator(chunk.begin()),
                std::make_move_iterator(chunk.end()));
    if (to == filter.to_block) break;
    from = to + 1;
  }
  return logs;
}

Result<std::vector<Log>> EthClient::get_logs_range(const LogFilter& filter, std::uint64_t from,
                                                   std::uint64_t to) {
  json params{{"fromBlock", quantity(from)}, {"toBlock", quantity(to)}};
  if (!filter.addresses.empty()) {
    json addresses = json::array();
    for (const Address& address : filter.addresses) addresses.push_back(to_hex(address));
    params["address"] = addresses;
  }
  if (!filter.topic0.empty() || filter.topic1) {
    json topic0 = json::array();
    for (const Hash32& topic : filter.topic0) topic0.push_back(to_hex(topic));
    params["topics"] = json::array({filter.topic0.empty() ? json(nullptr) : topic0});
    if (filter.topic1) params["topics"].push_back(to_hex(*filter.topic1));
  }
  MEDCHAIN_TRY(RpcReply reply, rpc_.call_raw("eth_getLogs", json::array({params})));
  if (reply.error) {
    if (from < to && is_range_refusal(*reply.error)) {
      const std::uint64_t middle = from + (to - from) / 2;
      MEDCHAIN_TRY(std::vector<Log> lower, get_logs_range(filter, from, middle));
      MEDCHAIN_TRY(std::vector<Log> upper, get_logs_range(filter, middle + 1, to));
      lower.insert(lower.end(), std::make_move_iterator(upper.begin()),
                   std::make_move_iterator(upper.end()));
      return lower;
    }
    return Error{Errc::kRpcError, "eth_getLogs: " + reply.error->message};
  }
  if (!reply.result.is_array()) return malformed("log list");
  std::vector<Log> logs;
  logs.reserve(reply.result.size());
  for (const json& item : reply.result) {
    MEDCHAIN_TRY(Log log, parse_log(item));
    logs.push_back(std::move(log));
  }
  return logs;
}

std::optional<Bytes> revert_data_of(const RpcErrorObject& error) {
  // anvil and geth put the revert data in error.data as a string; ganache in
  // error.data.data or error.data.result.
  json data = error.data;
  if (data.is_object()) data = data.contains("data") ? data["data"] : data.value("result", json());
  if (data.is_string()) {
    if (auto bytes = from_hex(data.get<std::string>())) return std::move(*bytes);
  }
  if (error.message.find("revert") != std::string::npos) return Bytes{};
  return std::nullopt;
}

Result<CallResult> EthClient::call(const std::optional<Address>& from, const Address& to,
                                   ByteView data, std::string_view block) {
  json tx{{"to", to_hex(to)}, {"data", to_hex(data)}};
  if (from) tx["from"] = to_hex(*from);
  MEDCHAIN_TRY(RpcReply reply, rpc_.call_raw("eth_call", json::array({tx, block})));
  if (reply.error) {
    if (auto revert = revert_data_of(*reply.error)) return CallResult{true, std::move(*revert)};
    return Error{Errc::kRpcError, "eth_call: " + reply.error->message};
  }
  MEDCHAIN_TRY(Bytes output, parse_data(reply.result));
  return CallResult{false, std::move(output)};
}

Result<std::uint64_t> EthClient::estimate_gas(const Address& from, const std::optional<Address>& to,
                                              ByteView data, const U256& value) {
  json tx{{"from", to_hex(from)}, {"data", to_hex(data)}, {"value", to_hex_quantity(value)}};
  if (to) tx["to"] = to_hex(*to);
  MEDCHAIN_TRY(RpcReply reply, rpc_.call_raw("eth_estimateGas", json::array({tx})));
  if (reply.error) {
    if (auto revert = revert_data_of(*reply.error)) {
      return Error{Errc::kReverted, to_hex(*revert)};
    }
    return Error{Errc::kRpcError, "eth_estimateGas: " + reply.error->message};
  }
  return parse_quantity_u64(reply.result);
}

Result<FeeHistory> EthClient::fee_history(std::uint64_t blocks,
                                          const std::vector<double>& percentiles) {
  MEDCHAIN_TRY(json reply,
               rpc_.call("eth_feeHistory", json::array({quantity(blocks), "latest", percentiles})));
  if (!reply.is_object()) return malformed("fee history");
  FeeHistory history;
  for (const json& fee : reply.value("baseFeePerGas", json::array())) {
    MEDCHAIN_TRY(U256 parsed, parse_quantity(fee));
    history.base_fee_per_gas.push_back(parsed);
  }
  for (const json& block : reply.value("reward", json::array())) {
    std::vector<U256> rewards;
    for (const json& reward : block) {
      MEDCHAIN_TRY(U256 parsed, parse_quantity(reward));
      rewards.push_back(parsed);
    }
    history.reward.push_back(std::move(rewards));
  }
  if (history.base_fee_per_gas.empty()) return malformed("fee history");
  return history;
}

Result<U256> EthClient::gas_price() {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_gasPrice", json::array()));
  return parse_quantity(reply);
}

Result<U256> EthClient::balance(const Address& account) {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_getBalance", json::array({to_hex(account), "latest"})));
  return parse_quantity(reply);
}

Result<Bytes> EthClient::code(const Address& account) {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_getCode", json::array({to_hex(account), "latest"})));
  return parse_data(reply);
}

Result<std::uint64_t> EthClient::transaction_count(const Address& account, bool pending) {
  MEDCHAIN_TRY(json reply,
               rpc_.call("eth_getTransactionCount",
                         json::array({to_hex(account), pending ? "pending" : "latest"})));
  return parse_quantity_u64(reply);
}

Result<Hash32> EthClient::send_raw_transaction(ByteView raw) {
  MEDCHAIN_TRY(json reply, rpc_.call("eth_sendRawTransaction", json::array({to_hex(raw)})));
  return parse_hash(reply);
}

Result<std::optional<Receipt>> EthClient::receipt(const Hash32& transaction_hash) {
  MEDCHAIN_TRY(json reply,
               rpc_.call("eth_getTransactionReceipt", json::array({to_hex(transaction_hash)})));
  if (reply.is_null()) return std::optional<Receipt>{};
  MEDCHAIN_TRY(Receipt parsed, parse_receipt(reply));
  return std::optional<Receipt>{std::move(parsed)};
}

Result<BlockHeader> parse_block_header(const json& value) {
  if (!value.is_object()) return malformed("block");
  BlockHeader header;
  MEDCHAIN_TRY(header.number, parse_quantity_u64(value.value("number", json())));
  MEDCHAIN_TRY(header.hash, parse_hash(value.value("hash", json())));
  MEDCHAIN_TRY(header.parent_hash, parse_hash(value.value("parentHash", json())));
  MEDCHAIN_TRY(header.timestamp, parse_quantity_u64(value.value("timestamp", json())));
  if (value.contains("baseFeePerGas") && !value["baseFeePerGas"].is_null()) {
    MEDCHAIN_TRY(U256 base_fee, parse_quantity(value["baseFeePerGas"]));
    header.base_fee_per_gas = base_fee;
  }
  return header;
}

}  // namespace medchain::chain
