// Reading the index's rows back (private to store/): values the indexer wrote, so one that
// does not parse means a damaged database.
#pragma once

#include <medchain/core/hex.hpp>
#include <medchain/store/database.hpp>

namespace medchain::store::detail {

template <class T>
Result<T> fixed(const SqlValue& value) {
  auto parsed = from_hex_fixed<T>(as_text(value));
  if (!parsed) return Error{Errc::kIo, "the index holds a malformed value: " + as_text(value)};
  return *parsed;
}

inline std::uint64_t unsigned_of(const SqlValue& value) {
  return static_cast<std::uint64_t>(as_int(value));
}

}  // namespace medchain::store::detail
