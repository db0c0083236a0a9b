// util sign-typed-data: the `cast wallet sign --data --from-file` equivalent (EIP-712).
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/eip712.hpp>

#include "cli.hpp"
#include "util/util_args.hpp"

namespace medchain::cli {
namespace {

void add_sign_typed_data(CLI::App& util) {
  auto* cmd = util.add_subcommand("sign-typed-data",
                                  "Sign EIP-712 typed data read from FILE (- for stdin)");
  auto key_text = std::make_shared<std::string>();
  auto path = std::make_shared<std::string>();
  cmd->add_option("--private-key", *key_text, "The private key (hex)")->required();
  cmd->add_option("file", *path, "A JSON file with types, primaryType, domain and message")
      ->required();
  on_run(cmd, [key_text, path]() -> Status {
    MEDCHAIN_TRY(crypto::PrivateKey key, parse_private_key_arg(*key_text));
    MEDCHAIN_TRY(std::string text, read_input(*path));
    MEDCHAIN_TRY(eth::eip712::TypedData data, eth::eip712::parse_typed_data(text));
    MEDCHAIN_TRY(Bytes signature, eth::eip712::sign(data, key));
    std::cout << to_hex(signature) << "\n";
    return {};
  });
}

const bool kRegistered = register_util_group(&add_sign_typed_data);

}  // namespace
}  // namespace medchain::cli
