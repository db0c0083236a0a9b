// A doctor profile (docs/format.md, "Doctor profiles"): who a registered doctor is, as the
// registrar attests it, in EIP-712 typed data under the contract's own domain. Not on chain (the
// contract is near its size limit): a node keeps the newest one and serves it, and a client
// shows a profile only when the signature recovers to the registrar the chain names.
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>
#include <medchain/records/category_statement.hpp>
#include <string>

namespace medchain::records {

struct DoctorProfile {
  Address doctor;
  std::string name;             // "Dr. Alice Moreau"
  std::string specialty;        // "Cardiology"
  std::string institution;      // "Hôpital Saint-Louis"
  std::uint64_t issued_at = 0;  // Unix seconds; the newest attestation of a doctor wins
  bool operator==(const DoctorProfile&) const = default;
};

// At most this many bytes of UTF-8 per text field.
inline constexpr std::size_t kMaxProfileField = 128;

// kInvalidArgument naming the field when the name is empty, a field is longer than
// kMaxProfileField bytes, is not valid UTF-8, or holds a control character.
Status check_profile_fields(const DoctorProfile& profile);

// The typed data a wallet signs (eth_signTypedData_v4), after check_profile_fields.
Result<eth::eip712::TypedData> profile_typed_data(const DoctorProfile& profile,
                                                  const StatementDomain& domain);

// The 65-byte signature (r ‖ s ‖ v) of `profile` by `key`.
Result<Bytes> sign_profile(const DoctorProfile& profile, const StatementDomain& domain,
                           const crypto::PrivateKey& key);

// Who signed `profile` with `signature`; kInvalidArgument for bad fields, kInvalidSignature if
// the signature is malformed or no key recovers. The caller decides whether that address is the
// registrar.
Result<Address> profile_signer(const DoctorProfile& profile, const StatementDomain& domain,
                               ByteView signature);

}  // namespace medchain::records
