// Revert data: Error(string) from require/revert with a message, Panic(uint256) from assert and
// checked arithmetic, and custom errors (Solidity >= 0.8.4).
#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>

namespace medchain::eth::abi {
namespace {

// Solidity's panic codes (documentation, "Panic via assert and Error via require").
std::string_view panic_meaning(const U256& code) {
  switch (static_cast<unsigned>(code > 0xff ? 0xffff : code)) {
    case 0x00:
      return "generic compiler panic";
    case 0x01:
      return "assertion failed";
    case 0x11:
      return "arithmetic overflow or underflow";
    case 0x12:
      return "division or modulo by zero";
    case 0x21:
      return "invalid enum value";
    case 0x22:
      return "invalid storage byte array encoding";
    case 0x31:
      return "pop on an empty array";
    case 0x32:
      return "array index out of bounds";
    case 0x41:
      return "out of memory";
    case 0x51:
      return "call to an uninitialized internal function";
    default:
      return "unknown panic code";
  }
}

std::string describe_value(const Value& value) {
  if (const auto* word = std::get_if<U256>(&value.data)) return to_decimal(*word);
  if (const auto* flag = std::get_if<bool>(&value.data)) return *flag ? "true" : "false";
  if (const auto* address = std::get_if<Address>(&value.data)) return to_hex(*address);
  if (const auto* bytes = std::get_if<Bytes>(&value.data)) return to_hex(*bytes);
  if (const auto* text = std::get_if<std::string>(&value.data)) return "\"" + *text + "\"";
  std::string out = "[";
  const auto& items = value.items();
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + describe_value(items[i]);
  return out + "]";
}

}  // namespace

RevertReason decode_revert(ByteView data, const std::vector<Signature>& custom_errors) {
  static const Signature kError = parse_signature("Error(string)").value();
  static const Signature kPanic = parse_signature("Panic(uint256)").value();
  if (data.size() < 4) {
    return RevertReason{
        "", {}, data.empty() ? "reverted without a reason" : "reverted with " + to_hex(data)};
  }
  const ByteView prefix = data.first(4);
  const ByteView body = data.subspan(4);
  auto matches = [&](const Signature& signature) {
    const auto expected = selector(signature);
    return std::equal(expected.begin(), expected.end(), prefix.begin());
  };
  if (matches(kError)) {
    if (auto args = decode(kError.input_types(), body)) {
      return RevertReason{"Error", *args, (*args)[0].text()};
    }
  } else if (matches(kPanic)) {
    if (auto args = decode(kPanic.input_types(), body)) {
      const U256& code = (*args)[0].word();
      return RevertReason{
          "Panic", *args,
          "panic " + to_hex_quantity(code) + ": " + std::string(panic_meaning(code))};
    }
  } else {
    for (const Signature& error : custom_errors) {
      if (!matches(error)) continue;
      if (auto args = decode(error.input_types(), body)) {
        std::string description = error.name + "(";
        for (std::size_t i = 0; i < args->size(); ++i)
          description += (i ? ", " : "") + describe_value((*args)[i]);
        return RevertReason{error.name, *args, description + ")"};
      }
    }
  }
  return RevertReason{"", {}, "reverted with " + to_hex(data)};
}

}  // namespace medchain::eth::abi
