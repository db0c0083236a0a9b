#include <cryptopp/keccak.h>

#include <medchain/crypto/keccak.hpp>

namespace medchain::crypto {

struct Keccak256::State {
  CryptoPP::Keccak_256 hash;
};

Keccak256::Keccak256() : state_(std::make_unique<State>()) {}
Keccak256::~Keccak256() = default;
Keccak256::Keccak256(Keccak256&&) noexcept = default;
Keccak256& Keccak256::operator=(Keccak256&&) noexcept = default;

Keccak256& Keccak256::update(ByteView data) {
  state_->hash.Update(data.data(), data.size());
  return *this;
}

Hash32 Keccak256::finish() {
  Hash32 out;
  state_->hash.Final(out.data());
  return out;
}

Hash32 keccak256(ByteView data) {
  CryptoPP::Keccak_256 hash;
  hash.Update(data.data(), data.size());
  Hash32 out;
  hash.Final(out.data());
  return out;
}

}  // namespace medchain::crypto
