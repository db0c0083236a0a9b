// The relayer: submits signed intents to the medchain contract from the relayer's account,
// singly or many in one relayBatch transaction (relayGrantBatch's compact one when all are
// grants), and never submits the same intent twice.
#pragma once

#include <medchain/chain/intents.hpp>
#include <medchain/chain/tx_sender.hpp>
#include <mutex>
#include <set>

namespace medchain::chain {

// What became of each entry of a batch: nullopt if it took effect, else why not (decoded).
struct BatchOutcome {
  Receipt receipt;
  std::vector<std::optional<Error>> entries;
};

class Relayer {
 public:
  Relayer(TransactionSender& sender, const Contract& medchain)
      : sender_(&sender), medchain_(&medchain) {}

  // Submits the intent and waits until it is mined. kConflict if this relayer has already
  // submitted an intent with the same digest; kReverted with the contract's decoded error (an
  // intent that would revert is refused before anything is sent, and may be submitted again
  // later, when it can succeed).
  Result<Receipt> relay(const SignedIntent& intent);

  // Submits up to kMaxBatch intents in one transaction. One bad intent does not stop the
  // others: its entry reports the decoded reason. kConflict if any intent was submitted before.
  Result<BatchOutcome> relay_batch(const std::vector<SignedIntent>& intents);

  static constexpr std::size_t kMaxBatch = 100;

 private:
  // Reserves each (signer, digest); kConflict (reserving none) if any was reserved before.
  Status reserve(const std::vector<const SignedIntent*>& intents);
  void release(const std::vector<const SignedIntent*>& intents);

  TransactionSender* sender_;
  const Contract* medchain_;
  std::mutex mutex_;
  // The intents this relayer has sent or is sending, by signer and digest: messages that do not
  // name their signer (OpenEmergencyAccess, RequestAccess, ...) can be signed word for word by
  // two accounts, and each is its own intent.
  std::set<std::pair<Address, Hash32>> submitted_;
};

}  // namespace medchain::chain
