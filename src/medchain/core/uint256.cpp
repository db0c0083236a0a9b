#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>

namespace medchain {

std::array<std::uint8_t, 32> to_word(const U256& value) noexcept {
  std::array<std::uint8_t, 32> out{};
  U256 v = value;
  for (int i = 31; i >= 0 && v != 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
  return out;
}

Bytes to_compact_be(const U256& value) {
  auto word = to_word(value);
  auto first = std::find_if(word.begin(), word.end(), [](std::uint8_t b) { return b != 0; });
  return Bytes(first, word.end());
}

U256 from_be(ByteView bytes) noexcept {
  U256 out = 0;
  for (std::uint8_t b : bytes) out = (out << 8) | b;
  return out;
}

Result<U256> parse_u256(std::string_view text) {
  if (text.empty()) return Error{Errc::kInvalidNumber, "empty number"};
  U512 acc = 0;
  const U512 limit = U512(1) << 256;
  if (has_hex_prefix(text)) {
    text.remove_prefix(2);
    if (text.empty()) return Error{Errc::kInvalidNumber, "hex number has no digits"};
    for (char c : text) {
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Error{Errc::kInvalidNumber, "invalid hex digit '" + std::string(1, c) + "'"};
      }
      acc = acc * 16 + digit;
      if (acc >= limit) return Error{Errc::kOverflow, "number does not fit in 256 bits"};
    }
  } else {
    for (char c : text) {
      if (c < '0' || c > '9') {
        return Error{Errc::kInvalidNumber, "invalid decimal digit '" + std::string(1, c) + "'"};
      }
      acc = acc * 10 + (c - '0');
      if (acc >= limit) return Error{Errc::kOverflow, "number does not fit in 256 bits"};
    }
  }
  return U256(acc);
}

std::string to_decimal(const U256& value) {
  return value.str();
}

std::string to_hex_quantity(const U256& value) {
  if (value == 0) return "0x0";
  const std::string digits = to_hex(to_compact_be(value), true);
  // Drop the one leading zero digit a byte-aligned form may have: quantities are minimal.
  if (digits[2] != '0') return digits;
  std::string out("0x");
  out.append(digits, 3, std::string::npos);
  return out;
}

}  // namespace medchain
