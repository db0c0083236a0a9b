// EIP-1559 fee choice for the relayer: from eth_feeHistory, with a cap the operator sets, and
// the bump a replacement transaction needs.
#pragma once

#include <medchain/chain/eth_client.hpp>

namespace medchain::chain {

struct FeePolicy {
  U256 max_fee_cap{200'000'000'000};       // never offer more than 200 gwei per gas
  U256 min_priority_fee{1'000'000'000};    // 1 gwei: what default-configured nodes accept
  unsigned base_fee_multiplier = 2;        // headroom for base fee rises while pending
  unsigned replacement_bump_percent = 20;  // geth requires >= 10% on both fees
};

struct Fees {
  U256 max_fee_per_gas;
  U256 max_priority_fee_per_gas;
  bool operator==(const Fees&) const = default;
};

// Chooses fees for the next block from `history` (fee_history(N, {50})): the median of the
// blocks' median tips (at least the policy's minimum), plus multiplier × the next base fee.
// kUnavailable when even the next base fee plus the tip exceeds the cap (the chain is too
// expensive for the operator's setting right now).
Result<Fees> suggest_fees(const FeeHistory& history, const FeePolicy& policy);

// The fees of a replacement for a transaction sent with `previous`: both raised by the
// policy's bump, and at least `suggested`. kUnavailable when the bump would exceed the cap.
Result<Fees> bump_fees(const Fees& previous, const Fees& suggested, const FeePolicy& policy);

}  // namespace medchain::chain
