#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/rlp.hpp>
#include <medchain/eth/transaction.hpp>

namespace medchain::eth {
namespace {

constexpr std::uint8_t kEip1559Type = 0x02;

Bytes encode_to(const std::optional<Address>& to) {
  return to ? rlp::encode_bytes(*to) : rlp::encode_bytes({});
}

Bytes encode_access_list(const std::vector<AccessListEntry>& list) {
  std::vector<Bytes> entries;
  for (const AccessListEntry& entry : list) {
    std::vector<Bytes> keys;
    for (const Hash32& key : entry.storage_keys) keys.push_back(rlp::encode_bytes(key));
    entries.push_back(rlp::encode_list({rlp::encode_bytes(entry.address), rlp::encode_list(keys)}));
  }
  return rlp::encode_list(entries);
}

// The fields both the signing payload and the signed encoding start with.
std::vector<Bytes> legacy_fields(const LegacyTransaction& tx) {
  return {rlp::encode_uint(tx.nonce),     rlp::encode_uint(tx.gas_price),
          rlp::encode_uint(tx.gas_limit), encode_to(tx.to),
          rlp::encode_uint(tx.value),     rlp::encode_bytes(tx.data)};
}

std::vector<Bytes> eip1559_fields(const Eip1559Transaction& tx) {
  return {rlp::encode_uint(tx.chain_id),
          rlp::encode_uint(tx.nonce),
          rlp::encode_uint(tx.max_priority_fee_per_gas),
          rlp::encode_uint(tx.max_fee_per_gas),
          rlp::encode_uint(tx.gas_limit),
          encode_to(tx.to),
          rlp::encode_uint(tx.value),
          rlp::encode_bytes(tx.data),
          encode_access_list(tx.access_list)};
}

// EIP-2718 envelope: type || payload.
Bytes typed(std::uint8_t type, const Bytes& payload) {
  Bytes out(payload.size() + 1);
  out[0] = type;
  std::copy(payload.begin(), payload.end(), out.begin() + 1);
  return out;
}

void append_signature(std::vector<Bytes>& fields, const U256& v, const crypto::Signature& sig) {
  fields.push_back(rlp::encode_uint(v));
  fields.push_back(rlp::encode_uint(from_be(sig.r)));
  fields.push_back(rlp::encode_uint(from_be(sig.s)));
}

Error invalid(const std::string& what) {
  return Error{Errc::kInvalidTransaction, what};
}

Result<std::uint64_t> decode_u64(const rlp::Item& item, const char* field) {
  auto value = rlp::decode_uint(item);
  if (!value) return invalid(std::string(field) + ": " + value.error().message);
  if (*value > std::numeric_limits<std::uint64_t>::max())
    return invalid(std::string(field) + " exceeds 64 bits");
  return static_cast<std::uint64_t>(*value);
}

Result<U256> decode_u256(const rlp::Item& item, const char* field) {
  auto value = rlp::decode_uint(item);
  if (!value) return invalid(std::string(field) + ": " + value.error().message);
  return *value;
}

Result<std::optional<Address>> decode_to(const rlp::Item& item) {
  if (item.is_list()) return invalid("to: expected a string");
  if (item.bytes().empty()) return std::optional<Address>{};
  auto address = Address::from_view(item.bytes());
  if (!address) return invalid("to: an address is 20 bytes");
  return std::optional<Address>{*address};
}

Result<Bytes> decode_data(const rlp::Item& item) {
  if (item.is_list()) return invalid("data: expected a string");
  return item.bytes();
}

Result<std::vector<AccessListEntry>> decode_access_list(const rlp::Item& item) {
  if (!item.is_list()) return invalid("access list: expected a list");
  std::vector<AccessListEntry> list;
  for (const rlp::Item& entry : item.list()) {
    if (!entry.is_list() || entry.list().size() != 2 || !entry.list()[1].is_list()) {
      return invalid("access list entry: expected [address, [keys]]");
    }
    auto address = rlp::decode_fixed(entry.list()[0], 20);
    if (!address) return invalid("access list address: " + address.error().message);
    AccessListEntry decoded{*Address::from_view(*address), {}};
    for (const rlp::Item& key : entry.list()[1].list()) {
      auto bytes = rlp::decode_fixed(key, 32);
      if (!bytes) return invalid("access list storage key: " + bytes.error().message);
      decoded.storage_keys.push_back(*Hash32::from_view(*bytes));
    }
    list.push_back(std::move(decoded));
  }
  return list;
}

Result<crypto::Signature> decode_signature(const rlp::Item& r_item, const rlp::Item& s_item,
                                           std::uint8_t recovery_id) {
  MEDCHAIN_TRY(U256 r, decode_u256(r_item, "r"));
  MEDCHAIN_TRY(U256 s, decode_u256(s_item, "s"));
  if (r == 0 || s == 0) return invalid("signature r and s must be non-zero");
  crypto::Signature sig;
  auto r_word = to_word(r);
  auto s_word = to_word(s);
  std::copy(r_word.begin(), r_word.end(), sig.r.bytes.begin());
  std::copy(s_word.begin(), s_word.end(), sig.s.bytes.begin());
  sig.recovery_id = recovery_id;
  return sig;
}

Result<SignedTransaction> decode_legacy(ByteView raw) {
  MEDCHAIN_TRY(rlp::Item item, rlp::decode(raw));
  if (!item.is_list() || item.list().size() != 9)
    return invalid("a legacy transaction is a list of 9 fields");
  const auto& f = item.list();
  LegacyTransaction tx;
  MEDCHAIN_TRY(tx.nonce, decode_u64(f[0], "nonce"));
  MEDCHAIN_TRY(tx.gas_price, decode_u256(f[1], "gasPrice"));
  MEDCHAIN_TRY(tx.gas_limit, decode_u64(f[2], "gasLimit"));
  MEDCHAIN_TRY(tx.to, decode_to(f[3]));
  MEDCHAIN_TRY(tx.value, decode_u256(f[4], "value"));
  MEDCHAIN_TRY(tx.data, decode_data(f[5]));
  MEDCHAIN_TRY(U256 v, decode_u256(f[6], "v"));
  std::uint8_t recovery_id = 0;
  if (v == 27 || v == 28) {
    recovery_id = static_cast<std::uint8_t>(v - 27);
  } else if (v >= 37) {  // chain id >= 1: 35 and 36 would claim chain id 0
    const U256 chain_id = (v - 35) / 2;
    if (chain_id > std::numeric_limits<std::uint64_t>::max())
      return invalid("chain id exceeds 64 bits");
    tx.chain_id = static_cast<std::uint64_t>(chain_id);
    recovery_id = static_cast<std::uint8_t>((v - 35) % 2);
  } else {
    return invalid("legacy v must be 27, 28 or chain_id * 2 + 35/36 with chain_id >= 1");
  }
  MEDCHAIN_TRY(crypto::Signature sig, decode_signature(f[7], f[8], recovery_id));
  return SignedTransaction{tx, sig};
}

Result<SignedTransaction> decode_eip1559(ByteView payload) {
  MEDCHAIN_TRY(rlp::Item item, rlp::decode(payload));
  if (!item.is_list() || item.list().size() != 12)
    return invalid("an EIP-1559 transaction is a list of 12 fields");
  const auto& f = item.list();
  Eip1559Transaction tx;
  MEDCHAIN_TRY(tx.chain_id, decode_u64(f[0], "chainId"));
  MEDCHAIN_TRY(tx.nonce, decode_u64(f[1], "nonce"));
  MEDCHAIN_TRY(tx.max_priority_fee_per_gas, decode_u256(f[2], "maxPriorityFeePerGas"));
  MEDCHAIN_TRY(tx.max_fee_per_gas, decode_u256(f[3], "maxFeePerGas"));
  MEDCHAIN_TRY(tx.gas_limit, decode_u64(f[4], "gasLimit"));
  MEDCHAIN_TRY(tx.to, decode_to(f[5]));
  MEDCHAIN_TRY(tx.value, decode_u256(f[6], "value"));
  MEDCHAIN_TRY(tx.data, decode_data(f[7]));
  MEDCHAIN_TRY(tx.access_list, decode_access_list(f[8]));
  MEDCHAIN_TRY(U256 y_parity, decode_u256(f[9], "yParity"));
  if (y_parity > 1) return invalid("yParity must be 0 or 1");
  MEDCHAIN_TRY(crypto::Signature sig,
               decode_signature(f[10], f[11], static_cast<std::uint8_t>(y_parity)));
  return SignedTransaction{tx, sig};
}

}  // namespace

Hash32 signing_hash(const Transaction& transaction) {
  if (const auto* legacy = std::get_if<LegacyTransaction>(&transaction)) {
    std::vector<Bytes> fields = legacy_fields(*legacy);
    if (legacy->chain_id != 0) {
      // EIP-155: the chain id and two empty values stand where v, r, s will be.
      fields.push_back(rlp::encode_uint(legacy->chain_id));
      fields.push_back(rlp::encode_uint(0));
      fields.push_back(rlp::encode_uint(0));
    }
    return crypto::keccak256(rlp::encode_list(fields));
  }
  const auto& tx = std::get<Eip1559Transaction>(transaction);
  return crypto::keccak256(typed(kEip1559Type, rlp::encode_list(eip1559_fields(tx))));
}

SignedTransaction sign_transaction(const Transaction& transaction, const crypto::PrivateKey& key) {
  return SignedTransaction{transaction, crypto::sign_hash(key, signing_hash(transaction))};
}

Bytes SignedTransaction::raw() const {
  if (const auto* legacy = std::get_if<LegacyTransaction>(&transaction)) {
    std::vector<Bytes> fields = legacy_fields(*legacy);
    const U256 v = legacy->chain_id != 0 ? U256(legacy->chain_id) * 2 + 35 + signature.recovery_id
                                         : U256(27 + signature.recovery_id);
    append_signature(fields, v, signature);
    return rlp::encode_list(fields);
  }
  std::vector<Bytes> fields = eip1559_fields(std::get<Eip1559Transaction>(transaction));
  append_signature(fields, signature.recovery_id, signature);
  return typed(kEip1559Type, rlp::encode_list(fields));
}

Hash32 SignedTransaction::hash() const {
  return crypto::keccak256(raw());
}

Result<Address> SignedTransaction::sender() const {
  return crypto::recover_address(signing_hash(transaction), signature);
}

Result<SignedTransaction> decode_transaction(ByteView raw) {
  if (raw.empty()) return invalid("empty transaction");
  // EIP-2718: a first byte >= 0xc0 is a legacy RLP list; below 0x80 it is a type byte.
  if (raw[0] >= 0xc0) return decode_legacy(raw);
  if (raw[0] == kEip1559Type) return decode_eip1559(raw.subspan(1));
  return Error{Errc::kUnsupported, "unsupported transaction type " + std::to_string(raw[0])};
}

}  // namespace medchain::eth
