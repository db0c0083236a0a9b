// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B).
//
// The decoder is strict: it accepts exactly the encodings the encoder produces and rejects
// everything else — a single byte below 0x80 wrapped in a string header, a long form for a
// length below 56, a length with leading zero bytes, input that ends inside an item or goes on
// after it — so that every accepted input has one meaning and re-encodes to itself.
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <medchain/core/uint256.hpp>
#include <variant>
#include <vector>

namespace medchain::eth::rlp {

// An RLP item: a byte string or a list of items.
struct Item {
  std::variant<Bytes, std::vector<Item>> value;

  Item() : value(Bytes{}) {}
  Item(Bytes bytes) : value(std::move(bytes)) {}              // NOLINT: implicit
  Item(std::vector<Item> items) : value(std::move(items)) {}  // NOLINT: implicit

  bool is_list() const noexcept { return value.index() == 1; }
  const Bytes& bytes() const { return std::get<0>(value); }
  const std::vector<Item>& list() const { return std::get<1>(value); }
  bool operator==(const Item&) const = default;
};

// Deeper nesting than this is refused by the decoder, so hostile input cannot exhaust the stack.
inline constexpr std::size_t kMaxDepth = 256;

// --- encoding -----------------------------------------------------------------------------

Bytes encode(const Item& item);
Bytes encode_bytes(ByteView bytes);
// An integer as its minimal big-endian byte string (zero is the empty string).
Bytes encode_uint(const U256& value);
// A list whose items are already encoded: header + concatenation of `encoded_items`.
Bytes encode_list(const std::vector<Bytes>& encoded_items);

// --- decoding -----------------------------------------------------------------------------

// Decodes exactly one item spanning all of `input`.
Result<Item> decode(ByteView input);

// The header of the item at the start of `input`.
struct Header {
  bool is_list = false;
  std::size_t header_size = 0;
  std::size_t payload_size = 0;
};
// Reads and checks one header; the payload must fit in `input`.
Result<Header> decode_header(ByteView input);

// An integer item: a string of at most 32 bytes without leading zeros.
Result<U256> decode_uint(const Item& item);
// A string item of exactly `size` bytes.
Result<Bytes> decode_fixed(const Item& item, std::size_t size);

}  // namespace medchain::eth::rlp
