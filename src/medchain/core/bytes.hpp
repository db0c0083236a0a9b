// Byte containers and the strong fixed-size value types of the domain.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <medchain/core/result.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace medchain {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a string, without copying. The view lives as long as the string.
inline ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  std::size_t total = 0;
  for (ByteView part : parts) total += part.size();
  out.reserve(total);
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// N bytes with a Tag that makes, say, an Address and a Hash32 different types even where the
// sizes would allow a mix-up.
template <std::size_t N, class Tag>
struct FixedBytes {
  static constexpr std::size_t kSize = N;
  std::array<std::uint8_t, N> bytes{};

  // Copies exactly N bytes; any other length is an error.
  static Result<FixedBytes> from_view(ByteView view) {
    if (view.size() != N) {
      return Error{Errc::kInvalidLength,
                   "expected " + std::to_string(N) + " bytes, got " + std::to_string(view.size())};
    }
    FixedBytes out;
    std::copy(view.begin(), view.end(), out.bytes.begin());
    return out;
  }

  constexpr std::uint8_t* data() noexcept { return bytes.data(); }
  constexpr const std::uint8_t* data() const noexcept { return bytes.data(); }
  static constexpr std::size_t size() noexcept { return N; }
  ByteView view() const noexcept { return {bytes.data(), N}; }
  operator ByteView() const noexcept { return view(); }  // NOLINT: implicit by design
  bool is_zero() const noexcept {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
  }

  friend auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
  friend bool operator==(const FixedBytes&, const FixedBytes&) = default;
};

using Hash32 = FixedBytes<32, struct Hash32Tag>;
using Address = FixedBytes<20, struct AddressTag>;

}  // namespace medchain
