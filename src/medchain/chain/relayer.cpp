#include <medchain/chain/relayer.hpp>
#include <algorithm>
#include <medchain/core/hex.hpp>

namespace medchain::chain {
namespace {

namespace abi = eth::abi;

// relayGrantBatch's wire layout (GrantBatch.sol, docs/contracts.md "Grant batches").
constexpr std::size_t kGrantEntryBytes = 131;
const U256 kU64Limit = U256(1) << 64;

// The last `size` bytes of `value`'s big-endian word: the packed fields are big-endian.
void append_tail(Bytes& out, const U256& value, std::size_t size) {
  const auto word = to_word(value);
  out.insert(out.end(), word.end() - static_cast<std::ptrdiff_t>(size), word.end());
}

// The decoded (GrantAccess, signature) of a grantAccessBySig intent whose nonce and deadline fit
// 64 bits; nullopt for anything relayGrantBatch cannot carry, which then goes by relayBatch.
std::optional<std::pair<abi::Value::Items, crypto::Signature>> grant_of(const ContractAbi& abi,
                                                                      const SignedIntent& intent) {
  if (intent.function != "grantAccessBySig" || intent.calldata.size() < 4) return std::nullopt;
  auto function = abi.function("grantAccessBySig");
  if (!function.ok()) return std::nullopt;
  const auto selector = abi::selector(**function);
  if (!std::equal(selector.begin(), selector.end(), intent.calldata.begin())) return std::nullopt;
  auto args = abi::decode((*function)->input_types(), ByteView(intent.calldata).subspan(4));
  if (!args.ok() || args->size() != 2) return std::nullopt;
  abi::Value::Items fields = (*args)[0].items();
  if (fields.size() != 7 || fields[5].word() >= kU64Limit || fields[6].word() >= kU64Limit) {
    return std::nullopt;
  }
  auto signature = crypto::parse_signature((*args)[1].bytes());
  if (!signature.ok()) return std::nullopt;
  return std::make_pair(std::move(fields), *signature);
}

// One packed entry; the patient is zeroed when it repeats the previous entry's, as the layout
// allows, which saves calldata gas for a batch of one patient's grants.
void append_grant_entry(Bytes& out, const abi::Value::Items& fields,
                        const crypto::Signature& signature, const Address* previous_patient) {
  const Address& patient = fields[0].address();
  const bool repeats = previous_patient != nullptr && *previous_patient == patient;
  const Address written = repeats ? Address{} : patient;
  out.insert(out.end(), written.bytes.begin(), written.bytes.end());
  out.insert(out.end(), fields[1].address().bytes.begin(), fields[1].address().bytes.end());
  append_tail(out, fields[2].word(), 2);  // scope
  append_tail(out, fields[3].word(), 1);  // permissions
  append_tail(out, fields[4].word(), 8);  // expiry
  append_tail(out, fields[5].word(), 8);  // nonce
  append_tail(out, fields[6].word(), 8);  // deadline
  out.insert(out.end(), signature.r.bytes.begin(), signature.r.bytes.end());
  Hash32 vs = signature.s;  // EIP-2098: the recovery id in the top bit of s
  if (signature.recovery_id != 0) vs.bytes[0] |= 0x80;
  out.insert(out.end(), vs.bytes.begin(), vs.bytes.end());
}

// relayGrantBatch's entries for a batch made only of grants it can carry, else nullopt.
std::optional<Bytes> grant_batch_entries(const ContractAbi& abi,
                                         const std::vector<SignedIntent>& intents) {
  Bytes entries;
  entries.reserve(intents.size() * kGrantEntryBytes);
  std::optional<Address> previous_patient;
  for (const SignedIntent& intent : intents) {
    auto grant = grant_of(abi, intent);
    if (!grant) return std::nullopt;
    append_grant_entry(entries, grant->first, grant->second,
                       previous_patient ? &*previous_patient : nullptr);
    previous_patient = grant->first[0].address();
  }
  return entries;
}

// The batch's transaction input: relayGrantBatch when every intent is a grant it can carry (about
// a sixth less gas a grant), else relayBatch. Both report failed entries by BatchEntryFailed with
// the same index and revert data, so the caller sees no difference.
Result<Bytes> batch_calldata(const Contract& medchain, const std::vector<SignedIntent>& intents) {
  if (auto entries = grant_batch_entries(medchain.abi(), intents)) {
    return medchain.calldata("relayGrantBatch", {abi::Value(std::move(*entries))});
  }
  abi::Value::Items calls;
  for (const SignedIntent& intent : intents) calls.emplace_back(intent.calldata);
  return medchain.calldata("relayBatch", {abi::Value(std::move(calls))});
}

}  // namespace

Status Relayer::reserve(const std::vector<const SignedIntent*>& intents) {
  std::lock_guard lock(mutex_);
  std::set<std::pair<Address, Hash32>> batch;
  for (const SignedIntent* intent : intents) {
    const std::pair key{intent->signer, intent->digest};
    if (submitted_.count(key) != 0 || !batch.insert(key).second) {
      return Error{Errc::kConflict, "intent " + to_hex(intent->digest) + " was already submitted"};
    }
  }
  submitted_.insert(batch.begin(), batch.end());
  return {};
}

void Relayer::release(const std::vector<const SignedIntent*>& intents) {
  std::lock_guard lock(mutex_);
  for (const SignedIntent* intent : intents) submitted_.erase({intent->signer, intent->digest});
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
  for (const SignedIntent& intent : intents) refs.push_back(&intent);
  MEDCHAIN_TRY_STATUS(reserve(refs));
  auto data = batch_calldata(*medchain_, intents);
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
