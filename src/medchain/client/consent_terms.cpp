#include <charconv>
#include <medchain/client/consent_terms.hpp>
#include <medchain/records/category.hpp>

namespace medchain::client {

Result<std::uint16_t> parse_scope(std::string_view text) {
  if (text == "all") return records::kAllCategories;
  std::uint16_t scope = 0;
  for (;;) {
    const auto comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    const auto category = name.empty() ? std::nullopt : records::parse_category(name);
    if (!category) {
      return Error{Errc::kInvalidArgument,
                   "unknown category '" + std::string(name) + "' (one of general, lab, imaging, " +
                       "medication, allergy, immunization, procedure, clinical-note, " +
                       "mental-health, sexual-reproductive-health, genetic, other, or all)"};
    }
    scope |= static_cast<std::uint16_t>(1u << *category);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return scope;
}

std::vector<std::string> scope_names(std::uint16_t scope) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < records::kCategoryNames.size(); ++i) {
    if (scope & (1u << i)) names.emplace_back(records::kCategoryNames[i]);
  }
  return names;
}

Result<std::uint64_t> parse_duration(std::string_view text) {
  constexpr std::uint64_t kTenYears = 10ull * 366 * 86400;
  std::uint64_t unit = 1;
  std::string_view digits = text;
  if (!digits.empty()) {
    switch (digits.back()) {
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        unit = 0;
    }
    if (unit != 0) digits.remove_suffix(1);
    if (unit == 0) unit = 1;
  }
  std::uint64_t count = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size() ||
      (ec == std::errc() && count == 0)) {
    return Error{Errc::kInvalidArgument,
                 "a duration is a positive number with d, h, m or s (7d, 24h), got '" +
                     std::string(text) + "'"};
  }
  if (ec == std::errc::result_out_of_range || count > kTenYears / unit) {
    return Error{Errc::kOverflow,
                 "a duration of at most ten years, got '" + std::string(text) + "'"};
  }
  return count * unit;
}

}  // namespace medchain::client
