#include <cctype>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::eth {

std::string to_checksum(const Address& address) {
  const std::string lower = to_hex(address, false);
  const Hash32 hash = crypto::keccak256(as_bytes(lower));
  std::string out = "0x";
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const std::uint8_t nibble = (hash.bytes[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
    const char c = lower[i];
    out.push_back(nibble >= 8 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
  }
  return out;
}

Result<Address> parse_address(std::string_view text) {
  if (!has_hex_prefix(text) || text.size() != 42) {
    return Error{Errc::kInvalidAddress, "an address is 0x followed by 40 hex digits"};
  }
  auto bytes = from_hex(text);
  if (!bytes) return Error{Errc::kInvalidAddress, "an address is 0x followed by 40 hex digits"};
  Address address = *Address::from_view(*bytes);
  const std::string_view digits = text.substr(2);
  const bool has_lower = digits.find_first_of("abcdef") != std::string_view::npos;
  const bool has_upper = digits.find_first_of("ABCDEF") != std::string_view::npos;
  if (has_lower && has_upper && to_checksum(address).substr(2) != digits) {
    return Error{Errc::kBadChecksum,
                 "address " + std::string(text) + " has an invalid EIP-55 checksum"};
  }
  return address;
}

}  // namespace medchain::eth
