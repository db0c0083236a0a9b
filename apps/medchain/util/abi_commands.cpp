// util abi-encode | abi-decode | calldata | sig | sig-event: the `cast` equivalents.
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>

#include "cli.hpp"
#include "util/abi_text.hpp"

namespace medchain::cli {
namespace {

namespace abi = eth::abi;

struct SigAndArgs {
  std::string signature;
  CLI::App* command = nullptr;
  // The arguments after SIG, untouched: CLI11 would split "[1,2]" into two values and read
  // "-5" as an option.
  std::vector<std::string> args() const { return command->remaining(); }
};

CLI::App* add_sig_and_args(CLI::App& util, const char* name, const char* description,
                           std::shared_ptr<SigAndArgs> input) {
  auto* cmd = util.add_subcommand(name, description);
  cmd->add_option("sig", input->signature,
                  "The function signature, e.g. \"transfer(address,uint256)\"")
      ->required();
  cmd->prefix_command();
  cmd->footer("ARGS: the arguments of SIG, e.g. 42 0xabc... true \"[1,2]\" \"(1,x)\"");
  input->command = cmd;
  return cmd;
}

void add_abi_encode(CLI::App& util) {
  auto input = std::make_shared<SigAndArgs>();
  auto* cmd =
      add_sig_and_args(util, "abi-encode", "ABI-encode the arguments of SIG (no selector)", input);
  on_run(cmd, [input]() -> Status {
    MEDCHAIN_TRY(abi::Signature signature, abi::parse_signature(input->signature));
    MEDCHAIN_TRY(std::vector<abi::Value> values, parse_arguments(signature, input->args()));
    MEDCHAIN_TRY(Bytes encoded, abi::encode(signature.input_types(), values));
    std::cout << to_hex(encoded) << "\n";
    return {};
  });
}

void add_calldata(CLI::App& util) {
  auto input = std::make_shared<SigAndArgs>();
  auto* cmd =
      add_sig_and_args(util, "calldata", "Selector and ABI-encoded arguments of SIG", input);
  on_run(cmd, [input]() -> Status {
    MEDCHAIN_TRY(abi::Signature signature, abi::parse_signature(input->signature));
    MEDCHAIN_TRY(std::vector<abi::Value> values, parse_arguments(signature, input->args()));
    MEDCHAIN_TRY(Bytes encoded, abi::encode_call(signature, values));
    std::cout << to_hex(encoded) << "\n";
    return {};
  });
}

void add_abi_decode(CLI::App& util) {
  auto* cmd = util.add_subcommand(
      "abi-decode", "Decode DATA as the outputs of SIG (or, with --input, its inputs)");
  auto signature_text = std::make_shared<std::string>();
  auto data_text = std::make_shared<std::string>();
  auto inputs = std::make_shared<bool>(false);
  cmd->add_option("sig", *signature_text, "e.g. \"balanceOf(address)(uint256)\"")->required();
  cmd->add_option("data", *data_text, "The ABI-encoded data (hex)")->required();
  cmd->add_flag("-i,--input", *inputs,
                "Decode as the function's inputs (calldata, selector optional)");
  on_run(cmd, [signature_text, data_text, inputs]() -> Status {
    MEDCHAIN_TRY(abi::Signature signature, abi::parse_signature(*signature_text));
    MEDCHAIN_TRY(Bytes data, from_hex(*data_text));
    const std::vector<abi::Param>& params = *inputs ? signature.inputs : signature.outputs;
    if (params.empty())
      return Error{Errc::kInvalidArgument, "no data was decoded: the signature declares no " +
                                               std::string(*inputs ? "inputs" : "outputs")};
    ByteView body = data;
    if (*inputs && body.size() % 32 == 4) body = body.subspan(4);  // calldata with its selector
    std::vector<abi::Type> types;
    for (const abi::Param& param : params) types.push_back(param.type);
    MEDCHAIN_TRY(std::vector<abi::Value> values, abi::decode(types, body));
    for (std::size_t i = 0; i < values.size(); ++i)
      std::cout << format_value_text(types[i], values[i]) << "\n";
    return {};
  });
}

void add_sig(CLI::App& util) {
  auto* cmd = util.add_subcommand("sig", "The 4-byte selector of a function signature");
  auto text = std::make_shared<std::string>();
  cmd->add_option("sig", *text, "e.g. \"transfer(address,uint256)\"")->required();
  on_run(cmd, [text]() -> Status {
    MEDCHAIN_TRY(abi::Signature signature, abi::parse_signature(*text));
    const auto selector = abi::selector(signature);
    std::cout << to_hex(selector) << "\n";
    return {};
  });
}

void add_sig_event(CLI::App& util) {
  auto* cmd = util.add_subcommand("sig-event", "The topic 0 of an event signature");
  auto text = std::make_shared<std::string>();
  cmd->add_option("sig", *text, "e.g. \"Transfer(address indexed,address indexed,uint256)\"")
      ->required();
  on_run(cmd, [text]() -> Status {
    MEDCHAIN_TRY(abi::Signature signature,
                 abi::parse_signature(*text, abi::Signature::Kind::kEvent));
    std::cout << to_hex(abi::event_topic(signature)) << "\n";
    return {};
  });
}

void add_abi_commands(CLI::App& util) {
  add_abi_encode(util);
  add_abi_decode(util);
  add_calldata(util);
  add_sig(util);
  add_sig_event(util);
}

const bool kRegistered = register_util_group(&add_abi_commands);

}  // namespace
}  // namespace medchain::cli
