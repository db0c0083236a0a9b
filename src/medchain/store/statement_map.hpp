// Prepared statements by their SQL text (private to store/). Every query looks its statement up
// here, so the lookup takes the text as a string_view instead of copying it into a string.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace medchain::store {

struct SqlTextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view sql) const noexcept {
    return std::hash<std::string_view>{}(sql);
  }
};

template <class Statement>
using StatementMap = std::unordered_map<std::string, Statement, SqlTextHash, std::equal_to<>>;

}  // namespace medchain::store
