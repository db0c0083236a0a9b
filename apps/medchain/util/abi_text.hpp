// ABI values as text, the way `cast` reads arguments and prints decoded values.
#pragma once

#include <medchain/eth/abi.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::cli {

// Parses one argument for `type`: integers in decimal or 0x-hex (intN may be negative), hex
// bytes, true/false, addresses, raw text for a top-level string; arrays as "[a, b]" and tuples
// as "(a, b)", whose elements are trimmed and may be double-quoted.
Result<eth::abi::Value> parse_value_text(const eth::abi::Type& type, std::string_view text);

// Parses one text argument per input of `signature` (kInvalidArgument on a count mismatch).
Result<std::vector<eth::abi::Value>> parse_arguments(const eth::abi::Signature& signature,
                                                     const std::vector<std::string>& args);

// Prints a value as `cast abi-decode` does: integers of 10,000 and more get a short scientific
// annotation ("1000000000000000000 [1e18]"), addresses are checksummed, strings quoted.
std::string format_value_text(const eth::abi::Type& type, const eth::abi::Value& value);

}  // namespace medchain::cli
