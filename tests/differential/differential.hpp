// Differential testing of `medchain util` against foundry's `cast`.
//
// Each primitive registers a generator of seeded random cases. The runner (runner.cpp) runs
// every case through both programs and requires the same outcome: both succeed with
// byte-identical stdout, or both fail.
#pragma once

#include <functional>
#include <medchain/core/uint256.hpp>
#include <random>
#include <string>
#include <vector>

namespace medchain::differential {

struct Case {
  std::vector<std::string> medchain_args;  // after the program name: {"util", "keccak", "0x01"}
  std::vector<std::string> cast_args;      // after the program name: {"keccak", "0x01"}
};

using Generator = std::function<Case(std::mt19937_64& rng)>;

// Registers a primitive; call from a namespace-scope initializer:
//   const bool kRegistered = register_primitive("keccak", [](std::mt19937_64& rng) { ... });
bool register_primitive(std::string name, Generator generator);

// Random inputs shared by the generators.
std::size_t random_size(std::mt19937_64& rng, std::size_t max_inclusive);
std::string random_hex_bytes(std::mt19937_64& rng, std::size_t size);  // "0x" + 2*size digits
std::string random_private_key(std::mt19937_64& rng);                  // valid secp256k1 key, hex
// Printable ASCII that neither starts with "0x" nor with "-".
std::string random_text(std::mt19937_64& rng, std::size_t size);
// A number below 2^max_bits whose own width is random too, so small values come up as often as
// huge ones.
U256 random_u256(std::mt19937_64& rng, unsigned max_bits);

}  // namespace medchain::differential
