// Hexadecimal text <-> bytes, the way Ethereum tools write it ("0x"-prefixed, lowercase).
#pragma once

#include <medchain/core/bytes.hpp>
#include <string>
#include <string_view>

namespace medchain {

// Lowercase hex of `bytes`, "0x"-prefixed unless `prefix` is false. Empty input gives "0x".
std::string to_hex(ByteView bytes, bool prefix = true);

// Decodes hex with or without a "0x"/"0X" prefix, either case. An odd number of digits or
// a non-hex character is kInvalidHex.
Result<Bytes> from_hex(std::string_view text);

// Like from_hex, but the text must decode to exactly T::kSize bytes (kInvalidLength if not).
template <class T>
Result<T> from_hex_fixed(std::string_view text) {
  MEDCHAIN_TRY(Bytes raw, from_hex(text));
  return T::from_view(raw);
}

// True if `text` starts with "0x" or "0X".
bool has_hex_prefix(std::string_view text) noexcept;

}  // namespace medchain
