// The terms of a consent as people write them: scopes as category names ("lab,imaging",
// records/category.hpp), durations as "7d" / "24h" / "90m" / "3600" (seconds).
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::client {

// A scope bitmask from comma-separated category names or numbers; "all" is every category.
// kInvalidArgument naming the unknown category, or for an empty list.
Result<std::uint16_t> parse_scope(std::string_view text);

// The category names a scope covers, in category order.
std::vector<std::string> scope_names(std::uint16_t scope);

// Seconds from "<n>d", "<n>h", "<n>m", "<n>s" or "<n>". kInvalidArgument for anything else or
// zero; kOverflow past ten years.
Result<std::uint64_t> parse_duration(std::string_view text);

}  // namespace medchain::client
