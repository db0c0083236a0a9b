#include <medchain/chain/intents.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::chain {
namespace {

using nlohmann::json;
namespace abi = eth::abi;

Error bad_field(const std::string& name, const std::string& why) {
  return Error{Errc::kInvalidArgument, "intent field " + name + ": " + why};
}

Result<U256> integer_of(const std::string& name, const json& value) {
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return U256(value.get<std::uint64_t>());
  }
  if (value.is_string()) {
    auto parsed = parse_u256(value.get<std::string>());
    if (parsed) return parsed;
  }
  return bad_field(name, "expected an unsigned integer");
}

// The ABI value of one static intent field. Intents carry only static types.
Result<abi::Value> field_value(const std::string& name, const abi::Type& type, const json& value) {
  switch (type.kind) {
    case abi::Type::Kind::kUint: {
      MEDCHAIN_TRY(U256 word, integer_of(name, value));
      if (type.bits < 256 && (word >> type.bits) != 0) return bad_field(name, "out of range");
      return abi::Value(word);
    }
    case abi::Type::Kind::kBool:
      if (!value.is_boolean()) return bad_field(name, "expected true or false");
      return abi::Value(value.get<bool>());
    case abi::Type::Kind::kAddress: {
      if (!value.is_string()) return bad_field(name, "expected an address");
      auto address = eth::parse_address(value.get<std::string>());
      if (!address) return bad_field(name, address.error().message);
      return abi::Value(*address);
    }
    case abi::Type::Kind::kFixedBytes: {
      if (!value.is_string()) return bad_field(name, "expected 0x hex");
      auto bytes = from_hex(value.get<std::string>());
      if (!bytes || bytes->size() != type.bits) {
        return bad_field(name, "expected " + std::to_string(type.bits) + " bytes of 0x hex");
      }
      return abi::Value(std::move(*bytes));
    }
    default:
      return bad_field(name, "type " + type.canonical() + " is not used in intents");
  }
}

// The message as the struct's tuple value, field by field in declaration order; a missing or
// unknown field is an error rather than a silent zero.
Result<abi::Value> message_tuple(const StructDescription& description, const json& message) {
  if (!message.is_object())
    return Error{Errc::kInvalidArgument, "intent message must be an object"};
  if (message.size() != description.fields.size()) {
    return Error{Errc::kInvalidArgument,
                 description.name + " takes " + std::to_string(description.fields.size()) +
                     " fields, the message has " + std::to_string(message.size())};
  }
  abi::Value::Items items;
  for (const auto& [name, type_text] : description.fields) {
    if (!message.contains(name)) return bad_field(name, "missing");
    MEDCHAIN_TRY(abi::Type type, abi::parse_type(type_text));
    MEDCHAIN_TRY(abi::Value item, field_value(name, type, message[name]));
    items.push_back(std::move(item));
  }
  return abi::Value(std::move(items));
}

Result<Bytes> encode_intent_call(const ContractAbi& abi, std::string_view function_name,
                                 const StructDescription& description, const json& message,
                                 ByteView signature, const std::vector<abi::Value>& extra_args) {
  MEDCHAIN_TRY(abi::Value tuple, message_tuple(description, message));
  std::vector<abi::Value> args{std::move(tuple)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.emplace_back(Bytes(signature.begin(), signature.end()));
  return abi.encode_call(function_name, args);
}

}  // namespace

Result<eth::eip712::TypedData> intent_typed_data(const ContractAbi& abi, const IntentDomain& domain,
                                                 std::string_view function_name,
                                                 const json& message) {
  MEDCHAIN_TRY(StructDescription description, abi.input_struct(function_name, 0));
  json fields = json::array();
  for (const auto& [name, type] : description.fields) {
    fields.push_back({{"name", name}, {"type", type}});
  }
  json document{
      {"types", {{description.name, fields}}},
      {"primaryType", description.name},
      {"domain",
       {{"name", "medchain"},
        {"version", "1"},
        {"chainId", domain.chain_id},
        {"verifyingContract", eth::to_checksum(domain.verifying_contract)}}},
      {"message", message},
  };
  return eth::eip712::typed_data_from_json(document);
}

Result<SignedIntent> sign_intent(const ContractAbi& abi, const IntentDomain& domain,
                                 std::string_view function_name, const json& message,
                                 const crypto::PrivateKey& key,
                                 const std::vector<abi::Value>& extra_args) {
  // Checked against the struct first, so a bad field is named as such.
  MEDCHAIN_TRY(StructDescription description, abi.input_struct(function_name, 0));
  MEDCHAIN_TRY_STATUS(message_tuple(description, message));
  MEDCHAIN_TRY(eth::eip712::TypedData typed,
               intent_typed_data(abi, domain, function_name, message));
  MEDCHAIN_TRY(Hash32 digest, eth::eip712::signing_hash(typed));
  const auto rsv = crypto::sign_hash(key, digest).to_rsv();
  return encode_signed_intent(abi, domain, function_name, message, rsv, extra_args);
}

Result<SignedIntent> encode_signed_intent(const ContractAbi& abi, const IntentDomain& domain,
                                          std::string_view function_name, const json& message,
                                          ByteView signature,
                                          const std::vector<abi::Value>& extra_args) {
  MEDCHAIN_TRY(StructDescription description, abi.input_struct(function_name, 0));
  MEDCHAIN_TRY(eth::eip712::TypedData typed,
               intent_typed_data(abi, domain, function_name, message));
  MEDCHAIN_TRY(Hash32 digest, eth::eip712::signing_hash(typed));
  MEDCHAIN_TRY(crypto::Signature parsed, crypto::parse_signature(signature));
  MEDCHAIN_TRY(Address signer, crypto::recover_address(digest, parsed));
  MEDCHAIN_TRY(Bytes calldata,
               encode_intent_call(abi, function_name, description, message, signature, extra_args));
  return SignedIntent{std::string(function_name), digest, signer, std::move(calldata)};
}

}  // namespace medchain::chain
