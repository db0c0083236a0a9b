// The real-time feed behind GET /v1/events: every change goes, as it is indexed, to the
// WebSocket sessions of the people it concerns and to no one else. A chain event concerns the
// parties it names (patient, doctor, guardian, author, registrar, ...) and the guardians of its
// patient; an audit entry (a read of a record, or a refused attempt) concerns the patient and
// the patient's guardians.
#pragma once

#include <functional>
#include <map>
#include <medchain/api/http_server.hpp>
#include <medchain/chain/indexer.hpp>
#include <medchain/store/index_views.hpp>
#include <medchain/store/node_store.hpp>
#include <mutex>

namespace medchain::api {

class EventFeed {
 public:
  using GuardiansOf = std::function<Result<std::vector<Address>>(const Address& patient)>;

  // Registers a WebSocket of `session` (its caller, its token's hash, its absolute expiry);
  // returns its id for detach.
  std::uint64_t attach(const store::Session& session, std::shared_ptr<WebSocketPeer> peer);
  void detach(std::uint64_t id);
  std::size_t sessions() const;

  // Closes every WebSocket opened with the session whose token hashes to `token_hash`: a
  // logout ends the feed too, not only later requests.
  void end_session(const Hash32& token_hash);
  // Closes the WebSockets whose session expired by `now` (Unix seconds).
  void end_expired(std::uint64_t now);

  // Sends each event of `block` to the sessions it concerns.
  void publish(const chain::IndexedBlock& block, const GuardiansOf& guardians_of);
  // Sends "this grant (or emergency window) has ended" to its patient, doctor and `guardians`.
  void publish(const store::ExpiryRow& expiry, const std::vector<Address>& guardians);
  // Sends an audit entry to the sessions of its patient and `guardians`.
  void publish(const store::AuditEntry& entry, const std::vector<Address>& guardians);

 private:
  void deliver(const std::vector<Address>& recipients, const std::string& message);

  struct Session {
    Address who;
    Hash32 token_hash;
    std::uint64_t expires_at = 0;
    std::shared_ptr<WebSocketPeer> peer;
  };
  // Closes (outside the lock) the sockets of the sessions `ended` picks.
  void close_where(const std::function<bool(const Session&)>& ended);
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Session> sessions_;
};

}  // namespace medchain::api
