#include <algorithm>
#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/abi.hpp>
#include <medchain/eth/eip712.hpp>
#include <set>

namespace medchain::eth::eip712 {
namespace {

using nlohmann::json;

Error invalid(const std::string& what) {
  return Error{Errc::kEip712Invalid, "typed data: " + what};
}

// "Person[][3]" -> "Person" and whether there was an array suffix.
std::string_view base_name(std::string_view type) {
  const std::size_t bracket = type.find('[');
  return bracket == std::string_view::npos ? type : type.substr(0, bracket);
}

bool is_struct(const TypedData& data, std::string_view name) {
  return data.types.contains(std::string(name));
}

const json& fields_of(const TypedData& data, std::string_view name) {
  return data.types[std::string(name)];
}

// Collects the struct types `name` references, directly or through other structs.
void collect_dependencies(const TypedData& data, std::string_view name,
                          std::set<std::string>& found) {
  const std::string base(base_name(name));
  if (!is_struct(data, base) || found.count(base)) return;
  found.insert(base);
  for (const json& field : fields_of(data, base))
    collect_dependencies(data, field["type"].get<std::string>(), found);
}

Result<U256> parse_integer(const json& value, bool is_signed, unsigned bits,
                           const std::string& where) {
  bool negative = false;
  U256 magnitude;
  if (value.is_number_unsigned()) {
    magnitude = value.get<std::uint64_t>();
  } else if (value.is_number_integer()) {
    const std::int64_t number = value.get<std::int64_t>();
    negative = number < 0;
    magnitude = negative ? U256(-(number + 1)) + 1 : U256(number);
  } else if (value.is_string()) {
    std::string_view text = value.get_ref<const std::string&>();
    negative = !text.empty() && text[0] == '-';
    if (negative) text.remove_prefix(1);
    auto parsed = parse_u256(text);
    if (!parsed) return invalid(where + ": " + parsed.error().message);
    magnitude = *parsed;
  } else {
    return invalid(where +
                   ": expected an integer (a JSON number below 2^64, or a decimal or 0x string)");
  }
  if (negative && !is_signed) return invalid(where + ": negative value for an unsigned type");
  const U256 limit = !is_signed ? (bits == 256 ? ~U256(0) : (U256(1) << bits) - 1)
                                : (U256(1) << (bits - 1)) - (negative ? 0 : 1);
  if (magnitude > limit) return invalid(where + ": out of range");
  return negative ? abi::negate(magnitude) : magnitude;
}

Result<Bytes> parse_hex_value(const json& value, const std::string& where) {
  if (!value.is_string()) return invalid(where + ": expected a hex string");
  auto bytes = from_hex(value.get_ref<const std::string&>());
  if (!bytes) return invalid(where + ": " + bytes.error().message);
  return std::move(*bytes);
}

class Encoder {
 public:
  explicit Encoder(const TypedData& data) : data_(data) {}

  Result<Hash32> hash_struct(std::string_view name, const json& value, std::size_t depth) {
    if (depth > kMaxDepth) return invalid("nested deeper than " + std::to_string(kMaxDepth));
    if (!value.is_object()) return invalid(std::string(name) + ": expected an object");
    MEDCHAIN_TRY(std::string type_string, encode_type(data_, name));
    crypto::Keccak256 hasher;
    hasher.update(crypto::keccak256(as_bytes(type_string)));
    for (const json& field : fields_of(data_, name)) {
      const std::string& field_name = field["name"].get_ref<const std::string&>();
      const auto member = value.find(field_name);
      if (member == value.end())
        return invalid(std::string(name) + "." + field_name + " is missing");
      MEDCHAIN_TRY(Hash32 word, encode_field(field["type"].get<std::string>(), *member,
                                             std::string(name) + "." + field_name, depth + 1));
      hasher.update(word);
    }
    return hasher.finish();
  }

 private:
  // The 32-byte encodeData of one value of `type`.
  Result<Hash32> encode_field(std::string_view type, const json& value, const std::string& where,
                              std::size_t depth) {
    if (depth > kMaxDepth) return invalid("nested deeper than " + std::to_string(kMaxDepth));
    if (!type.empty() && type.back() == ']') {
      const std::size_t open = type.rfind('[');
      const std::string_view element = type.substr(0, open);
      const std::string_view length = type.substr(open + 1, type.size() - open - 2);
      if (!value.is_array()) return invalid(where + ": expected an array");
      if (!length.empty() && std::to_string(value.size()) != length) {
        return invalid(where + ": expected " + std::string(length) + " elements");
      }
      crypto::Keccak256 hasher;
      for (std::size_t i = 0; i < value.size(); ++i) {
        MEDCHAIN_TRY(Hash32 word, encode_field(element, value[i],
                                               where + "[" + std::to_string(i) + "]", depth + 1));
        hasher.update(word);
      }
      return hasher.finish();
    }
    if (is_struct(data_, type)) return hash_struct(type, value, depth + 1);
    if (type == "string") {
      if (!value.is_string()) return invalid(where + ": expected a string");
      return crypto::keccak256(as_bytes(value.get_ref<const std::string&>()));
    }
    if (type == "bytes") {
      MEDCHAIN_TRY(Bytes bytes, parse_hex_value(value, where));
      return crypto::keccak256(bytes);
    }
    // Atomic types: their ABI encoding, one word.
    MEDCHAIN_TRY(abi::Type atomic, abi::parse_type(type));
    abi::Value abi_value;
    switch (atomic.kind) {
      case abi::Type::Kind::kUint:
      case abi::Type::Kind::kInt: {
        MEDCHAIN_TRY(U256 word, parse_integer(value, atomic.kind == abi::Type::Kind::kInt,
                                              atomic.bits, where));
        abi_value = word;
        break;
      }
      case abi::Type::Kind::kBool:
        if (!value.is_boolean()) return invalid(where + ": expected true or false");
        abi_value = value.get<bool>();
        break;
      case abi::Type::Kind::kAddress: {
        MEDCHAIN_TRY(Bytes bytes, parse_hex_value(value, where));
        auto address = Address::from_view(bytes);
        if (!address) return invalid(where + ": an address is 20 bytes");
        abi_value = *address;
        break;
      }
      case abi::Type::Kind::kFixedBytes: {
        MEDCHAIN_TRY(Bytes bytes, parse_hex_value(value, where));
        if (bytes.size() != atomic.bits)
          return invalid(where + ": expected " + std::to_string(atomic.bits) + " bytes");
        abi_value = std::move(bytes);
        break;
      }
      default:
        return invalid(where + ": unsupported type " + std::string(type));
    }
    MEDCHAIN_TRY(Bytes encoded, abi::encode({atomic}, {abi_value}));
    return *Hash32::from_view(encoded);
  }

  const TypedData& data_;
};

// The EIP's order of domain fields, with their types.
constexpr std::pair<const char*, const char*> kDomainFields[] = {{"name", "string"},
                                                                 {"version", "string"},
                                                                 {"chainId", "uint256"},
                                                                 {"verifyingContract", "address"},
                                                                 {"salt", "bytes32"}};

Status validate_types(const TypedData& data) {
  if (!data.types.is_object()) return invalid("\"types\" must be an object");
  for (const auto& [name, fields] : data.types.items()) {
    if (name.empty() || name.find_first_of("[](), ") != std::string::npos)
      return invalid("invalid type name \"" + name + "\"");
    if (!fields.is_array()) return invalid("type " + name + " must be a list of fields");
    std::set<std::string> names;
    for (const json& field : fields) {
      if (!field.is_object() || !field.contains("name") || !field["name"].is_string() ||
          !field.contains("type") || !field["type"].is_string()) {
        return invalid("every field of " + name + " needs a string name and type");
      }
      if (!names.insert(field["name"].get<std::string>()).second) {
        return invalid("duplicate field " + field["name"].get<std::string>() + " in " + name);
      }
      const std::string type = field["type"].get<std::string>();
      const std::string base(base_name(type));
      if (!data.types.contains(base) && base != "string" && base != "bytes" &&
          !abi::parse_type(base).ok()) {
        return invalid("type " + name + " uses undefined type " + base);
      }
      if (!data.types.contains(base) && base != "string" && base != "bytes") {
        const auto kind = abi::parse_type(base).value().kind;
        if (kind == abi::Type::Kind::kTuple || kind == abi::Type::Kind::kArray ||
            kind == abi::Type::Kind::kFixedArray) {
          return invalid("type " + name + " uses " + base + ", which EIP-712 does not allow");
        }
      }
      // Array suffixes must be well formed: [] or [N].
      for (std::size_t at = type.find('['); at != std::string::npos; at = type.find('[', at + 1)) {
        const std::size_t close = type.find(']', at);
        const std::string_view length = std::string_view(type).substr(at + 1, close - at - 1);
        if (close == std::string::npos ||
            length.find_first_not_of("0123456789") != std::string_view::npos ||
            (!length.empty() && length[0] == '0')) {
          return invalid("malformed array type " + type);
        }
      }
    }
  }
  return {};
}

}  // namespace

Result<TypedData> typed_data_from_json(const json& document) {
  if (!document.is_object()) return invalid("expected a JSON object");
  TypedData data;
  data.types = document.value("types", json());
  data.domain = document.value("domain", json::object());
  data.message = document.value("message", json());
  const json primary = document.value("primaryType", json());
  if (!primary.is_string()) return invalid("\"primaryType\" must be a string");
  data.primary_type = primary.get<std::string>();
  if (!data.domain.is_object()) return invalid("\"domain\" must be an object");
  if (data.types.is_object() && !data.types.contains("EIP712Domain")) {
    json fields = json::array();
    for (const auto& [name, type] : kDomainFields) {
      if (data.domain.contains(name)) fields.push_back({{"name", name}, {"type", type}});
    }
    data.types["EIP712Domain"] = fields;
  }
  MEDCHAIN_TRY_STATUS(validate_types(data));
  if (!data.types.contains(data.primary_type))
    return invalid("primary type " + data.primary_type + " is not defined");
  return data;
}

Result<TypedData> parse_typed_data(std::string_view json_text) {
  const json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Error{Errc::kInvalidJson, "typed data is not valid JSON"};
  return typed_data_from_json(document);
}

Result<std::string> encode_type(const TypedData& data, std::string_view type_name) {
  if (!is_struct(data, type_name))
    return invalid("type " + std::string(type_name) + " is not defined");
  std::set<std::string> dependencies;
  collect_dependencies(data, type_name, dependencies);
  dependencies.erase(std::string(type_name));
  auto encode_one = [&](const std::string& name) {
    std::string out = name + "(";
    bool first = true;
    for (const json& field : fields_of(data, name)) {
      if (!first) out += ",";
      first = false;
      out += field["type"].get<std::string>() + " " + field["name"].get<std::string>();
    }
    return out + ")";
  };
  std::string out = encode_one(std::string(type_name));
  for (const std::string& dependency : dependencies)
    out += encode_one(dependency);  // std::set: sorted by name
  return out;
}

Result<Hash32> hash_struct(const TypedData& data, std::string_view type_name, const json& value) {
  if (!is_struct(data, type_name))
    return invalid("type " + std::string(type_name) + " is not defined");
  return Encoder(data).hash_struct(type_name, value, 0);
}

Result<Hash32> domain_separator(const TypedData& data) {
  return hash_struct(data, "EIP712Domain", data.domain);
}

Result<Hash32> signing_hash(const TypedData& data) {
  MEDCHAIN_TRY(Hash32 domain, domain_separator(data));
  // EIP-712: a primary type of EIP712Domain signs the domain alone.
  if (data.primary_type == "EIP712Domain") {
    return crypto::Keccak256().update(Bytes{0x19, 0x01}).update(domain).finish();
  }
  MEDCHAIN_TRY(Hash32 message, hash_struct(data, data.primary_type, data.message));
  return crypto::Keccak256().update(Bytes{0x19, 0x01}).update(domain).update(message).finish();
}

Result<Bytes> sign(const TypedData& data, const crypto::PrivateKey& key) {
  MEDCHAIN_TRY(Hash32 digest, signing_hash(data));
  const auto rsv = crypto::sign_hash(key, digest).to_rsv();
  return Bytes(rsv.begin(), rsv.end());
}

Result<Address> recover_signer(const TypedData& data, ByteView rsv_signature) {
  MEDCHAIN_TRY(Hash32 digest, signing_hash(data));
  MEDCHAIN_TRY(crypto::Signature signature, crypto::parse_signature(rsv_signature));
  return crypto::recover_address(digest, signature);
}

}  // namespace medchain::eth::eip712
