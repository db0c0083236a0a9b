// Sends transactions from one account: gas estimation (a revert is caught before anything is
// sent), EIP-1559 fees from fee history under a cap, a nonce manager that stays correct under
// concurrent callers, receipts, and replacement of a stuck transaction with bumped fees.
//
// Nonces: the next nonce is read from the node once and then counted locally. Signing and
// eth_sendRawTransaction happen under one lock, so nonces reach the node in order and a nonce
// is consumed only when the node accepted its transaction; a node that says the nonce is stale
// (another process used the account) makes the sender re-read it. Estimation, fee choice and
// waiting for receipts run outside the lock, in parallel.
#pragma once

#include <chrono>
#include <medchain/chain/contract.hpp>
#include <medchain/chain/fees.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/transaction.hpp>
#include <memory>
#include <mutex>
#include <optional>

namespace medchain::chain {

struct SenderOptions {
  FeePolicy fee_policy;
  std::chrono::milliseconds receipt_timeout{120'000};  // give up waiting after this
  std::chrono::milliseconds replace_after{30'000};     // resubmit with bumped fees after this
  std::chrono::milliseconds fee_cache{1'000};          // reuse a fee suggestion this long
  unsigned gas_headroom_percent = 20;                  // over the node's estimate
};

struct TxRequest {
  std::optional<Address> to;  // nullopt deploys a contract
  Bytes data;
  U256 value;
  std::optional<std::uint64_t> gas_limit;  // estimated when absent
};

// A transaction the node accepted, and the replacements sent for it (same nonce).
struct PendingTransaction {
  eth::Eip1559Transaction transaction;  // as last sent
  std::vector<Hash32> hashes;           // every version sent, newest last
  std::chrono::steady_clock::time_point last_sent;
};

class TransactionSender {
 public:
  // Checks that the node serves `expected_chain_id`: kWrongChain if not.
  static Result<std::unique_ptr<TransactionSender>> connect(EthClient& client,
                                                            const crypto::PrivateKey& key,
                                                            std::uint64_t expected_chain_id,
                                                            SenderOptions options = {});

  // Estimates, prices, numbers, signs and submits. A transaction that would revert is not sent:
  // kReverted with the reason decoded against `errors` (a contract's custom errors) if given.
  Result<PendingTransaction> submit(const TxRequest& request, const ContractAbi* errors = nullptr);

  // Waits for the receipt of any version of `pending`, replacing it with bumped fees every
  // replace_after. kReverted (decoded as above) when it was mined but failed; kTimeout after
  // receipt_timeout; kConflict when another transaction took its nonce.
  Result<Receipt> wait(PendingTransaction& pending, const ContractAbi* errors = nullptr);

  // submit, then wait.
  Result<Receipt> send(const TxRequest& request, const ContractAbi* errors = nullptr);

  const Address& address() const noexcept { return address_; }
  std::uint64_t chain_id() const noexcept { return chain_id_; }
  EthClient& client() const noexcept { return *client_; }

 private:
  TransactionSender(EthClient& client, const crypto::PrivateKey& key, std::uint64_t chain_id,
                    SenderOptions options);

  Result<Fees> current_fees();
  // Signs `transaction` with the next nonce and sends it; see the header comment.
  Result<Hash32> sign_and_send_next(eth::Eip1559Transaction& transaction);
  // Sends a signed transaction whose outcome may be unknown after a transport failure.
  Result<Hash32> send_signed(const eth::SignedTransaction& signed_transaction);
  Result<std::optional<Receipt>> replace(PendingTransaction& pending);
  Error replay_revert(const std::optional<Address>& to, ByteView data, std::uint64_t block,
                      const ContractAbi* errors);

  EthClient* client_;
  crypto::PrivateKey key_;
  Address address_;
  std::uint64_t chain_id_;
  SenderOptions options_;

  std::mutex nonce_mutex_;
  std::optional<std::uint64_t> next_nonce_;  // nullopt: read it from the node

  std::mutex fee_mutex_;
  std::optional<Fees> cached_fees_;
  std::chrono::steady_clock::time_point fees_read_at_;
};

}  // namespace medchain::chain
