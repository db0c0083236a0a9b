#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <medchain/crypto/sha256.hpp>

namespace medchain::crypto {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// OpenSSL fails these calls only when out of memory: that is exceptional, not bad input.
void check(int rc) {
  if (rc != 1) throw std::bad_alloc();
}

// SHA-256 fetched from OpenSSL's default provider once: EVP_sha256() is looked up again on each
// use (OpenSSL 3's implicit fetch, under a lock), which showed in the node's per-request profile.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::bad_alloc();
    return fetched;
  }();
  return md;
}

}  // namespace

struct Sha256::State {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx{EVP_MD_CTX_new()};
  State() {
    if (!ctx) throw std::bad_alloc();
    check(EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr));
  }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(ByteView data) {
  check(EVP_DigestUpdate(state_->ctx.get(), data.data(), data.size()));
  return *this;
}

Hash32 Sha256::finish() {
  Hash32 out;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(state_->ctx.get(), out.data(), &len));
  check(EVP_DigestInit_ex(state_->ctx.get(), sha256_md(), nullptr));
  return out;
}

Hash32 sha256(ByteView data) {
  // One context per thread, reused: EVP_Digest would allocate, initialize and free one per
  // call, which costs more than hashing a 32-byte token.
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx{EVP_MD_CTX_new()};
  if (!ctx) throw std::bad_alloc();
  Hash32 out;
  unsigned int len = 0;
  check(EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr));
  check(EVP_DigestUpdate(ctx.get(), data.data(), data.size()));
  check(EVP_DigestFinal_ex(ctx.get(), out.data(), &len));
  return out;
}

Hash32 hmac_sha256(ByteView key, ByteView data) {
  Hash32 out;
  unsigned int len = 0;
  // HMAC() with an empty key needs a non-null pointer.
  static const std::uint8_t kEmpty = 0;
  if (HMAC(sha256_md(), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
           data.data(), data.size(), out.data(), &len) == nullptr) {
    throw std::bad_alloc();
  }
  return out;
}

Result<Bytes> hkdf_sha256(ByteView input_key, ByteView salt, ByteView info, std::size_t length) {
  if (length > 255 * 32) {
    return Error{Errc::kInvalidLength, "HKDF-SHA256 output is limited to 8160 bytes"};
  }
  // RFC 5869 section 2.2: an absent salt is HashLen zero bytes.
  const std::array<std::uint8_t, 32> zero_salt{};
  Hash32 prk = hmac_sha256(salt.empty() ? ByteView(zero_salt) : salt, input_key);
  Bytes out;
  out.reserve(length + 32);
  Bytes block;
  for (std::uint8_t counter = 1; out.size() < length; ++counter) {
    Bytes message = concat({block, info, ByteView(&counter, 1)});
    Hash32 t = hmac_sha256(prk, message);
    block.assign(t.bytes.begin(), t.bytes.end());
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(length);
  return out;
}

}  // namespace medchain::crypto
