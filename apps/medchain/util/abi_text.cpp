#include "util/abi_text.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::cli {
namespace {

using eth::abi::Type;
using eth::abi::Value;

Error bad_value(const Type& type, std::string_view text, std::string_view why) {
  return Error{Errc::kInvalidArgument, "cannot read \"" + std::string(text) + "\" as " +
                                           type.canonical() + ": " + std::string(why)};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// Splits "a, [b, c], (d), \"e,f\"" at the commas outside brackets and quotes.
Result<std::vector<std::string_view>> split_elements(std::string_view inner) {
  std::vector<std::string_view> parts;
  if (trim(inner).empty()) return parts;
  int depth = 0;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const char c = inner[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '[' || c == '(')
      ++depth;
    else if (c == ']' || c == ')')
      --depth;
    else if (c == ',' && depth == 0) {
      parts.push_back(trim(inner.substr(start, i - start)));
      start = i + 1;
    }
    if (depth < 0)
      return Error{Errc::kInvalidArgument, "unbalanced brackets in \"" + std::string(inner) + "\""};
  }
  if (depth != 0 || quoted)
    return Error{Errc::kInvalidArgument,
                 "unbalanced brackets or quotes in \"" + std::string(inner) + "\""};
  parts.push_back(trim(inner.substr(start)));
  return parts;
}

// Inside arrays and tuples a string may be double-quoted (with \" and \\ escapes).
std::string unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

Result<Value> parse_integer(const Type& type, std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative && type.kind != Type::Kind::kInt)
    return bad_value(type, text, "negative value for an unsigned type");
  auto magnitude = parse_u256(negative ? text.substr(1) : text);
  if (!magnitude) return bad_value(type, text, magnitude.error().message);
  const U256 limit = type.kind == Type::Kind::kUint
                         ? (type.bits == 256 ? ~U256(0) : (U256(1) << type.bits) - 1)
                         : (U256(1) << (type.bits - 1)) - (negative ? 0 : 1);
  if (*magnitude > limit) return bad_value(type, text, "number too large to fit in target type");
  return Value(negative ? eth::abi::negate(*magnitude) : *magnitude);
}

Result<Value> parse_nested(const Type& type, std::string_view text, bool top_level);

Result<Value> parse_sequence(const Type& type, std::string_view text, char open, char close) {
  text = trim(text);
  if (text.size() < 2 || text.front() != open || text.back() != close) {
    return bad_value(type, text, std::string("expected ") + open + "..." + close);
  }
  MEDCHAIN_TRY(std::vector<std::string_view> parts,
               split_elements(text.substr(1, text.size() - 2)));
  const bool is_tuple = type.kind == Type::Kind::kTuple;
  const std::size_t expected = is_tuple ? type.components.size() : type.length;
  if ((is_tuple || type.kind == Type::Kind::kFixedArray) && parts.size() != expected) {
    return bad_value(type, text, "expected " + std::to_string(expected) + " elements");
  }
  Value::Items items;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    MEDCHAIN_TRY(Value item,
                 parse_nested(is_tuple ? type.components[i] : type.components[0], parts[i], false));
    items.push_back(std::move(item));
  }
  return Value(std::move(items));
}

Result<Value> parse_nested(const Type& type, std::string_view text, bool top_level) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kUint:
    case Kind::kInt:
      return parse_integer(type, text);
    case Kind::kAddress: {
      auto bytes = from_hex(text);
      if (!has_hex_prefix(text) || !bytes || bytes->size() != 20)
        return bad_value(type, text, "expected 0x and 40 hex digits");
      return Value(*Address::from_view(*bytes));
    }
    case Kind::kBool:
      if (text == "true") return Value(true);
      if (text == "false") return Value(false);
      return bad_value(type, text, "invalid boolean");
    case Kind::kFixedBytes:
    case Kind::kBytes: {
      auto bytes = from_hex(text);
      if (!bytes) return bad_value(type, text, "expected hex");
      if (type.kind == Kind::kFixedBytes && bytes->size() != type.bits)
        return bad_value(type, text, "invalid string length");
      return Value(std::move(*bytes));
    }
    case Kind::kString:
      if (!top_level) return Value(unquote(text));
      // As cast does: trailing whitespace is dropped, leading whitespace kept.
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
      return Value(std::string(text));
    case Kind::kArray:
    case Kind::kFixedArray:
      return parse_sequence(type, text, '[', ']');
    case Kind::kTuple:
      return parse_sequence(type, text, '(', ')');
  }
  return bad_value(type, text, "unknown type");
}

// "[1.234e5]": four significant digits, truncated, trailing zeros dropped.
std::string scientific(const std::string& digits) {
  std::string mantissa = digits.substr(0, 1);
  std::string fraction = digits.substr(1, 3);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) mantissa += "." + fraction;
  return mantissa + "e" + std::to_string(digits.size() - 1);
}

std::string format_integer(const Type& type, const U256& word) {
  const bool negative = type.kind == Type::Kind::kInt && eth::abi::is_negative(word);
  const std::string digits = to_decimal(negative ? eth::abi::negate(word) : word);
  const std::string sign = negative ? "-" : "";
  if (digits.size() < 5) return sign + digits;
  return sign + digits + " [" + sign + scientific(digits) + "]";
}

// Rust's Debug form of a string, which cast prints.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char escape[16];
          std::snprintf(escape, sizeof escape, "\\u{%x}", c);
          out += escape;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace

Result<std::vector<Value>> parse_arguments(const eth::abi::Signature& signature,
                                           const std::vector<std::string>& args) {
  if (args.size() != signature.inputs.size()) {
    return Error{Errc::kInvalidArgument, signature.canonical() + " takes " +
                                             std::to_string(signature.inputs.size()) +
                                             " arguments, got " + std::to_string(args.size())};
  }
  std::vector<Value> values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    MEDCHAIN_TRY(Value value, parse_value_text(signature.inputs[i].type, args[i]));
    values.push_back(std::move(value));
  }
  return values;
}

Result<Value> parse_value_text(const Type& type, std::string_view text) {
  return parse_nested(type, text, true);
}

std::string format_value_text(const Type& type, const Value& value) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kUint:
    case Kind::kInt:
      return format_integer(type, value.word());
    case Kind::kAddress:
      return eth::to_checksum(value.address());
    case Kind::kBool:
      return value.flag() ? "true" : "false";
    case Kind::kFixedBytes:
    case Kind::kBytes:
      return to_hex(value.bytes());
    case Kind::kString:
      return quote(value.text());
    case Kind::kArray:
    case Kind::kFixedArray:
    case Kind::kTuple: {
      const bool is_tuple = type.kind == Kind::kTuple;
      std::string out = is_tuple ? "(" : "[";
      const auto& items = value.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += format_value_text(is_tuple ? type.components[i] : type.components[0], items[i]);
      }
      return out + (is_tuple ? ")" : "]");
    }
  }
  return {};
}

}  // namespace medchain::cli
