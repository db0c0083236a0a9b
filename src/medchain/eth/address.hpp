// Ethereum addresses as text: EIP-55 mixed-case checksums.
#pragma once

#include <medchain/core/bytes.hpp>
#include <string>
#include <string_view>

namespace medchain::eth {

// "0x" + 40 hex digits, mixed case per EIP-55.
std::string to_checksum(const Address& address);

// Parses "0x" + 40 hex digits. All-lowercase or all-uppercase text is accepted as is;
// mixed case must carry a valid EIP-55 checksum (kBadChecksum otherwise).
Result<Address> parse_address(std::string_view text);

}  // namespace medchain::eth
