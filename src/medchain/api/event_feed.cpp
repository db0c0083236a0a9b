#include <algorithm>
#include <medchain/api/event_feed.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <nlohmann/json.hpp>

namespace medchain::api {
namespace {

using nlohmann::json;

// The addresses an event names: every argument that is a 20-byte hex string.
std::vector<Address> named_parties(const json& args) {
  std::vector<Address> parties;
  for (const auto& [name, value] : args.items()) {
    if (!value.is_string()) continue;
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() != 42) continue;
    if (auto address = from_hex_fixed<Address>(text)) parties.push_back(*address);
  }
  return parties;
}

void add_unique(std::vector<Address>& to, const std::vector<Address>& more) {
  for (const Address& address : more) {
    if (std::find(to.begin(), to.end(), address) == to.end()) to.push_back(address);
  }
}

}  // namespace

std::uint64_t EventFeed::attach(const store::Session& session,
                                std::shared_ptr<WebSocketPeer> peer) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  sessions_.emplace(
      id, Session{session.address, session.token_hash, session.expires_at, std::move(peer)});
  return id;
}

void EventFeed::close_where(const std::function<bool(const Session&)>& ended) {
  std::vector<std::shared_ptr<WebSocketPeer>> closing;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, session] : sessions_) {
      if (ended(session)) closing.push_back(session.peer);
    }
  }
  // A closed socket detaches itself (on_close), which takes the lock again.
  for (const auto& peer : closing) peer->close();
}

void EventFeed::end_session(const Hash32& token_hash) {
  close_where([&](const Session& session) { return session.token_hash == token_hash; });
}

void EventFeed::end_expired(std::uint64_t now) {
  close_where([&](const Session& session) { return session.expires_at <= now; });
}

void EventFeed::detach(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t EventFeed::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void EventFeed::deliver(const std::vector<Address>& recipients, const std::string& message) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, session] : sessions_) {
    if (std::find(recipients.begin(), recipients.end(), session.who) != recipients.end()) {
      session.peer->send(message);
    }
  }
}

void EventFeed::publish(const chain::IndexedBlock& block, const GuardiansOf& guardians_of) {
  if (sessions() == 0) return;
  for (const chain::IndexedEvent& event : block.events) {
    std::vector<Address> recipients = named_parties(event.args);
    if (event.args.contains("patient") && event.args["patient"].is_string()) {
      if (auto patient = from_hex_fixed<Address>(event.args["patient"].get<std::string>())) {
        // A failed lookup only narrows the audience: the event still reaches the parties.
        if (auto guardians = guardians_of(*patient); guardians.ok())
          add_unique(recipients, *guardians);
      }
    }
    if (recipients.empty()) continue;
    const json message{{"type", "chain"},
                       {"event", event.name},
                       {"blockNumber", block.number},
                       {"blockTime", block.timestamp},
                       {"transactionHash", to_hex(event.transaction_hash)},
                       {"args", event.args}};
    deliver(recipients, message.dump());
  }
}

void EventFeed::publish(const store::ExpiryRow& expiry, const std::vector<Address>& guardians) {
  std::vector<Address> recipients{expiry.patient, expiry.doctor};
  add_unique(recipients, guardians);
  const json message{
      {"type", "expiry"},
      {"kind", expiry.kind == store::ExpiryRow::Kind::kGrant ? "grant" : "emergency"},
      {"patient", eth::to_checksum(expiry.patient)},
      {"doctor", eth::to_checksum(expiry.doctor)},
      {"at", expiry.at}};
  deliver(recipients, message.dump());
}

void EventFeed::publish(const store::AuditEntry& entry, const std::vector<Address>& guardians) {
  std::vector<Address> recipients{entry.patient};
  add_unique(recipients, guardians);
  const json message{{"type", "audit"},
                     {"entry",
                      {{"seq", entry.seq},
                       {"at", entry.at},
                       {"actor", eth::to_checksum(entry.actor)},
                       {"action", entry.action},
                       {"subject", entry.subject},
                       {"patient", eth::to_checksum(entry.patient)},
                       {"allowed", entry.allowed},
                       {"hash", to_hex(entry.hash)}}}};
  deliver(recipients, message.dump());
}

}  // namespace medchain::api
