// Raw transactions from anyone (the relayer decodes what clients submit): decode arbitrary
// bytes; an accepted transaction must re-encode to the input and survive sender recovery.
#include <cstdint>
#include <cstdlib>
#include <medchain/eth/transaction.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const medchain::ByteView input(data, size);
  auto tx = medchain::eth::decode_transaction(input);
  if (!tx) return 0;
  const medchain::Bytes again = tx->raw();
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  (void)tx->sender();
  return 0;
}
