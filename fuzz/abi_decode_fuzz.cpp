// ABI data comes back from any chain node (call results, logs, revert data): decode arbitrary
// bytes against types chosen by the input's first byte. Whatever decodes must encode and decode
// back to the same values, within the decoder's bounds on work and memory.
#include <cstdint>
#include <cstdlib>
#include <medchain/eth/abi.hpp>

namespace {

const char* const kTypeLists[] = {
    "f()(uint256,address,bool)", "f()(bytes,string)",
    "f()(uint8[],int16[3])",     "f()((uint64,bytes32)[])",
    "f()(string[][],bytes[2])",  "f()((address,(bool,string)[])[2],int256)",
    "f()(uint256[][][])",        "f()(bytes32,uint16,uint8,uint64,address,(bytes,bytes)[])",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace abi = medchain::eth::abi;
  if (size == 0) return 0;
  static const auto kSignatures = [] {
    std::vector<std::vector<abi::Type>> lists;
    for (const char* text : kTypeLists)
      lists.push_back(abi::parse_signature(text).value().output_types());
    return lists;
  }();
  const auto& types = kSignatures[data[0] % kSignatures.size()];
  auto values = abi::decode(types, medchain::ByteView(data + 1, size - 1));
  if (!values) return 0;
  auto encoded = abi::encode(types, *values);
  if (!encoded) std::abort();
  auto again = abi::decode(types, *encoded);
  if (!again || *again != *values) std::abort();
  (void)abi::decode_revert(medchain::ByteView(data, size));
  return 0;
}
