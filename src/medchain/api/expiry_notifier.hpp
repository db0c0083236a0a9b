// Expiry is not an event on chain: a grant simply stops counting once its time has passed. The
// notifier watches the index for grants and emergency windows whose end has come and tells the
// feed, so patients and doctors see "access ended" as it happens.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <medchain/api/event_feed.hpp>
#include <medchain/store/index_store.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace medchain::api {

class ExpiryNotifier {
 public:
  // `index` is the notifier's own (its connection is used by nobody else).
  ExpiryNotifier(store::IndexStore& index, EventFeed& feed) : index_(&index), feed_(&feed) {}

  // Housekeeping that runs on the notifier's thread, every `every` rounds of run() (the first
  // round included): purging sign-ins, collecting unnamed blobs. Each uses connections of its
  // own or the notifier's; a failure is logged under `name` and retried at its next turn.
  using Chore = std::function<Status(std::uint64_t now)>;
  void add_chore(std::string name, Chore chore, unsigned every) {
    chores_.push_back({std::move(name), std::move(chore), every == 0 ? 1 : every});
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
  struct ScheduledChore {
    std::string name;
    Chore run;
    unsigned every;
  };
  std::vector<ScheduledChore> chores_;
  unsigned rounds_ = 0;
};

}  // namespace medchain::api
