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

  // Registers a session of `who`; returns its id for detach.
  std::uint64_t attach(const Address& who, std::shared_ptr<WebSocketPeer> peer);
  void detach(std::uint64_t id);
  std::size_t sessions() const;

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
    std::shared_ptr<WebSocketPeer> peer;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Session> sessions_;
};

}  // namespace medchain::api
