// util keccak | address | sign-message | verify-message: the `cast keccak` and
// `cast wallet address|sign|verify` equivalents.
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>

#include "cli.hpp"
#include "util/util_args.hpp"

namespace medchain::cli {
namespace {

void add_keccak(CLI::App& util) {
  auto* cmd = util.add_subcommand("keccak", "Keccak-256 of DATA (hex if 0x-prefixed, else UTF-8)");
  auto data = std::make_shared<std::string>();
  cmd->add_option("data", *data, "The data to hash")->required();
  on_run(cmd, [data]() -> Status {
    MEDCHAIN_TRY(Bytes bytes, message_bytes(*data));
    std::cout << to_hex(crypto::keccak256(bytes)) << "\n";
    return {};
  });
}

void add_address(CLI::App& util) {
  auto* cmd = util.add_subcommand("address", "The address of a private key");
  auto key_text = std::make_shared<std::string>();
  cmd->add_option("--private-key", *key_text, "The private key (hex)")->required();
  on_run(cmd, [key_text]() -> Status {
    MEDCHAIN_TRY(crypto::PrivateKey key, parse_private_key_arg(*key_text));
    std::cout << eth::to_checksum(crypto::address_of(key)) << "\n";
    return {};
  });
}

void add_sign_message(CLI::App& util) {
  auto* cmd = util.add_subcommand(
      "sign-message", "Sign MSG as an EIP-191 personal message (hex if 0x-prefixed, else UTF-8)");
  auto key_text = std::make_shared<std::string>();
  auto message = std::make_shared<std::string>();
  cmd->add_option("--private-key", *key_text, "The private key (hex)")->required();
  cmd->add_option("message", *message, "The message")->required();
  on_run(cmd, [key_text, message]() -> Status {
    MEDCHAIN_TRY(crypto::PrivateKey key, parse_private_key_arg(*key_text));
    MEDCHAIN_TRY(Bytes bytes, message_bytes(*message));
    std::cout << to_hex(eth::sign_personal_message(key, bytes).to_rsv()) << "\n";
    return {};
  });
}

void add_verify_message(CLI::App& util) {
  auto* cmd = util.add_subcommand("verify-message",
                                  "Check that ADDRESS signed MSG (EIP-191); exit 1 if it did not");
  auto address_text = std::make_shared<std::string>();
  auto message = std::make_shared<std::string>();
  auto signature_text = std::make_shared<std::string>();
  cmd->add_option("--address", *address_text, "The expected signer")->required();
  cmd->add_option("message", *message, "The message")->required();
  cmd->add_option("signature", *signature_text, "The 65-byte signature (hex)")->required();
  on_run(cmd, [address_text, message, signature_text]() -> Status {
    MEDCHAIN_TRY(Address expected, eth::parse_address(*address_text));
    MEDCHAIN_TRY(Bytes bytes, message_bytes(*message));
    MEDCHAIN_TRY(Bytes signature, from_hex(*signature_text));
    auto signer = eth::recover_personal_signer(bytes, signature);
    if (!signer.ok() && signer.error().code != Errc::kInvalidSignature) return signer.error();
    if (!signer.ok() || *signer != expected) {
      return Error{Errc::kCheckFailed, "Validation failed. Address " + eth::to_checksum(expected) +
                                           " did not sign this message."};
    }
    std::cout << "Validation succeeded. Address " << eth::to_checksum(expected)
              << " signed this message.\n";
    return {};
  });
}

void add_wallet_commands(CLI::App& util) {
  add_keccak(util);
  add_address(util);
  add_sign_message(util);
  add_verify_message(util);
}

const bool kRegistered = register_util_group(&add_wallet_commands);

}  // namespace
}  // namespace medchain::cli
