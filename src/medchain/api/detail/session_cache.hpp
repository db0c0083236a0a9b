// The sessions the node has read from its database, shared by the serving threads, so that a
// signed-in request is usually checked without a database read (private to api/).
//
// An entry stands in for the database row only while the session's idle timer needs no write:
// once its last use is `kFreshFor` old, NodeContext::authenticate reads the row again (and
// writes the new last use), so a session revoked by anything but this node's logout is refused
// within that time at most. This node's logout erases the entry at once; a read that was under
// way when it did cannot put the session back (see `Found::epoch`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <medchain/store/node_store.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace medchain::api::detail {

class SessionCache {
 public:
  // Seconds an entry is trusted after the session's last use: the interval at which the idle
  // timer is written anyway.
  static constexpr std::uint64_t kFreshFor = 15;

  explicit SessionCache(std::size_t max_entries = 65'536) : max_entries_(max_entries) {}

  struct Found {
    std::optional<store::Session> session;  // the cached session, if still fresh at `now`
    // Bumped by every erase: a reader that goes to the database hands this to put(), and a
    // logout in between makes the put a no-op.
    std::uint64_t epoch = 0;
  };
  Found find(const Hash32& token_hash, std::uint64_t now) const;

  // Remembers `session` as read from the database after a find() that gave `read_at_epoch`. A full
  // cache starts over (its entries are read again as they are used).
  void put(const store::Session& session, std::uint64_t read_at_epoch);
  void erase(const Hash32& token_hash);

  std::size_t size() const;

 private:
  struct TokenHash {
    std::size_t operator()(const Hash32& hash) const noexcept;
  };

  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::uint64_t epoch_ = 0;
  std::unordered_map<Hash32, store::Session, TokenHash> sessions_;
};

}  // namespace medchain::api::detail
