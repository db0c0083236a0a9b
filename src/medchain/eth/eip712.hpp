// EIP-712 typed structured data: hashing of typed data given in the standard JSON form
// ({"types", "primaryType", "domain", "message"}), as eth_signTypedData_v4 and cast do.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace medchain::eth::eip712 {

struct TypedData {
  nlohmann::json types;  // name -> [{"name", "type"}, ...], EIP712Domain included
  std::string primary_type;
  nlohmann::json domain;
  nlohmann::json message;
};

// Nesting of structs and arrays deeper than this is refused.
inline constexpr std::size_t kMaxDepth = 64;

// Parses and validates the JSON document: every referenced type is defined or atomic, field
// names are unique. When "types" has no EIP712Domain entry it is derived from the domain's
// fields, in the EIP's order (name, version, chainId, verifyingContract, salt).
Result<TypedData> parse_typed_data(std::string_view json_text);
Result<TypedData> typed_data_from_json(const nlohmann::json& document);

// encodeType: "Mail(Person from,Person to,string contents)Person(string name,address wallet)".
Result<std::string> encode_type(const TypedData& data, std::string_view type_name);

// hashStruct(value) = keccak256(typeHash || encodeData(value)) for a value of `type_name`.
Result<Hash32> hash_struct(const TypedData& data, std::string_view type_name,
                           const nlohmann::json& value);

Result<Hash32> domain_separator(const TypedData& data);

// keccak256(0x19 0x01 || domainSeparator || hashStruct(primaryType, message)): what is signed.
Result<Hash32> signing_hash(const TypedData& data);

// The 65-byte signature (r ‖ s ‖ v, v = 27 or 28) of `data` by `key`, as eth_signTypedData_v4.
Result<Bytes> sign(const TypedData& data, const crypto::PrivateKey& key);

// The address whose key made `rsv_signature` over `data`. kInvalidSignature for a signature that
// is not 65 bytes or recovers to no key.
Result<Address> recover_signer(const TypedData& data, ByteView rsv_signature);

}  // namespace medchain::eth::eip712
