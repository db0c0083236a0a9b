// RLP from the network or a peer: decode arbitrary bytes. The decoder is strict, so whatever it
// accepts must re-encode to exactly the input.
#include <cstdint>
#include <cstdlib>
#include <medchain/eth/rlp.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const medchain::ByteView input(data, size);
  auto item = medchain::eth::rlp::decode(input);
  if (!item) return 0;
  const medchain::Bytes again = medchain::eth::rlp::encode(*item);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  return 0;
}
