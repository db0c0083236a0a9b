// Typed data arrives from web clients and relayed intents: parse and hash arbitrary JSON. It must
// never crash or recurse without bound; a document that hashes must hash the same way twice.
#include <cstdint>
#include <cstdlib>
#include <medchain/eth/eip712.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace eip712 = medchain::eth::eip712;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto typed = eip712::parse_typed_data(text);
  if (!typed) return 0;
  auto first = eip712::signing_hash(*typed);
  auto second = eip712::signing_hash(*typed);
  if (first.ok() != second.ok() || (first.ok() && *first != *second)) std::abort();
  return 0;
}
