// The inbox of one address: what happened that concerns it, kept by the node so that someone
// who was not signed in when it happened learns of it at their next sign-in, and marked read.
//
// Items are not stored as such: each is derived, when asked for, from what the node keeps
// durably anyway (docs/architecture.md, "Inbox"):
//   - chain events that concern the address (the index's notification rows): an access request
//     or an emergency opening for the patient and the patient's guardians; a grant (an
//     approval included), a denied request or a revoke for the doctor;
//   - grants of the address, as patient or doctor, that end within kExpiringWithin;
//   - refused reads of the records of the address or of a patient it is guardian of, and
//     emergency escrow partials this node released for them as a custodian (the node's audit
//     log).
// Only the read marks are the inbox's own state (NodeStore::mark_inbox_read).
#pragma once

#include <cstdint>
#include <medchain/store/index_store.hpp>
#include <medchain/store/node_store.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medchain::inbox {

// A grant becomes an item this long before it ends.
inline constexpr std::uint64_t kExpiringWithin = 24 * 3600;

struct Item {
  // Stable across calls, restarts and re-indexing: "chain:<block>:<logIndex>", "audit:<seq>",
  // "expiring:<patient>:<doctor>:<expiry>" (addresses lowercase 0x hex).
  std::string id;
  // "access_requested", "emergency_opened", "access_granted", "request_denied",
  // "access_revoked", "grant_expiring", "access_denied", "escrow_released", or a recovery of
  // the patient's account: "recovery_proposed", "recovery_ready", "recovery_cancelled",
  // "recovery_executed".
  std::string kind;
  std::uint64_t at = 0;  // Unix seconds: the block's time, the refusal's, or a day before expiry
  bool read = false;
  Address patient;
  // The other party: the doctor; for "access_denied" whoever was refused; for a recovery the
  // proposed (or new) address, and for "recovery_cancelled" who cancelled.
  Address doctor;
  // What the kind carries (absent where it does not apply).
  std::optional<std::string> request_id;  // decimal uint256
  std::optional<std::uint16_t> scope;
  std::optional<std::uint8_t> permissions;
  std::optional<std::uint64_t> duration;     // seconds, as requested
  std::optional<std::uint64_t> until;        // a grant's expiry, an emergency window's end, a
                                             // recovery's readyAt
  std::optional<std::uint64_t> reason_code;  // an emergency opening's
  std::string action;   // "access_denied": the refused action, e.g. "blob.read"
  std::string subject;  // "access_denied", "escrow_released": the blob or record version
};

struct Inbox {
  std::vector<Item> items;  // newest first
  std::size_t unread = 0;
};

// Every item of `address` at `now` (Unix seconds), with its read mark.
Result<Inbox> collect(store::IndexStore& index, store::NodeStore& node, const Address& address,
                      std::uint64_t now);

// Whether `id` is shaped like an item id (it need not name an item).
bool is_item_id(std::string_view id);

// Marks read those of `ids` that are items of `address` at `now` (others are ignored: an
// expiring grant's item goes when the grant does), or every item when `ids` is empty and
// `all` is set. Returns the inbox as it is afterwards.
Result<Inbox> mark_read(store::IndexStore& index, store::NodeStore& node, const Address& address,
                        const std::vector<std::string>& ids, bool all, std::uint64_t now);

}  // namespace medchain::inbox
