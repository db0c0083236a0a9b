#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/keystore.hpp>
#include <nlohmann/json.hpp>

namespace medchain::eth {
namespace {

using nlohmann::json;

// Decrypting with absurd KDF parameters would let a hostile file exhaust memory or time.
constexpr std::uint64_t kMaxScryptMemory = 1ull << 30;
constexpr std::uint64_t kMaxPbkdf2Iterations = 10'000'000;

Bytes random_bytes(std::size_t size) {
  Bytes out(size);
  if (RAND_bytes(out.data(), static_cast<int>(size)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

Result<Bytes> scrypt(std::string_view password, ByteView salt, std::uint64_t n, std::uint64_t r,
                     std::uint64_t p, std::size_t length) {
  if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0 || 128 * r * n > kMaxScryptMemory || p > 16) {
    return Error{Errc::kUnsupported, "scrypt parameters out of the accepted range"};
  }
  // libsodium's low-level scrypt, because OpenSSL and Crypto++ enforce RFC 7914's
  // N < 2^(16 r), which the keystores geth and the spec's own vector write (r = 1) violate.
  Bytes out(length);
  if (sodium_init() < 0 ||
      crypto_pwhash_scryptsalsa208sha256_ll(
          reinterpret_cast<const std::uint8_t*>(password.data()), password.size(), salt.data(),
          salt.size(), n, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(p), out.data(),
          out.size()) != 0) {
    return Error{Errc::kUnsupported, "scrypt failed for these parameters"};
  }
  return out;
}

Result<Bytes> pbkdf2_sha256(std::string_view password, ByteView salt, std::uint64_t iterations,
                            std::size_t length) {
  if (iterations == 0 || iterations > kMaxPbkdf2Iterations) {
    return Error{Errc::kUnsupported, "pbkdf2 iteration count out of the accepted range"};
  }
  Bytes out(length);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(length), out.data()) != 1) {
    return Error{Errc::kUnsupported, "pbkdf2 failed"};
  }
  return out;
}

// AES-128-CTR is its own inverse.
Bytes aes128_ctr(ByteView key, ByteView iv, ByteView input) {
  Bytes out(input.size());
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  const bool ok = ctx != nullptr &&
                  EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key.data(), iv.data()) == 1 &&
                  EVP_EncryptUpdate(ctx, out.data(), &length, input.data(),
                                    static_cast<int>(input.size())) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::bad_alloc();
  return out;
}

Hash32 keystore_mac(ByteView derived_key, ByteView ciphertext) {
  return crypto::Keccak256().update(derived_key.subspan(16, 16)).update(ciphertext).finish();
}

std::string uuid_v4() {
  Bytes b = random_bytes(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  const std::string hex = to_hex(b, false);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<Bytes> hex_field(const json& object, const char* name) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_string()) {
    return Error{Errc::kInvalidJson, std::string("keystore is missing ") + name};
  }
  auto bytes = from_hex(object[name].get<std::string>());
  if (!bytes)
    return Error{Errc::kInvalidJson, std::string("keystore field ") + name + " is not hex"};
  return std::move(*bytes);
}

Result<std::uint64_t> number_field(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_number_unsigned()) {
    return Error{Errc::kInvalidJson,
                 std::string("keystore kdfparams.") + name + " must be a positive integer"};
  }
  return object[name].get<std::uint64_t>();
}

}  // namespace

std::string encrypt_keystore(const crypto::PrivateKey& key, std::string_view password,
                             const ScryptParams& params) {
  const Bytes salt = random_bytes(32);
  const Bytes iv = random_bytes(16);
  const Bytes derived = scrypt(password, salt, params.n, params.r, params.p, 32).value();
  const Bytes ciphertext = aes128_ctr(ByteView(derived).first(16), iv, key.view());
  const json document{{"address", to_hex(crypto::address_of(key), false)},
                      {"id", uuid_v4()},
                      {"version", 3},
                      {"crypto",
                       {{"cipher", "aes-128-ctr"},
                        {"cipherparams", {{"iv", to_hex(iv, false)}}},
                        {"ciphertext", to_hex(ciphertext, false)},
                        {"kdf", "scrypt"},
                        {"kdfparams",
                         {{"dklen", 32},
                          {"n", params.n},
                          {"r", params.r},
                          {"p", params.p},
                          {"salt", to_hex(salt, false)}}},
                        {"mac", to_hex(keystore_mac(derived, ciphertext), false)}}}};
  return document.dump(2);
}

Result<crypto::PrivateKey> decrypt_keystore(std::string_view json_text, std::string_view password) {
  const json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Error{Errc::kInvalidJson, "keystore is not a JSON object"};
  }
  if (document.value("version", json()) != json(3)) {
    return Error{Errc::kUnsupported, "only keystore version 3 is supported"};
  }
  // Some writers capitalize "Crypto".
  const json crypto_section =
      document.contains("crypto") ? document["crypto"] : document.value("Crypto", json());
  if (!crypto_section.is_object())
    return Error{Errc::kInvalidJson, "keystore has no crypto section"};
  if (crypto_section.value("cipher", "") != "aes-128-ctr") {
    return Error{Errc::kUnsupported, "keystore cipher must be aes-128-ctr"};
  }
  MEDCHAIN_TRY(Bytes iv, hex_field(crypto_section.value("cipherparams", json()), "iv"));
  MEDCHAIN_TRY(Bytes ciphertext, hex_field(crypto_section, "ciphertext"));
  MEDCHAIN_TRY(Bytes mac, hex_field(crypto_section, "mac"));
  if (iv.size() != 16 || ciphertext.size() != 32 || mac.size() != 32) {
    return Error{Errc::kInvalidJson, "keystore iv, ciphertext or mac has the wrong length"};
  }
  const json kdf_params = crypto_section.value("kdfparams", json());
  if (!kdf_params.is_object()) return Error{Errc::kInvalidJson, "keystore has no kdfparams"};
  MEDCHAIN_TRY(Bytes salt, hex_field(kdf_params, "salt"));
  MEDCHAIN_TRY(std::uint64_t dklen, number_field(kdf_params, "dklen"));
  if (dklen < 32 || dklen > 64) return Error{Errc::kUnsupported, "keystore dklen must be 32..64"};
  const std::string kdf = crypto_section.value("kdf", "");
  Result<Bytes> derived = Error{Errc::kUnsupported, "keystore kdf must be scrypt or pbkdf2"};
  if (kdf == "scrypt") {
    MEDCHAIN_TRY(std::uint64_t n, number_field(kdf_params, "n"));
    MEDCHAIN_TRY(std::uint64_t r, number_field(kdf_params, "r"));
    MEDCHAIN_TRY(std::uint64_t p, number_field(kdf_params, "p"));
    derived = scrypt(password, salt, n, r, p, dklen);
  } else if (kdf == "pbkdf2") {
    if (kdf_params.value("prf", "") != "hmac-sha256") {
      return Error{Errc::kUnsupported, "keystore pbkdf2 prf must be hmac-sha256"};
    }
    MEDCHAIN_TRY(std::uint64_t c, number_field(kdf_params, "c"));
    derived = pbkdf2_sha256(password, salt, c, dklen);
  }
  if (!derived) return std::move(derived).error();
  const Hash32 expected_mac = keystore_mac(*derived, ciphertext);
  if (!std::equal(mac.begin(), mac.end(), expected_mac.bytes.begin())) {
    return Error{Errc::kCheckFailed, "wrong password (keystore MAC does not match)"};
  }
  const Bytes plain = aes128_ctr(ByteView(*derived).first(16), iv, ciphertext);
  return crypto::parse_private_key(plain);
}

Result<Address> keystore_address(std::string_view json_text) {
  const json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("address") ||
      !document["address"].is_string()) {
    return Error{Errc::kInvalidJson, "keystore has no address"};
  }
  std::string text = document["address"].get<std::string>();
  if (!has_hex_prefix(text)) text = "0x" + text;
  return parse_address(text);
}

}  // namespace medchain::eth
