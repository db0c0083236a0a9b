// 256-bit unsigned integers (Boost.Multiprecision) and their big-endian byte forms.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <medchain/core/bytes.hpp>
#include <string>
#include <string_view>

namespace medchain {

using U256 = boost::multiprecision::uint256_t;
using U512 = boost::multiprecision::uint512_t;

// The 32-byte big-endian form of `value` (an EVM word).
std::array<std::uint8_t, 32> to_word(const U256& value) noexcept;

// The shortest big-endian form of `value`: no leading zero bytes; zero is empty (RLP's form).
Bytes to_compact_be(const U256& value);

// Reads up to 32 big-endian bytes. REQUIRES: bytes.size() <= 32.
U256 from_be(ByteView bytes) noexcept;

// Parses a decimal ("1234") or 0x-prefixed hex ("0x4d2") unsigned integer below 2^256.
Result<U256> parse_u256(std::string_view text);

// Decimal text, e.g. "1234".
std::string to_decimal(const U256& value);

// Minimal 0x-hex text, e.g. "0x4d2"; zero is "0x0".
std::string to_hex_quantity(const U256& value);

}  // namespace medchain
