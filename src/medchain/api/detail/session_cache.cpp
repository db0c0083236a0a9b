#include <cstring>
#include <medchain/api/detail/session_cache.hpp>

namespace medchain::api::detail {

std::size_t SessionCache::TokenHash::operator()(const Hash32& hash) const noexcept {
  // The key is already a SHA-256: any 8 of its bytes are uniformly distributed.
  std::size_t out = 0;
  std::memcpy(&out, hash.data(), sizeof out);
  return out;
}

SessionCache::Found SessionCache::find(const Hash32& token_hash, std::uint64_t now) const {
  const std::lock_guard lock(mutex_);
  Found found{std::nullopt, epoch_};
  const auto entry = sessions_.find(token_hash);
  if (entry != sessions_.end() && now < entry->second.last_seen + kFreshFor) {
    found.session = entry->second;
  }
  return found;
}

void SessionCache::put(const store::Session& session, std::uint64_t read_at_epoch) {
  const std::lock_guard lock(mutex_);
  if (read_at_epoch != epoch_) return;
  if (sessions_.size() >= max_entries_ && !sessions_.contains(session.token_hash))
    sessions_.clear();
  sessions_.insert_or_assign(session.token_hash, session);
}

void SessionCache::erase(const Hash32& token_hash) {
  const std::lock_guard lock(mutex_);
  ++epoch_;
  sessions_.erase(token_hash);
}

std::size_t SessionCache::size() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace medchain::api::detail
