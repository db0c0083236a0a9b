// A category statement (docs/format.md, "Category statements"): a record version's category as
// an account states it, in EIP-712 typed data under the contract's own domain. The category is
// not on chain (its name is health information), so this signature is how a client or another
// node checks the category a storage node reports: the signer must be the version's author on
// chain, the patient, or a guardian.
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

namespace medchain::records {

struct CategoryStatement {
  Address patient;
  Hash32 digest;  // the version's ciphertext SHA-256
  std::uint8_t category = 0;
};

// Where a statement holds: the medchain deployment (its EIP-712 domain).
struct StatementDomain {
  std::uint64_t chain_id = 0;
  Address contract;
};

// The typed data of a statement of `primary_type` (its `fields`, as EIP-712 {"name", "type"}
// members) saying `message` in `domain`. Every statement a client signs (a version's category,
// a doctor's profile) is under this one domain: "medchain", version 1, the deployment.
Result<eth::eip712::TypedData> statement_typed_data(const StatementDomain& domain,
                                                    std::string_view primary_type,
                                                    nlohmann::json fields, nlohmann::json message);

// The typed data a wallet signs (eth_signTypedData_v4). kInvalidArgument for an unknown category.
Result<eth::eip712::TypedData> category_typed_data(const CategoryStatement& statement,
                                                   const StatementDomain& domain);

// The 65-byte signature (r ‖ s ‖ v) of `statement` by `key`.
Result<Bytes> sign_category(const CategoryStatement& statement, const StatementDomain& domain,
                            const crypto::PrivateKey& key);

// Who signed `statement` with `signature`; kInvalidSignature if it is malformed or no key
// recovers.
Result<Address> category_signer(const CategoryStatement& statement, const StatementDomain& domain,
                                ByteView signature);

}  // namespace medchain::records
