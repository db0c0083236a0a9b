// Ethereum transactions: legacy with EIP-155 replay protection, and EIP-1559 (type 2, EIP-2718
// envelope, EIP-2930 access list). Build, hash for signing, sign, encode raw, decode raw.
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <optional>
#include <variant>
#include <vector>

namespace medchain::eth {

struct AccessListEntry {
  Address address;
  std::vector<Hash32> storage_keys;
  bool operator==(const AccessListEntry&) const = default;
};

struct LegacyTransaction {
  std::uint64_t nonce = 0;
  U256 gas_price;
  std::uint64_t gas_limit = 0;
  std::optional<Address> to;  // nullopt creates a contract
  U256 value;
  Bytes data;
  std::uint64_t chain_id = 0;  // 0: signed without EIP-155 (pre-Spurious Dragon)
  bool operator==(const LegacyTransaction&) const = default;
};

struct Eip1559Transaction {
  std::uint64_t chain_id = 1;
  std::uint64_t nonce = 0;
  U256 max_priority_fee_per_gas;
  U256 max_fee_per_gas;
  std::uint64_t gas_limit = 0;
  std::optional<Address> to;
  U256 value;
  Bytes data;
  std::vector<AccessListEntry> access_list;
  bool operator==(const Eip1559Transaction&) const = default;
};

using Transaction = std::variant<LegacyTransaction, Eip1559Transaction>;

struct SignedTransaction {
  Transaction transaction;
  crypto::Signature signature;

  // The network encoding: RLP list (legacy) or 0x02 || RLP list (EIP-1559).
  Bytes raw() const;
  // keccak256(raw()): the transaction hash.
  Hash32 hash() const;
  // Recovers the signer. kInvalidSignature if none recovers.
  Result<Address> sender() const;
  bool operator==(const SignedTransaction&) const = default;
};

// The digest the sender signs.
Hash32 signing_hash(const Transaction& transaction);

SignedTransaction sign_transaction(const Transaction& transaction, const crypto::PrivateKey& key);

// Decodes a raw transaction strictly: RLP canonical, every field of the right size, no trailing
// bytes, signature values in range. Unknown envelope types are kUnsupported.
Result<SignedTransaction> decode_transaction(ByteView raw);

}  // namespace medchain::eth
