// Sign-In with Ethereum messages come from anyone who can reach the node: parse arbitrary text;
// whatever parses must format back to text that parses to the same message.
#include <cstdint>
#include <cstdlib>
#include <medchain/eth/siwe.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = medchain::eth::parse_siwe(text);
  if (!message) return 0;
  const std::string formatted = medchain::eth::format_siwe(*message);
  auto again = medchain::eth::parse_siwe(formatted);
  if (!again || medchain::eth::format_siwe(*again) != formatted) std::abort();
  return 0;
}
