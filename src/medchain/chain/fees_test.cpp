#include <gtest/gtest.h>

#include <medchain/chain/fees.hpp>

namespace medchain::chain {
namespace {

constexpr std::uint64_t kGwei = 1'000'000'000;

FeeHistory history(std::vector<std::uint64_t> base_fees_gwei,
                   std::vector<std::uint64_t> tips_gwei) {
  FeeHistory h;
  for (auto fee : base_fees_gwei) h.base_fee_per_gas.push_back(U256(fee) * kGwei);
  for (auto tip : tips_gwei) h.reward.push_back({U256(tip) * kGwei});
  return h;
}

TEST(Fees, MedianTipPlusTwiceTheNextBaseFee) {
  auto fees = suggest_fees(history({10, 11, 12}, {3, 1, 2}), FeePolicy{}).value();
  EXPECT_EQ(fees.max_priority_fee_per_gas, U256(2) * kGwei);
  EXPECT_EQ(fees.max_fee_per_gas, U256(2 * 12 + 2) * kGwei);
}

TEST(Fees, TipNeverBelowThePolicyMinimum) {
  auto fees = suggest_fees(history({1, 1}, {0}), FeePolicy{}).value();
  EXPECT_EQ(fees.max_priority_fee_per_gas, U256(kGwei));
}

TEST(Fees, MaxFeeIsCappedAndAnImpossibleCapIsAnError) {
  FeePolicy policy;
  policy.max_fee_cap = U256(30) * kGwei;
  auto capped = suggest_fees(history({20, 20}, {1}), policy).value();
  EXPECT_EQ(capped.max_fee_per_gas, U256(30) * kGwei);
  auto impossible = suggest_fees(history({40, 40}, {1}), policy);
  ASSERT_FALSE(impossible.ok());
  EXPECT_EQ(impossible.error().code, Errc::kUnavailable);
}

TEST(Fees, ReplacementRaisesBothFeesByTheBump) {
  Fees previous{U256(100), U256(10)};
  auto next = bump_fees(previous, Fees{U256(50), U256(5)}, FeePolicy{}).value();
  EXPECT_EQ(next.max_fee_per_gas, U256(120));
  EXPECT_EQ(next.max_priority_fee_per_gas, U256(12));
  auto from_suggestion = bump_fees(previous, Fees{U256(500), U256(50)}, FeePolicy{}).value();
  EXPECT_EQ(from_suggestion, (Fees{U256(500), U256(50)}));
  FeePolicy tight;
  tight.max_fee_cap = U256(110);
  EXPECT_EQ(bump_fees(previous, previous, tight).error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace medchain::chain
