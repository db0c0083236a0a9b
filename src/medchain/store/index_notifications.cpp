// The inbox's part of the index: who each chain event concerns. A notification row is derived
// from an event like every other derived row (in the same transaction, rebuilt on a reorg), so
// an address that was offline, or a node that was down, misses nothing: the indexer replays the
// chain and the rows are there when the address next signs in.
#include <algorithm>
#include <medchain/core/hex.hpp>
#include <medchain/store/detail/index_rows.hpp>
#include <medchain/store/index_store.hpp>
#include <nlohmann/json.hpp>

namespace medchain::store {
namespace {

using nlohmann::json;

// The events that make an inbox item, and whom they concern: the patient's side (the patient
// and the guardians the patient has when the event happens), the doctor, or, for a recovery,
// the patient's side and the new address. `other` names the event's argument stored as the
// item's other party (the notification's `doctor` column).
enum class Side { kPatient, kDoctor, kPatientAndController };
struct Notifying {
  const char* event;
  const char* kind;
  Side side;
  const char* other = "doctor";
};
constexpr Notifying kNotifying[] = {
    {"AccessRequested", "access_requested", Side::kPatient},
    {"EmergencyAccessOpened", "emergency_opened", Side::kPatient},
    // An approval is followed by the AccessGranted that carries the terms: one item for both.
    {"AccessGranted", "access_granted", Side::kDoctor},
    {"RequestDenied", "request_denied", Side::kDoctor},
    {"AccessRevoked", "access_revoked", Side::kDoctor},
    // A recovery of the patient's account (Recovery's events): its proposal and readiness are
    // the patient's chance to cancel within the delay, so the patient's side hears of each step.
    {"RecoveryProposed", "recovery_proposed", Side::kPatientAndController, "controller"},
    {"RecoveryReady", "recovery_ready", Side::kPatientAndController, "controller"},
    {"RecoveryCancelled", "recovery_cancelled", Side::kPatient, "by"},
    {"RecoveryExecuted", "recovery_executed", Side::kPatientAndController, "controller"},
};

const Notifying* notifying(const std::string& event) {
  for (const Notifying& entry : kNotifying) {
    if (event == entry.event) return &entry;
  }
  return nullptr;
}

using detail::fixed;
using detail::unsigned_of;

}  // namespace

Status IndexStore::derive_notifications(const chain::IndexedEvent& event,
                                        std::uint64_t block_number) {
  const Notifying* entry = notifying(event.name);
  if (!entry) return {};
  std::string patient;
  std::string doctor;  // the other party
  try {
    patient = event.args.at("patient").get<std::string>();
    doctor = event.args.at(entry->other).get<std::string>();
  } catch (const json::exception& error) {
    return Error{Errc::kProtocol, "event " + event.name + " lacks a field: " + error.what()};
  }
  std::vector<std::string> recipients;
  if (entry->side == Side::kDoctor) {
    recipients.push_back(doctor);
  } else {
    recipients.push_back(patient);
    MEDCHAIN_TRY(auto guardians,
                 db_->query("SELECT guardian FROM guardians WHERE patient = ?", {patient}));
    for (const SqlRow& row : guardians) recipients.push_back(as_text(row[0]));
    if (entry->side == Side::kPatientAndController &&
        std::find(recipients.begin(), recipients.end(), doctor) == recipients.end()) {
      recipients.push_back(doctor);
    }
  }
  for (const std::string& recipient : recipients) {
    MEDCHAIN_TRY_STATUS(db_->execute(
        "INSERT INTO notifications (recipient, block_number, log_index, kind, patient, doctor) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {recipient, static_cast<std::int64_t>(block_number),
         static_cast<std::int64_t>(event.log_index), std::string(entry->kind), patient, doctor}));
  }
  return {};
}

Status IndexStore::backfill_notifications() {
  // Cheap on every open once done: the first query finds a row. An index with notifying events
  // but no notification at all was written before the inbox (every such event has a recipient).
  std::string names;
  for (const Notifying& entry : kNotifying) {
    names += std::string(names.empty() ? "'" : ", '") + entry.event + "'";
  }
  const auto needed = [&]() -> Result<bool> {
    MEDCHAIN_TRY(auto any, db_->query("SELECT 1 FROM notifications LIMIT 1"));
    if (!any.empty()) return false;
    MEDCHAIN_TRY(auto events,
                 db_->query("SELECT 1 FROM events WHERE name IN (" + names + ") LIMIT 1"));
    return !events.empty();
  };
  MEDCHAIN_TRY(bool backfill, needed());
  if (!backfill) return {};
  return db_->transaction([&]() -> Status {
    MEDCHAIN_TRY_STATUS(lock_writers());
    MEDCHAIN_TRY(bool still, needed());  // another connection may have done it meanwhile
    return still ? derive_all() : Status{};
  });
}

Result<std::vector<NotificationRow>> IndexStore::notifications_of(const Address& recipient) {
  MEDCHAIN_TRY(
      auto rows,
      db_->query("SELECT n.block_number, n.log_index, n.kind, n.patient, n.doctor, "
                 "COALESCE(b.timestamp, 0), e.args FROM notifications n "
                 "JOIN events e ON e.block_number = n.block_number AND e.log_index = n.log_index "
                 "LEFT JOIN blocks b ON b.number = n.block_number WHERE n.recipient = ? "
                 "ORDER BY n.block_number DESC, n.log_index DESC",
                 {to_hex(recipient)}));
  std::vector<NotificationRow> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    NotificationRow notification;
    notification.block_number = unsigned_of(row[0]);
    notification.log_index = unsigned_of(row[1]);
    notification.kind = as_text(row[2]);
    MEDCHAIN_TRY(notification.patient, fixed<Address>(row[3]));
    MEDCHAIN_TRY(notification.doctor, fixed<Address>(row[4]));
    notification.at = unsigned_of(row[5]);
    notification.args = as_text(row[6]);
    out.push_back(std::move(notification));
  }
  return out;
}

Result<std::vector<EndingGrantRow>> IndexStore::grants_ending_for(const Address& address,
                                                                  std::uint64_t after,
                                                                  std::uint64_t until) {
  const std::string who = to_hex(address);
  MEDCHAIN_TRY(
      auto rows,
      db_->query("SELECT g.patient, g.doctor, g.scope, g.permissions, g.expiry, "
                 "COALESCE(b.timestamp, 0) FROM grants g "
                 "LEFT JOIN blocks b ON b.number = g.block_number "
                 "WHERE (g.patient = ? OR g.doctor = ?) AND g.expiry > ? "
                 "AND g.expiry <= ? ORDER BY g.expiry DESC",
                 {who, who, static_cast<std::int64_t>(after), static_cast<std::int64_t>(until)}));
  std::vector<EndingGrantRow> out;
  for (const SqlRow& row : rows) {
    EndingGrantRow ending;
    MEDCHAIN_TRY(ending.grant.patient, fixed<Address>(row[0]));
    MEDCHAIN_TRY(ending.grant.doctor, fixed<Address>(row[1]));
    ending.grant.scope = static_cast<std::uint16_t>(as_int(row[2]));
    ending.grant.permissions = static_cast<std::uint8_t>(as_int(row[3]));
    ending.grant.expiry = unsigned_of(row[4]);
    ending.granted_at = unsigned_of(row[5]);
    out.push_back(ending);
  }
  return out;
}

}  // namespace medchain::store
