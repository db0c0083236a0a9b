// Ethereum keystore v3 files ("Web3 Secret Storage"): a private key encrypted under a password
// with scrypt (or PBKDF2-HMAC-SHA256 on import) and AES-128-CTR, authenticated by a keccak MAC.
#pragma once

#include <medchain/crypto/secp256k1.hpp>
#include <string>
#include <string_view>

namespace medchain::eth {

// The cost of a new keystore. The default does the same work as geth's (N = 2^18, p = 1) in
// an eighth of the memory, 32 MiB instead of 256 MiB: p runs one after the other in the same
// memory. Every CLI command unlocks a key, and 256 MiB per command is what a 64 MiB client
// cannot afford. It is still above OWASP's scrypt floor (N = 2^15 with r = 8 needs p >= 3).
// Keystores of any cost are read; tests make cheap ones.
struct ScryptParams {
  std::uint64_t n = 32768;
  std::uint32_t r = 8;
  std::uint32_t p = 8;
};

// Encrypts `key` under `password` with fresh random salt, IV and id. Returns the JSON text.
std::string encrypt_keystore(const crypto::PrivateKey& key, std::string_view password,
                             const ScryptParams& params = {});

// Decrypts a keystore v3 JSON document (scrypt or pbkdf2). kCheckFailed on a wrong password
// (MAC mismatch); kInvalidJson / kUnsupported on a malformed or unknown document.
Result<crypto::PrivateKey> decrypt_keystore(std::string_view json_text, std::string_view password);

// The address a keystore declares (without decrypting), if it has one.
Result<Address> keystore_address(std::string_view json_text);

}  // namespace medchain::eth
