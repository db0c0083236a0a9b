// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not NIST SHA3-256.
#pragma once

#include <medchain/core/bytes.hpp>
#include <memory>

namespace medchain::crypto {

// keccak256(data) in one call.
Hash32 keccak256(ByteView data);

// Incremental Keccak-256 for inputs that arrive in pieces (streams, concatenations).
class Keccak256 {
 public:
  Keccak256();
  ~Keccak256();
  Keccak256(Keccak256&&) noexcept;
  Keccak256& operator=(Keccak256&&) noexcept;

  Keccak256& update(ByteView data);
  // Returns the digest and resets the hasher for reuse.
  Hash32 finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace medchain::crypto
