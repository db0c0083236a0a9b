// Solidity ABI types and signatures (Solidity documentation, "Contract ABI Specification").
//
// Parses type strings ("uint256", "bytes32[]", "(address,uint8)[2]") and the signature forms
// people write and cast accepts: "transfer(address,uint256)", "function transfer(address to,
// uint256 amount) returns (bool)", "balanceOf(address)(uint256)", "event Transfer(address
// indexed from, address indexed to, uint256 value)", "error Unauthorized(address)".
#pragma once

#include <array>
#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::eth::abi {

struct Type {
  enum class Kind {
    kUint,
    kInt,
    kAddress,
    kBool,
    kFixedBytes,
    kBytes,
    kString,
    kArray,
    kFixedArray,
    kTuple
  };

  Kind kind = Kind::kUint;
  unsigned bits = 256;           // kUint, kInt: 8..256; kFixedBytes: the byte count 1..32
  std::size_t length = 0;        // kFixedArray: the element count
  std::vector<Type> components;  // kArray, kFixedArray: one element type; kTuple: the members

  static Type uint(unsigned bits = 256) { return Type{Kind::kUint, bits, 0, {}}; }
  static Type int_(unsigned bits = 256) { return Type{Kind::kInt, bits, 0, {}}; }
  static Type address() { return Type{Kind::kAddress, 160, 0, {}}; }
  static Type boolean() { return Type{Kind::kBool, 8, 0, {}}; }
  static Type fixed_bytes(unsigned size) { return Type{Kind::kFixedBytes, size, 0, {}}; }
  static Type bytes() { return Type{Kind::kBytes, 0, 0, {}}; }
  static Type string() { return Type{Kind::kString, 0, 0, {}}; }
  static Type array(Type element) { return Type{Kind::kArray, 0, 0, {std::move(element)}}; }
  static Type fixed_array(Type element, std::size_t n) {
    return Type{Kind::kFixedArray, 0, n, {std::move(element)}};
  }
  static Type tuple(std::vector<Type> members) {
    return Type{Kind::kTuple, 0, 0, std::move(members)};
  }

  // Dynamic types are encoded in the tail, behind an offset in the head.
  bool is_dynamic() const;
  // Bytes the type occupies in the head of an enclosing tuple (32 for any dynamic type).
  std::size_t head_size() const;
  // The canonical form used in selectors: "uint256", "(address,bool)[]".
  std::string canonical() const;

  bool operator==(const Type&) const = default;
};

// Nesting and sizes beyond these are refused, so a type string cannot make the encoder or
// decoder allocate without bound.
inline constexpr std::size_t kMaxTypeDepth = 32;
inline constexpr std::size_t kMaxFixedArrayLength = 65536;
inline constexpr std::size_t kMaxStaticSize = std::size_t{1} << 24;  // bytes of one static value

// Parses one type. Accepts the aliases "uint" / "int" (256 bits) and "byte" (bytes1).
Result<Type> parse_type(std::string_view text);

struct Param {
  Type type;
  std::string name;
  bool indexed = false;  // events only
};

struct Signature {
  enum class Kind { kFunction, kEvent, kError };
  Kind kind = Kind::kFunction;
  std::string name;
  std::vector<Param> inputs;
  std::vector<Param> outputs;

  // "name(type1,type2)": what the selector and topic hash.
  std::string canonical() const;
  std::vector<Type> input_types() const;
  std::vector<Type> output_types() const;
};

// Parses any of the forms in the header comment. A leading "function", "event" or "error"
// keyword sets the kind; without one, the signature is of kind `assumed`.
Result<Signature> parse_signature(std::string_view text,
                                  Signature::Kind assumed = Signature::Kind::kFunction);

// The first 4 bytes of keccak256(canonical()).
std::array<std::uint8_t, 4> selector(const Signature& signature);
// keccak256(canonical()): an event's topic 0.
Hash32 event_topic(const Signature& signature);

}  // namespace medchain::eth::abi
