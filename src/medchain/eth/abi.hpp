// Solidity ABI encoding and decoding of values (Solidity documentation, "Contract ABI
// Specification", "Formal Specification of the Encoding").
//
// Decoding takes untrusted bytes: every offset and length is bounds-checked before it is used,
// a claimed length can never allocate more than the input could hold, and non-canonical words
// (dirty high bits of a uint8, an address or a bool, non-zero padding) are rejected.
#pragma once

#include <medchain/core/uint256.hpp>
#include <medchain/eth/abi_type.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace medchain::eth::abi {

// A value of some ABI type. Integers are 256-bit words: uintN as is, intN in two's complement
// (sign-extended to 256 bits). Fixed and dynamic byte strings are Bytes; arrays and tuples are
// Items.
struct Value {
  using Items = std::vector<Value>;
  std::variant<U256, bool, Address, Bytes, std::string, Items> data;

  Value() : data(U256(0)) {}
  Value(U256 word) : data(std::move(word)) {}         // NOLINT: implicit
  Value(bool flag) : data(flag) {}                    // NOLINT: implicit
  Value(Address address) : data(address) {}           // NOLINT: implicit
  Value(Bytes bytes) : data(std::move(bytes)) {}      // NOLINT: implicit
  Value(std::string text) : data(std::move(text)) {}  // NOLINT: implicit
  Value(Items items) : data(std::move(items)) {}      // NOLINT: implicit

  const U256& word() const { return std::get<U256>(data); }
  bool flag() const { return std::get<bool>(data); }
  const Address& address() const { return std::get<Address>(data); }
  const Bytes& bytes() const { return std::get<Bytes>(data); }
  const std::string& text() const { return std::get<std::string>(data); }
  const Items& items() const { return std::get<Items>(data); }
  bool operator==(const Value&) const = default;
};

// Two's complement helpers for intN values.
U256 negate(const U256& word);
bool is_negative(const U256& word);  // the top bit of the 256-bit word

// Encodes `values` as the tuple of `types` (a function's arguments, an event's data).
// kAbiValueMismatch when a value does not fit its type.
Result<Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values);

// selector || encode(inputs, values).
Result<Bytes> encode_call(const Signature& signature, const std::vector<Value>& values);

// Decodes `data` as the tuple of `types`. Bytes after what the types need are ignored, as the
// EVM's own decoders do. kAbiInvalidData on anything malformed.
Result<std::vector<Value>> decode(const std::vector<Type>& types, ByteView data);

// A decoded event: every parameter in declaration order. An indexed parameter of a dynamic type
// only has its keccak256 topic, given as a bytes32 value.
Result<std::vector<Value>> decode_event(const Signature& event, const std::vector<Hash32>& topics,
                                        ByteView data);

// A revert reason, decoded as far as the known errors allow.
struct RevertReason {
  std::string name;         // "Error", "Panic", a custom error's name, or "" if unknown
  std::vector<Value> args;  // the error's arguments
  std::string description;  // one line for people, e.g. "Unauthorized(0x...)" or "panic 0x11:
                            // arithmetic overflow"
};

// Decodes revert data: Error(string), Panic(uint256), or one of `custom_errors`.
RevertReason decode_revert(ByteView data, const std::vector<Signature>& custom_errors = {});

}  // namespace medchain::eth::abi
