// Expiry is not an event on chain: a grant simply stops counting once its time has passed. The
// notifier watches the index for grants and emergency windows whose end has come and tells the
// feed, so patients and doctors see "access ended" as it happens.
#pragma once

#include <atomic>
#include <chrono>
#include <medchain/api/event_feed.hpp>
#include <medchain/store/index_store.hpp>
#include <medchain/store/node_store.hpp>
#include <ostream>

namespace medchain::api {

class ExpiryNotifier {
 public:
  // `index` is the notifier's own (its connection is used by nobody else).
  ExpiryNotifier(store::IndexStore& index, EventFeed& feed) : index_(&index), feed_(&feed) {}

  // Also purges, every `every` rounds of run(), the sign-in nonces and sessions that can no
  // longer be used (NodeStore::purge_sign_ins), through `node_store`, the notifier's own.
  struct SignInLifetimes {
    std::uint64_t nonce_seconds = 300;
    std::uint64_t idle_seconds = 1'800;
  };
  void purge_sign_ins(store::NodeStore& node_store, SignInLifetimes lifetimes, unsigned every) {
    node_store_ = &node_store;
    lifetimes_ = lifetimes;
    purge_every_ = every == 0 ? 1 : every;
  }

  // Publishes what ended in (last call's now, now], and closes the feed of sessions that
  // expired by `now`; the first call starts the clock.
  Status notify(std::uint64_t now);

  // Calls notify with the wall clock every `interval` until `stop`, reporting failures to `log`.
  void run(const std::atomic<bool>& stop, std::chrono::milliseconds interval, std::ostream& log);

 private:
  store::IndexStore* index_;
  EventFeed* feed_;
  std::optional<std::uint64_t> last_;
  store::NodeStore* node_store_ = nullptr;
  SignInLifetimes lifetimes_;
  unsigned purge_every_ = 1;
  unsigned rounds_ = 0;
};

}  // namespace medchain::api
