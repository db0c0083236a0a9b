// SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869), through OpenSSL.
#pragma once

#include <medchain/core/bytes.hpp>
#include <memory>

namespace medchain::crypto {

Hash32 sha256(ByteView data);

// Incremental SHA-256, e.g. for the digest of a streamed blob.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  Sha256& update(ByteView data);
  // Returns the digest and resets the hasher for reuse.
  Hash32 finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Hash32 hmac_sha256(ByteView key, ByteView data);

// HKDF-SHA256 extract-and-expand. REQUIRES: length <= 255 * 32 (RFC 5869); longer is
// kInvalidLength.
Result<Bytes> hkdf_sha256(ByteView input_key, ByteView salt, ByteView info, std::size_t length);

}  // namespace medchain::crypto
