// The fixed list of record categories a consent scope is a bitmask over (docs/contracts.md,
// the contract's Scopes library): bit i of a scope covers category i.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace medchain::records {

inline constexpr std::array<std::string_view, 12> kCategoryNames = {
    "general",      "lab",       "imaging",       "medication",    "allergy",
    "immunization", "procedure", "clinical-note", "mental-health", "sexual-reproductive-health",
    "genetic",      "other"};

inline constexpr std::uint16_t kAllCategories = (1u << kCategoryNames.size()) - 1;

// The category's number for its name ("lab") or its decimal number ("1"); nullopt otherwise.
std::optional<std::uint8_t> parse_category(std::string_view text);

inline std::string_view category_name(std::uint8_t category) {
  return category < kCategoryNames.size() ? kCategoryNames[category] : "unknown";
}

}  // namespace medchain::records
