#include <medchain/records/category.hpp>

namespace medchain::records {

std::optional<std::uint8_t> parse_category(std::string_view text) {
  for (std::size_t i = 0; i < kCategoryNames.size(); ++i) {
    if (kCategoryNames[i] == text) return static_cast<std::uint8_t>(i);
  }
  if (text.empty() || text.size() > 2) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value >= kCategoryNames.size()) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

}  // namespace medchain::records
