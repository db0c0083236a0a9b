#include <medchain/chain/tx_sender.hpp>
#include <medchain/core/hex.hpp>
#include <thread>

namespace medchain::chain {
namespace {

using Clock = std::chrono::steady_clock;

bool mentions(const std::string& text, std::initializer_list<std::string_view> needles) {
  for (std::string_view needle : needles) {
    if (text.find(needle) != std::string::npos) return true;
  }
  return false;
}

// The node already has a transaction with this nonce from us (geth, anvil, ganache wordings).
bool is_stale_nonce(const Error& error) {
  return error.code == Errc::kRpcError &&
         mentions(error.message, {"nonce too low", "correct nonce", "NonceTooLow", "underpriced"});
}

// The node already has exactly this transaction.
bool is_already_known(const Error& error) {
  return error.code == Errc::kRpcError &&
         mentions(error.message, {"already known", "already imported", "known transaction"});
}

bool is_transport_failure(const Error& error) {
  return error.code == Errc::kUnavailable || error.code == Errc::kTimeout;
}

}  // namespace

TransactionSender::TransactionSender(EthClient& client, const crypto::PrivateKey& key,
                                     std::uint64_t chain_id, SenderOptions options)
    : client_(&client),
      key_(key),
      address_(crypto::address_of(key)),
      chain_id_(chain_id),
      options_(options) {}

Result<std::unique_ptr<TransactionSender>> TransactionSender::connect(
    EthClient& client, const crypto::PrivateKey& key, std::uint64_t expected_chain_id,
    SenderOptions options) {
  MEDCHAIN_TRY(std::uint64_t chain_id, client.chain_id());
  if (chain_id != expected_chain_id) {
    return Error{Errc::kWrongChain, client.rpc().endpoint().url() + " serves chain " +
                                        std::to_string(chain_id) + ", expected " +
                                        std::to_string(expected_chain_id)};
  }
  return std::unique_ptr<TransactionSender>(new TransactionSender(client, key, chain_id, options));
}

Result<Fees> TransactionSender::current_fees() {
  std::lock_guard lock(fee_mutex_);
  const auto now = Clock::now();
  if (cached_fees_ && now - fees_read_at_ < options_.fee_cache) return *cached_fees_;
  MEDCHAIN_TRY(FeeHistory history, client_->fee_history(5, {50.0}));
  MEDCHAIN_TRY(Fees fees, suggest_fees(history, options_.fee_policy));
  cached_fees_ = fees;
  fees_read_at_ = now;
  return fees;
}

Result<PendingTransaction> TransactionSender::submit(const TxRequest& request,
                                                     const ContractAbi* errors) {
  eth::Eip1559Transaction transaction;
  transaction.chain_id = chain_id_;
  transaction.to = request.to;
  transaction.value = request.value;
  transaction.data = request.data;
  if (request.gas_limit) {
    transaction.gas_limit = *request.gas_limit;
  } else {
    auto estimate = client_->estimate_gas(address_, request.to, request.data, request.value);
    if (!estimate.ok()) {
      if (estimate.error().code != Errc::kReverted) return std::move(estimate).error();
      const auto data = from_hex(estimate.error().message);
      return chain::revert_error(data ? ByteView(*data) : ByteView(), errors);
    }
    transaction.gas_limit = *estimate + *estimate * options_.gas_headroom_percent / 100;
  }
  MEDCHAIN_TRY(Fees fees, current_fees());
  transaction.max_fee_per_gas = fees.max_fee_per_gas;
  transaction.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
  MEDCHAIN_TRY(Hash32 hash, sign_and_send_next(transaction));
  return PendingTransaction{std::move(transaction), {hash}, Clock::now()};
}

Result<Hash32> TransactionSender::sign_and_send_next(eth::Eip1559Transaction& transaction) {
  std::lock_guard lock(nonce_mutex_);
  for (int attempt = 0;; ++attempt) {
    if (!next_nonce_) {
      MEDCHAIN_TRY(std::uint64_t nonce, client_->transaction_count(address_, /*pending=*/true));
      next_nonce_ = nonce;
    }
    transaction.nonce = *next_nonce_;
    auto sent = send_signed(eth::sign_transaction(transaction, key_));
    if (sent.ok()) {
      ++*next_nonce_;
      return sent;
    }
    // Someone else used this account: read the nonce again and retry once.
    if (is_stale_nonce(sent.error()) && attempt == 0) {
      next_nonce_.reset();
      continue;
    }
    // The outcome is unknown: the next caller reads the nonce from the node.
    if (is_transport_failure(sent.error())) next_nonce_.reset();
    return sent;
  }
}

Result<Hash32> TransactionSender::send_signed(const eth::SignedTransaction& signed_transaction) {
  const Hash32 hash = signed_transaction.hash();
  const Bytes raw = signed_transaction.raw();
  auto sent = client_->send_raw_transaction(raw);
  if (sent.ok() || is_already_known(sent.error())) return hash;
  if (!is_transport_failure(sent.error())) return std::move(sent).error();
  // The node may have taken it before the connection failed. Resending the same bytes is safe:
  // it is the same transaction, so it can be mined at most once.
  auto again = client_->send_raw_transaction(raw);
  if (again.ok() || is_already_known(again.error())) return hash;
  if (!is_transport_failure(again.error())) return std::move(again).error();
  // Still no answer: a node that is slow to reply (ganache answers a send only once it has
  // mined it) may hold the transaction all the same.
  auto known =
      client_->rpc().call("eth_getTransactionByHash", nlohmann::json::array({to_hex(hash)}));
  if (known.ok() && !known->is_null()) return hash;
  return std::move(again).error();
}

Result<Receipt> TransactionSender::wait(PendingTransaction& pending, const ContractAbi* errors) {
  const auto give_up = Clock::now() + options_.receipt_timeout;
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    for (const Hash32& hash : pending.hashes) {
      MEDCHAIN_TRY(std::optional<Receipt> receipt, client_->receipt(hash));
      if (!receipt) continue;
      if (!receipt->success) {
        return replay_revert(pending.transaction.to, pending.transaction.data,
                             receipt->block_number, errors);
      }
      return std::move(*receipt);
    }
    const auto now = Clock::now();
    if (now >= give_up) {
      return Error{Errc::kTimeout, "transaction " + to_hex(pending.hashes.back()) +
                                       " not mined within " +
                                       std::to_string(options_.receipt_timeout.count()) + " ms"};
    }
    if (now - pending.last_sent >= options_.replace_after) {
      MEDCHAIN_TRY(std::optional<Receipt> mined, replace(pending));
      if (mined) return std::move(*mined);
      continue;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }
}

Result<std::optional<Receipt>> TransactionSender::replace(PendingTransaction& pending) {
  MEDCHAIN_TRY(Fees suggested, current_fees());
  const Fees previous{pending.transaction.max_fee_per_gas,
                      pending.transaction.max_priority_fee_per_gas};
  MEDCHAIN_TRY(Fees bumped, bump_fees(previous, suggested, options_.fee_policy));
  eth::Eip1559Transaction replacement = pending.transaction;
  replacement.max_fee_per_gas = bumped.max_fee_per_gas;
  replacement.max_priority_fee_per_gas = bumped.max_priority_fee_per_gas;
  auto sent = send_signed(eth::sign_transaction(replacement, key_));
  pending.last_sent = Clock::now();
  if (sent.ok()) {
    pending.transaction = std::move(replacement);
    pending.hashes.push_back(*sent);
    return std::optional<Receipt>();
  }
  if (!is_stale_nonce(sent.error())) return std::move(sent).error();
  // The nonce is used: by one of our versions (its receipt shows on the next poll) or by a
  // transaction from elsewhere, which replaced ours.
  for (const Hash32& hash : pending.hashes) {
    MEDCHAIN_TRY(std::optional<Receipt> receipt, client_->receipt(hash));
    if (receipt) return std::optional<Receipt>(std::move(*receipt));
  }
  return Error{Errc::kConflict, "nonce " + std::to_string(pending.transaction.nonce) + " of " +
                                    to_hex(address_) + " was taken by another transaction"};
}

Result<Receipt> TransactionSender::send(const TxRequest& request, const ContractAbi* errors) {
  MEDCHAIN_TRY(PendingTransaction pending, submit(request, errors));
  return wait(pending, errors);
}

Error TransactionSender::replay_revert(const std::optional<Address>& to, ByteView data,
                                       std::uint64_t block, const ContractAbi* errors) {
  // A receipt has no revert data; replaying the call on the state before its block recovers it.
  if (to) {
    const std::string before = to_hex_quantity(U256(block == 0 ? 0 : block - 1));
    auto replay = client_->call(address_, *to, data, before);
    if (replay.ok() && replay->reverted) return chain::revert_error(replay->data, errors);
  }
  return Error{Errc::kReverted, "reverted in block " + std::to_string(block)};
}

}  // namespace medchain::chain
