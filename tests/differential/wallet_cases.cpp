// Differential cases for keccak, address, sign-message and verify-message.
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>

#include "differential/differential.hpp"

namespace medchain::differential {
namespace {

std::string random_message(std::mt19937_64& rng) {
  const std::size_t size = random_size(rng, 100);
  return rng() % 2 == 0 ? random_hex_bytes(rng, size) : random_text(rng, size);
}

const bool kKeccak = register_primitive("keccak", [](std::mt19937_64& rng) {
  const std::string data = random_message(rng);
  return Case{{"util", "keccak", data}, {"keccak", data}};
});

const bool kAddress = register_primitive("address", [](std::mt19937_64& rng) {
  const std::string key = random_private_key(rng);
  return Case{{"util", "address", "--private-key", key},
              {"wallet", "address", "--private-key", key}};
});

const bool kSignMessage = register_primitive("sign-message", [](std::mt19937_64& rng) {
  const std::string key = random_private_key(rng);
  const std::string message = random_message(rng);
  return Case{{"util", "sign-message", "--private-key", key, message},
              {"wallet", "sign", "--private-key", key, message}};
});

// Signatures come from medchain's own signer; a third of the cases then verify against another
// message, another address or a corrupted signature, so both answers get exercised.
const bool kVerifyMessage = register_primitive("verify-message", [](std::mt19937_64& rng) {
  auto key = crypto::parse_private_key(from_hex(random_private_key(rng)).value()).value();
  std::string message = random_message(rng);
  std::string address = eth::to_checksum(crypto::address_of(key));
  auto bytes = from_hex(message);
  const ByteView signed_bytes = bytes ? ByteView(*bytes) : as_bytes(message);
  auto signature = eth::sign_personal_message(key, signed_bytes).to_rsv();
  switch (rng() % 6) {
    case 0:
      message += "!";
      break;
    case 1:
      address = eth::to_checksum(crypto::address_of(
          crypto::parse_private_key(from_hex(random_private_key(rng)).value()).value()));
      break;
    case 2:
      signature[1 + rng() % 60] ^= 0x01;
      break;
    default:
      break;
  }
  const std::string signature_hex = to_hex(signature);
  return Case{{"util", "verify-message", "--address", address, message, signature_hex},
              {"wallet", "verify", "--address", address, message, signature_hex}};
});

}  // namespace
}  // namespace medchain::differential
