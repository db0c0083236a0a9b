#include <algorithm>
#include <medchain/chain/fees.hpp>

namespace medchain::chain {
namespace {

U256 median(std::vector<U256> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Error over_cap(const U256& needed, const U256& cap) {
  return Error{Errc::kUnavailable, "fees of " + to_decimal(needed) +
                                       " wei/gas would exceed the cap of " + to_decimal(cap) +
                                       " wei/gas"};
}

}  // namespace

Result<Fees> suggest_fees(const FeeHistory& history, const FeePolicy& policy) {
  if (history.base_fee_per_gas.empty()) {
    return Error{Errc::kProtocol, "fee history without base fees"};
  }
  std::vector<U256> tips;
  for (const auto& block : history.reward) {
    if (!block.empty()) tips.push_back(block.front());
  }
  const U256 tip = std::max(median(std::move(tips)), policy.min_priority_fee);
  const U256& next_base_fee = history.base_fee_per_gas.back();
  if (next_base_fee + tip > policy.max_fee_cap)
    return over_cap(next_base_fee + tip, policy.max_fee_cap);
  const U256 max_fee =
      std::min(next_base_fee * policy.base_fee_multiplier + tip, policy.max_fee_cap);
  return Fees{max_fee, tip};
}

Result<Fees> bump_fees(const Fees& previous, const Fees& suggested, const FeePolicy& policy) {
  auto bump = [&](const U256& value) {
    // Round up, so that a 1 wei fee still rises.
    return value + (value * policy.replacement_bump_percent + 99) / 100;
  };
  Fees next{std::max(bump(previous.max_fee_per_gas), suggested.max_fee_per_gas),
            std::max(bump(previous.max_priority_fee_per_gas), suggested.max_priority_fee_per_gas)};
  if (next.max_fee_per_gas > policy.max_fee_cap)
    return over_cap(next.max_fee_per_gas, policy.max_fee_cap);
  next.max_priority_fee_per_gas = std::min(next.max_priority_fee_per_gas, next.max_fee_per_gas);
  return next;
}

}  // namespace medchain::chain
