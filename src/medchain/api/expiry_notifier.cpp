#include <medchain/api/expiry_notifier.hpp>
#include <thread>

namespace medchain::api {

Status ExpiryNotifier::notify(std::uint64_t now) {
  if (!last_) {
    last_ = now;
    return {};
  }
  if (now <= *last_) return {};
  if (feed_->sessions() > 0) {
    feed_->end_expired(now);  // a session's feed ends with the session
    MEDCHAIN_TRY(std::vector<store::ExpiryRow> ended, index_->expiring(*last_, now));
    for (const store::ExpiryRow& expiry : ended) {
      MEDCHAIN_TRY(std::optional<store::PatientRow> patient, index_->patient(expiry.patient));
      feed_->publish(expiry, patient ? patient->guardians : std::vector<Address>{});
    }
  }
  last_ = now;
  return {};
}

void ExpiryNotifier::run(const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                         std::ostream& log) {
  while (!stop) {
    const auto now =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    if (auto notified = notify(now); !notified.ok()) {
      log << "medchaind: expiry notifications failed: " << notified.error().message << std::endl;
    }
    for (const ScheduledChore& chore : chores_) {
      if (rounds_ % chore.every != 0) continue;
      if (const Status done = chore.run(now); !done.ok()) {
        log << "medchaind: " << chore.name << " failed: " << done.error().message << std::endl;
      }
    }
    ++rounds_;
    for (auto slept = std::chrono::milliseconds(0); slept < interval && !stop;
         slept += std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace medchain::api
