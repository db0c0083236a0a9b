// util mktx: the `cast mktx` equivalent with every value explicit (no node is asked for a
// nonce, fees or the chain id). Prints the signed raw transaction.
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/transaction.hpp>

#include "cli.hpp"
#include "util/abi_text.hpp"
#include "util/util_args.hpp"

namespace medchain::cli {
namespace {

struct MktxArgs {
  std::string private_key;
  std::string nonce;
  std::string gas_limit;
  std::string gas_price;
  std::string priority_gas_price;
  std::string chain;
  std::string value = "0";
  bool legacy = false;
  bool create = false;
  std::string target;           // TO, or with --create the contract code
  CLI::App* command = nullptr;  // its remaining(): [CALLDATA | SIG [ARGS...]], untouched by CLI11
};

// Calldata given as hex, or as a signature and its arguments (encoded with the selector for a
// call, without it for constructor arguments).
Result<Bytes> calldata_of(const std::vector<std::string>& rest, bool with_selector) {
  if (rest.empty()) return Bytes{};
  if (rest.size() == 1 && has_hex_prefix(rest[0])) return from_hex(rest[0]);
  MEDCHAIN_TRY(eth::abi::Signature signature, eth::abi::parse_signature(rest[0]));
  MEDCHAIN_TRY(std::vector<eth::abi::Value> values,
               parse_arguments(signature, std::vector<std::string>(rest.begin() + 1, rest.end())));
  if (!with_selector) return eth::abi::encode(signature.input_types(), values);
  return eth::abi::encode_call(signature, values);
}

Result<std::uint64_t> parse_u64(const std::string& text, const char* what) {
  auto value = parse_u256(text);
  if (!value) return Error{Errc::kInvalidNumber, std::string(what) + ": " + value.error().message};
  if (*value > std::numeric_limits<std::uint64_t>::max()) {
    return Error{Errc::kOverflow, std::string(what) + " exceeds 64 bits"};
  }
  return static_cast<std::uint64_t>(*value);
}

Result<U256> parse_amount(const std::string& text, const char* what) {
  auto value = parse_u256(text);
  if (!value) return Error{Errc::kInvalidNumber, std::string(what) + ": " + value.error().message};
  return *value;
}

Status run_mktx(const MktxArgs& args) {
  MEDCHAIN_TRY(crypto::PrivateKey key, parse_private_key_arg(args.private_key));
  if (args.nonce.empty() || args.gas_limit.empty() || args.gas_price.empty() ||
      args.chain.empty()) {
    return Error{Errc::kInvalidArgument,
                 "--nonce, --gas-limit, --gas-price and --chain are required (no node is asked)"};
  }
  if (!args.legacy && args.priority_gas_price.empty()) {
    return Error{Errc::kInvalidArgument,
                 "--priority-gas-price is required for an EIP-1559 transaction"};
  }
  if (args.target.empty()) {
    return Error{Errc::kInvalidArgument,
                 args.create ? "the contract code is required" : "TO is required"};
  }
  std::optional<Address> to;
  Bytes data;
  MEDCHAIN_TRY(Bytes call, calldata_of(args.command->remaining(), !args.create));
  if (args.create) {
    MEDCHAIN_TRY(data, from_hex(args.target));
    data.insert(data.end(), call.begin(), call.end());  // constructor arguments follow the code
  } else {
    MEDCHAIN_TRY(Address parsed, eth::parse_address(args.target));
    to = parsed;
    data = std::move(call);
  }
  MEDCHAIN_TRY(std::uint64_t nonce, parse_u64(args.nonce, "--nonce"));
  MEDCHAIN_TRY(std::uint64_t gas_limit, parse_u64(args.gas_limit, "--gas-limit"));
  MEDCHAIN_TRY(std::uint64_t chain_id, parse_u64(args.chain, "--chain"));
  MEDCHAIN_TRY(U256 gas_price, parse_amount(args.gas_price, "--gas-price"));
  MEDCHAIN_TRY(U256 value, parse_amount(args.value, "--value"));
  eth::Transaction tx;
  if (args.legacy) {
    tx = eth::LegacyTransaction{nonce, gas_price, gas_limit, to, value, data, chain_id};
  } else {
    MEDCHAIN_TRY(U256 priority, parse_amount(args.priority_gas_price, "--priority-gas-price"));
    tx = eth::Eip1559Transaction{chain_id, nonce, priority, gas_price, gas_limit,
                                 to,       value, data,     {}};
  }
  std::cout << to_hex(eth::sign_transaction(tx, key).raw()) << "\n";
  return {};
}

void add_mktx(CLI::App& util) {
  auto* cmd = util.add_subcommand("mktx", "Build and sign a transaction offline (cast mktx)");
  auto args = std::make_shared<MktxArgs>();
  cmd->add_option("--private-key", args->private_key, "The signer's private key (hex)")->required();
  cmd->add_option("--nonce", args->nonce, "The sender's nonce");
  cmd->add_option("--gas-limit", args->gas_limit, "Gas limit");
  cmd->add_option("--gas-price", args->gas_price,
                  "Gas price (legacy) or max fee per gas (EIP-1559), wei");
  cmd->add_option("--priority-gas-price", args->priority_gas_price,
                  "Max priority fee per gas, wei");
  cmd->add_option("--chain", args->chain, "Chain id");
  cmd->add_option("--value", args->value, "Value in wei");
  cmd->add_flag("--legacy", args->legacy, "A legacy (EIP-155) transaction instead of EIP-1559");
  cmd->add_flag("--create", args->create, "Deploy the code given instead of TO");
  cmd->add_option("to", args->target,
                  "TO (or with --create: the contract code), then CALLDATA or SIG [ARGS...]");
  cmd->prefix_command();
  args->command = cmd;
  on_run(cmd, [args]() { return run_mktx(*args); });
}

const bool kRegistered = register_util_group(&add_mktx);

}  // namespace
}  // namespace medchain::cli
