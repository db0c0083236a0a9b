#include <cctype>
#include <charconv>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/abi_type.hpp>
#include <optional>

namespace medchain::eth::abi {
namespace {

Error bad_type(std::string_view text, std::string_view why) {
  return Error{Errc::kAbiInvalidType,
               "invalid ABI type \"" + std::string(text) + "\": " + std::string(why)};
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// A recursive-descent reader over a signature or type string.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool consume(char c) {
    skip_space();
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string_view identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // Peeks at the next identifier without consuming it.
  std::string_view peek_identifier() {
    const std::size_t saved = pos_;
    std::string_view word = identifier();
    pos_ = saved;
    return word;
  }
  std::string_view text() const { return text_; }

  Result<Type> type(std::size_t depth) {
    if (depth > kMaxTypeDepth) return bad_type(text_, "nested too deeply");
    skip_space();
    Type base;
    if (peek() == '(' || peek_identifier() == "tuple") {
      if (peek() != '(') identifier();  // "tuple(...)"
      MEDCHAIN_TRY(std::vector<Param> members, param_list(depth + 1, false));
      std::vector<Type> types;
      for (Param& member : members) types.push_back(std::move(member.type));
      base = Type::tuple(std::move(types));
    } else {
      MEDCHAIN_TRY(base, elementary(identifier()));
    }
    // Array suffixes apply left to right: uint8[2][] is a dynamic array of uint8[2].
    while (consume('[')) {
      if (++depth > kMaxTypeDepth) return bad_type(text_, "nested too deeply");
      skip_space();
      if (consume(']')) {
        base = Type::array(std::move(base));
        continue;
      }
      const std::size_t start = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      std::size_t length = 0;
      const auto digits = text_.substr(start, pos_ - start);
      if (digits.empty() ||
          std::from_chars(digits.data(), digits.data() + digits.size(), length).ec != std::errc{} ||
          length == 0 || length > kMaxFixedArrayLength || !consume(']')) {
        return bad_type(text_, "array length must be 1.." + std::to_string(kMaxFixedArrayLength));
      }
      base = Type::fixed_array(std::move(base), length);
      if (base.head_size() > kMaxStaticSize) return bad_type(text_, "static size above 16 MiB");
    }
    return base;
  }

  // "(" [param ("," param)*] ")" where a param is `type [indexed] [name]`.
  Result<std::vector<Param>> param_list(std::size_t depth, bool allow_indexed) {
    if (!consume('(')) return bad_type(text_, "expected '('");
    std::vector<Param> params;
    if (consume(')')) return params;
    do {
      Param param;
      MEDCHAIN_TRY(param.type, type(depth));
      std::string_view word = identifier();
      // Data-location keywords may appear in signatures copied from Solidity source.
      while (word == "memory" || word == "calldata" || word == "storage" || word == "payable")
        word = identifier();
      if (word == "indexed") {
        if (!allow_indexed) return bad_type(text_, "'indexed' outside an event");
        param.indexed = true;
        word = identifier();
      }
      param.name = std::string(word);
      params.push_back(std::move(param));
    } while (consume(','));
    if (!consume(')')) return bad_type(text_, "expected ',' or ')'");
    return params;
  }

 private:
  Result<Type> elementary(std::string_view name) {
    if (name.empty()) return bad_type(text_, "expected a type");
    if (name == "address") return Type::address();
    if (name == "bool") return Type::boolean();
    if (name == "string") return Type::string();
    if (name == "bytes") return Type::bytes();
    if (name == "byte") return Type::fixed_bytes(1);
    if (name == "uint") return Type::uint(256);
    if (name == "int") return Type::int_(256);
    auto numbered = [&](std::string_view prefix, unsigned low, unsigned high,
                        unsigned step) -> std::optional<unsigned> {
      if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
      const std::string_view digits = name.substr(prefix.size());
      unsigned value = 0;
      if (digits.empty() || digits[0] == '0' ||
          std::from_chars(digits.data(), digits.data() + digits.size(), value).ptr !=
              digits.data() + digits.size() ||
          value < low || value > high || value % step != 0) {
        return 0u;
      }
      return value;
    };
    if (auto bits = numbered("uint", 8, 256, 8)) {
      if (*bits == 0) return bad_type(name, "uintN needs N in 8, 16, ..., 256");
      return Type::uint(*bits);
    }
    if (auto bits = numbered("int", 8, 256, 8)) {
      if (*bits == 0) return bad_type(name, "intN needs N in 8, 16, ..., 256");
      return Type::int_(*bits);
    }
    if (auto size = numbered("bytes", 1, 32, 1)) {
      if (*size == 0) return bad_type(name, "bytesN needs N in 1..32");
      return Type::fixed_bytes(*size);
    }
    return bad_type(name, "unknown type");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

bool Type::is_dynamic() const {
  switch (kind) {
    case Kind::kBytes:
    case Kind::kString:
    case Kind::kArray:
      return true;
    case Kind::kFixedArray:
      return components[0].is_dynamic();
    case Kind::kTuple:
      for (const Type& member : components) {
        if (member.is_dynamic()) return true;
      }
      return false;
    default:
      return false;
  }
}

std::size_t Type::head_size() const {
  if (is_dynamic()) return 32;
  if (kind == Kind::kFixedArray) return length * components[0].head_size();
  if (kind == Kind::kTuple) {
    std::size_t size = 0;
    for (const Type& member : components) size += member.head_size();
    return size;
  }
  return 32;
}

std::string Type::canonical() const {
  switch (kind) {
    case Kind::kUint:
      return "uint" + std::to_string(bits);
    case Kind::kInt:
      return "int" + std::to_string(bits);
    case Kind::kAddress:
      return "address";
    case Kind::kBool:
      return "bool";
    case Kind::kFixedBytes:
      return "bytes" + std::to_string(bits);
    case Kind::kBytes:
      return "bytes";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return components[0].canonical() + "[]";
    case Kind::kFixedArray:
      return components[0].canonical() + "[" + std::to_string(length) + "]";
    case Kind::kTuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < components.size(); ++i) {
        if (i > 0) out += ",";
        out += components[i].canonical();
      }
      return out + ")";
    }
  }
  return {};
}

Result<Type> parse_type(std::string_view text) {
  Reader reader(text);
  MEDCHAIN_TRY(Type type, reader.type(0));
  reader.skip_space();
  if (!reader.at_end()) return bad_type(text, "unexpected characters after the type");
  return type;
}

std::string Signature::canonical() const {
  std::string out = name + "(";
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (i > 0) out += ",";
    out += inputs[i].type.canonical();
  }
  return out + ")";
}

std::vector<Type> Signature::input_types() const {
  std::vector<Type> types;
  for (const Param& param : inputs) types.push_back(param.type);
  return types;
}

std::vector<Type> Signature::output_types() const {
  std::vector<Type> types;
  for (const Param& param : outputs) types.push_back(param.type);
  return types;
}

Result<Signature> parse_signature(std::string_view text, Signature::Kind assumed) {
  Reader reader(text);
  Signature signature;
  signature.kind = assumed;
  std::string_view word = reader.identifier();
  if (word == "function" || word == "event" || word == "error") {
    signature.kind = word == "event"   ? Signature::Kind::kEvent
                     : word == "error" ? Signature::Kind::kError
                                       : Signature::Kind::kFunction;
    word = reader.identifier();
  }
  if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0]))) {
    return Error{Errc::kAbiInvalidType,
                 "invalid signature \"" + std::string(text) + "\": expected a name"};
  }
  signature.name = std::string(word);
  MEDCHAIN_TRY(signature.inputs, reader.param_list(0, signature.kind == Signature::Kind::kEvent));
  // Modifiers copied from Solidity, then the outputs: "returns (T)" or just "(T)".
  for (std::string_view modifier = reader.peek_identifier();
       modifier == "external" || modifier == "public" || modifier == "view" || modifier == "pure" ||
       modifier == "payable" || modifier == "nonpayable" || modifier == "anonymous";
       modifier = reader.peek_identifier()) {
    reader.identifier();
  }
  if (reader.peek_identifier() == "returns") reader.identifier();
  reader.skip_space();
  if (reader.peek() == '(') {
    MEDCHAIN_TRY(signature.outputs, reader.param_list(0, false));
  }
  reader.skip_space();
  if (!reader.at_end()) {
    return Error{Errc::kAbiInvalidType,
                 "invalid signature \"" + std::string(text) + "\": unexpected text at the end"};
  }
  return signature;
}

std::array<std::uint8_t, 4> selector(const Signature& signature) {
  const Hash32 hash = crypto::keccak256(as_bytes(signature.canonical()));
  return {hash.bytes[0], hash.bytes[1], hash.bytes[2], hash.bytes[3]};
}

Hash32 event_topic(const Signature& signature) {
  return crypto::keccak256(as_bytes(signature.canonical()));
}

}  // namespace medchain::eth::abi
