#include <medchain/chain/relayer.hpp>
#include <medchain/core/hex.hpp>

namespace medchain::chain {

Status Relayer::reserve(const std::vector<const SignedIntent*>& intents) {
  std::lock_guard lock(mutex_);
  std::set<Hash32> batch;
  for (const SignedIntent* intent : intents) {
    if (submitted_.count(intent->digest) != 0 || !batch.insert(intent->digest).second) {
      return Error{Errc::kConflict, "intent " + to_hex(intent->digest) + " was already submitted"};
    }
  }
  submitted_.insert(batch.begin(), batch.end());
  return {};
}

void Relayer::release(const std::vector<const SignedIntent*>& intents) {
  std::lock_guard lock(mutex_);
  for (const SignedIntent* intent : intents) submitted_.erase(intent->digest);
}

Result<Receipt> Relayer::relay(const SignedIntent& intent) {
  MEDCHAIN_TRY_STATUS(reserve({&intent}));
  TxRequest request{medchain_->address(), intent.calldata, 0, std::nullopt};
  auto pending = sender_->submit(request, &medchain_->abi());
  if (!pending.ok()) {
    // Nothing was sent, so the intent may be relayed again once it can succeed.
    release({&intent});
    return std::move(pending).error();
  }
  return sender_->wait(*pending, &medchain_->abi());
}

Result<BatchOutcome> Relayer::relay_batch(const std::vector<SignedIntent>& intents) {
  if (intents.empty() || intents.size() > kMaxBatch) {
    return Error{Errc::kInvalidArgument,
                 "a batch takes 1 to " + std::to_string(kMaxBatch) + " intents"};
  }
  std::vector<const SignedIntent*> refs;
  eth::abi::Value::Items calls;
  for (const SignedIntent& intent : intents) {
    refs.push_back(&intent);
    calls.emplace_back(intent.calldata);
  }
  MEDCHAIN_TRY_STATUS(reserve(refs));
  auto data = medchain_->calldata("relayBatch", {eth::abi::Value(std::move(calls))});
  if (!data.ok()) {
    release(refs);
    return std::move(data).error();
  }
  auto pending =
      sender_->submit({medchain_->address(), std::move(*data), 0, std::nullopt}, &medchain_->abi());
  if (!pending.ok()) {
    release(refs);
    return std::move(pending).error();
  }
  MEDCHAIN_TRY(Receipt receipt, sender_->wait(*pending, &medchain_->abi()));
  BatchOutcome outcome{std::move(receipt), std::vector<std::optional<Error>>(intents.size())};
  for (const Log& log : outcome.receipt.logs) {
    if (log.address != medchain_->address()) continue;
    auto decoded = medchain_->abi().decode_log(log);
    if (!decoded.ok() || decoded->event != "BatchEntryFailed") continue;
    const U256& index = decoded->values[0].word();
    if (index >= intents.size()) continue;
    outcome.entries[static_cast<std::size_t>(index)] =
        revert_error(decoded->values[1].bytes(), &medchain_->abi());
  }
  return outcome;
}

}  // namespace medchain::chain
