#include <medchain/eth/rlp.hpp>

namespace medchain::eth::rlp {
namespace {

constexpr std::uint8_t kShortString = 0x80;
constexpr std::uint8_t kLongString = 0xb7;
constexpr std::uint8_t kShortList = 0xc0;
constexpr std::uint8_t kLongList = 0xf7;

void append_header(Bytes& out, std::size_t payload_size, std::uint8_t short_base,
                   std::uint8_t long_base) {
  if (payload_size < 56) {
    out.push_back(static_cast<std::uint8_t>(short_base + payload_size));
    return;
  }
  const Bytes length = to_compact_be(U256(payload_size));
  out.push_back(static_cast<std::uint8_t>(long_base + length.size()));
  out.insert(out.end(), length.begin(), length.end());
}

void append_item(Bytes& out, const Item& item);

void append_bytes(Bytes& out, ByteView bytes) {
  if (bytes.size() == 1 && bytes[0] < kShortString) {
    out.push_back(bytes[0]);
    return;
  }
  append_header(out, bytes.size(), kShortString, kLongString);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void append_item(Bytes& out, const Item& item) {
  if (!item.is_list()) {
    append_bytes(out, item.bytes());
    return;
  }
  Bytes payload;
  for (const Item& child : item.list()) append_item(payload, child);
  append_header(out, payload.size(), kShortList, kLongList);
  out.insert(out.end(), payload.begin(), payload.end());
}

Result<Item> decode_item(ByteView input, std::size_t& consumed, std::size_t depth) {
  if (depth > kMaxDepth) return Error{Errc::kRlpNonCanonical, "RLP nesting deeper than 256"};
  MEDCHAIN_TRY(Header header, decode_header(input));
  consumed = header.header_size + header.payload_size;
  ByteView payload = input.subspan(header.header_size, header.payload_size);
  if (!header.is_list) return Item(Bytes(payload.begin(), payload.end()));
  std::vector<Item> items;
  while (!payload.empty()) {
    std::size_t used = 0;
    MEDCHAIN_TRY(Item child, decode_item(payload, used, depth + 1));
    items.push_back(std::move(child));
    payload = payload.subspan(used);
  }
  return Item(std::move(items));
}

}  // namespace

Bytes encode(const Item& item) {
  Bytes out;
  append_item(out, item);
  return out;
}

Bytes encode_bytes(ByteView bytes) {
  Bytes out;
  append_bytes(out, bytes);
  return out;
}

Bytes encode_uint(const U256& value) {
  return encode_bytes(to_compact_be(value));
}

Bytes encode_list(const std::vector<Bytes>& encoded_items) {
  std::size_t payload_size = 0;
  for (const Bytes& item : encoded_items) payload_size += item.size();
  Bytes out;
  out.reserve(payload_size + 9);
  append_header(out, payload_size, kShortList, kLongList);
  for (const Bytes& item : encoded_items) out.insert(out.end(), item.begin(), item.end());
  return out;
}

Result<Header> decode_header(ByteView input) {
  if (input.empty()) return Error{Errc::kRlpTruncated, "RLP input is empty"};
  const std::uint8_t prefix = input[0];
  Header header;
  if (prefix < kShortString) {
    // A single byte is its own encoding; no header.
    header.payload_size = 1;
    return header;
  }
  header.is_list = prefix >= kShortList;
  const std::uint8_t short_base = header.is_list ? kShortList : kShortString;
  const std::uint8_t long_base = header.is_list ? kLongList : kLongString;
  if (prefix <= long_base) {
    header.header_size = 1;
    header.payload_size = prefix - short_base;
    if (!header.is_list && header.payload_size == 1) {
      if (input.size() < 2) return Error{Errc::kRlpTruncated, "RLP input ends inside a string"};
      if (input[1] < kShortString) {
        return Error{Errc::kRlpNonCanonical, "single byte below 0x80 must be encoded as itself"};
      }
    }
  } else {
    const std::size_t length_size = prefix - long_base;
    if (input.size() < 1 + length_size)
      return Error{Errc::kRlpTruncated, "RLP input ends inside a length"};
    if (input[1] == 0) return Error{Errc::kRlpNonCanonical, "RLP length has leading zero bytes"};
    if (length_size > sizeof(std::size_t))
      return Error{Errc::kRlpTruncated, "RLP length exceeds the input"};
    std::size_t length = 0;
    for (std::size_t i = 1; i <= length_size; ++i) length = (length << 8) | input[i];
    if (length < 56)
      return Error{Errc::kRlpNonCanonical, "RLP long form used for a length below 56"};
    header.header_size = 1 + length_size;
    header.payload_size = length;
  }
  if (header.payload_size > input.size() - header.header_size) {
    return Error{Errc::kRlpTruncated, "RLP input ends inside an item"};
  }
  return header;
}

Result<Item> decode(ByteView input) {
  std::size_t consumed = 0;
  MEDCHAIN_TRY(Item item, decode_item(input, consumed, 0));
  if (consumed != input.size()) {
    return Error{Errc::kTrailingBytes, "RLP input continues after the item"};
  }
  return item;
}

Result<U256> decode_uint(const Item& item) {
  if (item.is_list()) return Error{Errc::kRlpUnexpectedType, "expected an RLP integer, got a list"};
  const Bytes& bytes = item.bytes();
  if (bytes.size() > 32) return Error{Errc::kOverflow, "RLP integer longer than 32 bytes"};
  if (!bytes.empty() && bytes[0] == 0) {
    return Error{Errc::kRlpNonCanonical, "RLP integer has leading zero bytes"};
  }
  return from_be(bytes);
}

Result<Bytes> decode_fixed(const Item& item, std::size_t size) {
  if (item.is_list()) return Error{Errc::kRlpUnexpectedType, "expected an RLP string, got a list"};
  if (item.bytes().size() != size) {
    return Error{Errc::kInvalidLength, "expected " + std::to_string(size) + " bytes, got " +
                                           std::to_string(item.bytes().size())};
  }
  return item.bytes();
}

}  // namespace medchain::eth::rlp
