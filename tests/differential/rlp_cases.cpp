// Differential cases for to-rlp, from-rlp and mktx.
#include <medchain/core/hex.hpp>
#include <medchain/eth/rlp.hpp>

#include "differential/differential.hpp"

namespace medchain::differential {
namespace {

namespace rlp = eth::rlp;

// String lengths cluster around RLP's boundaries: the single byte, 55/56 and 255/256.
std::size_t interesting_length(std::mt19937_64& rng) {
  static constexpr std::size_t kLengths[] = {0, 1, 2, 31, 32, 54, 55, 56, 57, 255, 256, 300};
  return rng() % 3 == 0 ? random_size(rng, 70) : kLengths[rng() % std::size(kLengths)];
}

// A random item and its JSON text in cast's input language: hex strings (with or without
// 0x), unsigned integers up to 2^256 - 1, nested arrays.
rlp::Item random_item(std::mt19937_64& rng, int depth, std::string& json) {
  const unsigned kind = rng() % (depth >= 4 ? 3 : 5);
  if (kind == 0 || kind == 1) {
    const std::string hex = random_hex_bytes(rng, interesting_length(rng));
    json += "\"" + (kind == 1 && hex.size() > 2 ? hex.substr(2) : hex) + "\"";
    return rlp::Item(from_hex(hex).value());
  }
  if (kind == 2) {
    const U256 value = random_u256(rng, 256);
    json += to_decimal(value);
    return rlp::Item(to_compact_be(value));
  }
  json += "[";
  std::vector<rlp::Item> items;
  // Long lists exercise the long list header; the size bound keeps one argument well below
  // the kernel's 128 KiB limit.
  const std::size_t count = random_size(rng, kind == 4 ? 40 : 4);
  for (std::size_t i = 0; i < count && json.size() < 16'000; ++i) {
    if (i > 0) json += ",";
    items.push_back(random_item(rng, depth + 1, json));
  }
  json += "]";
  return rlp::Item(std::move(items));
}

const bool kToRlp = register_primitive("to-rlp", [](std::mt19937_64& rng) {
  std::string json;
  random_item(rng, 0, json);
  return Case{{"util", "to-rlp", json}, {"to-rlp", json}};
});

const bool kFromRlp = register_primitive("from-rlp", [](std::mt19937_64& rng) {
  std::string json;
  const std::string encoded = to_hex(rlp::encode(random_item(rng, 0, json)));
  return Case{{"util", "from-rlp", encoded}, {"from-rlp", encoded}};
});

std::string random_number(std::mt19937_64& rng, unsigned max_bits) {
  const U256 value = random_u256(rng, max_bits);
  return rng() % 2 ? to_decimal(value) : to_hex_quantity(value);
}

// cast keeps fees in 128 bits (it panics above), so fees stay within them.
std::vector<std::string> mktx_common(std::mt19937_64& rng) {
  return {"--private-key", random_private_key(rng),
          "--nonce",       random_number(rng, 63),
          "--gas-limit",   random_number(rng, 63),
          "--gas-price",   random_number(rng, 128),
          "--chain",       std::to_string(1 + rng() % 100'000),
          "--value",       random_number(rng, 128)};
}

Case mktx_case(std::vector<std::string> options, std::mt19937_64& rng) {
  std::vector<std::string> positional;
  if (rng() % 8 == 0) {
    options.push_back("--create");
    positional.push_back(random_hex_bytes(rng, 1 + random_size(rng, 200)));
  } else {
    positional.push_back(random_hex_bytes(rng, 20));
    if (rng() % 2) positional.push_back(random_hex_bytes(rng, 4 + random_size(rng, 100)));
  }
  std::vector<std::string> ours{"util", "mktx"};
  std::vector<std::string> theirs{"mktx"};
  for (auto* args : {&ours, &theirs}) {
    args->insert(args->end(), options.begin(), options.end());
    args->insert(args->end(), positional.begin(), positional.end());
  }
  return Case{ours, theirs};
}

const bool kMktxLegacy = register_primitive("mktx-legacy", [](std::mt19937_64& rng) {
  std::vector<std::string> options = mktx_common(rng);
  options.push_back("--legacy");
  return mktx_case(options, rng);
});

const bool kMktx1559 = register_primitive("mktx-1559", [](std::mt19937_64& rng) {
  std::vector<std::string> options = mktx_common(rng);
  options.insert(options.end(), {"--priority-gas-price", random_number(rng, 100)});
  return mktx_case(options, rng);
});

}  // namespace
}  // namespace medchain::differential
