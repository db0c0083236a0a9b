#include <algorithm>
#include <medchain/core/hex.hpp>
#include <medchain/store/index_store.hpp>
#include <medchain/store/schema.hpp>

namespace medchain::store {
namespace {

using nlohmann::json;

// The derived tables, cleared and rebuilt after a rollback, with their keys (the dump's order).
struct TableKey {
  const char* table;
  const char* key;
};
const TableKey kDerivedTables[] = {
    {"registrars", "address"},
    {"doctors", "address"},
    {"storage_nodes", "node_id"},
    {"patients", "address"},
    {"guardians", "patient, guardian"},
    {"record_versions", "record_id, version"},
    {"requests", "request_id"},
    {"grants", "patient, doctor"},
    {"emergency_windows", "patient, doctor"},
    {"audit_anchors", "node_id, to_seq"},
    {"notifications", "recipient, block_number, log_index"},
    {"escrow_policies", "patient"},
    {"custodian_keys", "address"},
};
// What a dump shows of the chain tables: the checkpoint, the events and the blocks that have
// any (which empty blocks were kept as batch ends depends on when the indexer ran).
const TableKey kChainTables[] = {
    {"checkpoint", "id"},
    {"blocks WHERE number IN (SELECT block_number FROM events)", "number"},
    {"events", "block_number, log_index"}};

std::string text(const json& args, const char* key) {
  const json& value = args.at(key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  return value.dump();
}

std::int64_t integer(const json& args, const char* key) {
  const json& value = args.at(key);
  if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
  if (value.is_number_unsigned()) return static_cast<std::int64_t>(value.get<std::uint64_t>());
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return 0;
}

std::string hex_of(const Hash32& hash) {
  return to_hex(hash);
}

Result<Hash32> hash_of(const SqlValue& value) {
  auto parsed = from_hex_fixed<Hash32>(as_text(value));
  if (!parsed) return Error{Errc::kIo, "the index holds a malformed block hash"};
  return *parsed;
}

}  // namespace

Result<std::unique_ptr<IndexStore>> IndexStore::open(Database& database) {
  std::unique_ptr<IndexStore> store(new IndexStore(database));
  MEDCHAIN_TRY_STATUS(migrate(database));
  MEDCHAIN_TRY_STATUS(store->backfill_notifications());
  return store;
}

Result<std::optional<chain::BlockRef>> IndexStore::checkpoint() {
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query("SELECT number, hash FROM checkpoint"));
  if (rows.empty()) return std::optional<chain::BlockRef>();
  MEDCHAIN_TRY(Hash32 hash, hash_of(rows[0][1]));
  return std::optional<chain::BlockRef>(
      chain::BlockRef{static_cast<std::uint64_t>(as_int(rows[0][0])), hash});
}

Result<std::optional<Hash32>> IndexStore::block_hash(std::uint64_t number) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query("SELECT hash FROM blocks WHERE number = ?",
                                                    {static_cast<std::int64_t>(number)}));
  if (rows.empty()) return std::optional<Hash32>();
  MEDCHAIN_TRY(Hash32 hash, hash_of(rows[0][0]));
  return std::optional<Hash32>(hash);
}

Status IndexStore::apply(const std::vector<chain::IndexedBlock>& blocks) {
  if (blocks.empty()) return {};
  return db_->transaction([&]() -> Status {
    MEDCHAIN_TRY_STATUS(lock_writers());
    MEDCHAIN_TRY(std::optional<chain::BlockRef> current, checkpoint());
    for (const chain::IndexedBlock& block : blocks) {
      // Replaying what is already in is a no-op: the checkpoint says how far the index got.
      if (current && block.number <= current->number) continue;
      const auto number = static_cast<std::int64_t>(block.number);
      MEDCHAIN_TRY_STATUS(
          db_->execute("INSERT INTO blocks (number, hash, timestamp) VALUES (?, ?, ?)",
                       {number, hex_of(block.hash), static_cast<std::int64_t>(block.timestamp)}));
      for (const chain::IndexedEvent& event : block.events) {
        MEDCHAIN_TRY_STATUS(db_->execute(
            "INSERT INTO events (block_number, log_index, transaction_hash, name, args) "
            "VALUES (?, ?, ?, ?, ?)",
            {number, static_cast<std::int64_t>(event.log_index), hex_of(event.transaction_hash),
             event.name, event.args.dump()}));
        MEDCHAIN_TRY_STATUS(apply_event(event, block.number));
        MEDCHAIN_TRY_STATUS(derive_notifications(event, block.number));
      }
    }
    const chain::IndexedBlock& last = blocks.back();
    if (current && last.number <= current->number) return {};
    MEDCHAIN_TRY_STATUS(db_->execute("DELETE FROM checkpoint"));
    return db_->execute("INSERT INTO checkpoint (id, number, hash) VALUES (1, ?, ?)",
                        {static_cast<std::int64_t>(last.number), hex_of(last.hash)});
  });
}

Status IndexStore::lock_writers() {
  // Writers take turns, and each reads the checkpoint only once it holds the turn: a writer
  // that died with its COMMIT in flight (PostgreSQL finishes it) is never overtaken. SQLite's
  // BEGIN IMMEDIATE already is that turn.
  if (db_->dialect() != Database::Dialect::kPostgres) return {};
  return db_->execute("LOCK TABLE checkpoint IN EXCLUSIVE MODE");
}

Status IndexStore::rollback_to(std::uint64_t number) {
  const auto fork = static_cast<std::int64_t>(number);
  return db_->transaction([&]() -> Status {
    MEDCHAIN_TRY_STATUS(lock_writers());
    MEDCHAIN_TRY_STATUS(db_->execute("DELETE FROM events WHERE block_number > ?", {fork}));
    MEDCHAIN_TRY_STATUS(db_->execute("DELETE FROM blocks WHERE number > ?", {fork}));
    MEDCHAIN_TRY_STATUS(derive_all());
    MEDCHAIN_TRY_STATUS(db_->execute("DELETE FROM checkpoint"));
    MEDCHAIN_TRY(std::vector<SqlRow> rows,
                 db_->query("SELECT number, hash FROM blocks WHERE number = ?", {fork}));
    if (rows.empty()) return {};  // nothing known at the fork: the index starts over
    return db_->execute("INSERT INTO checkpoint (id, number, hash) VALUES (1, ?, ?)",
                        {rows[0][0], rows[0][1]});
  });
}

Status IndexStore::derive_all() {
  for (const TableKey& derived : kDerivedTables) {
    MEDCHAIN_TRY_STATUS(db_->execute(std::string("DELETE FROM ") + derived.table));
  }
  MEDCHAIN_TRY(
      std::vector<SqlRow> rows,
      db_->query("SELECT block_number, log_index, transaction_hash, name, args FROM events "
                 "ORDER BY block_number, log_index"));
  for (const SqlRow& row : rows) {
    chain::IndexedEvent event;
    event.log_index = static_cast<std::uint64_t>(as_int(row[1]));
    MEDCHAIN_TRY(event.transaction_hash, hash_of(row[2]));
    event.name = as_text(row[3]);
    event.args = json::parse(as_text(row[4]), nullptr, false);
    if (event.args.is_discarded()) return Error{Errc::kIo, "the index holds malformed event args"};
    const auto block_number = static_cast<std::uint64_t>(as_int(row[0]));
    MEDCHAIN_TRY_STATUS(apply_event(event, block_number));
    MEDCHAIN_TRY_STATUS(derive_notifications(event, block_number));
  }
  return {};
}

Status IndexStore::apply_event(const chain::IndexedEvent& event, std::uint64_t block_number) {
  const json& a = event.args;
  const std::string& name = event.name;
  const auto block = static_cast<std::int64_t>(block_number);
  try {
    if (name == "RegistrarSet") {
      if (integer(a, "enabled") != 0) {
        return db_->execute("INSERT INTO registrars (address) VALUES (?) ON CONFLICT DO NOTHING",
                            {text(a, "registrar")});
      }
      return db_->execute("DELETE FROM registrars WHERE address = ?", {text(a, "registrar")});
    }
    if (name == "DoctorVerified") {
      return db_->execute(
          "INSERT INTO doctors (address, status, license_hash, encryption_key, registrar) "
          "VALUES (?, 'verified', ?, ?, ?) ON CONFLICT (address) DO UPDATE SET "
          "status = 'verified', license_hash = excluded.license_hash, "
          "encryption_key = excluded.encryption_key, registrar = excluded.registrar",
          {text(a, "doctor"), text(a, "licenseHash"), text(a, "encryptionKey"),
           text(a, "registrar")});
    }
    if (name == "DoctorKeyRotated") {
      return db_->execute("UPDATE doctors SET encryption_key = ? WHERE address = ?",
                          {text(a, "encryptionKey"), text(a, "doctor")});
    }
    if (name == "DoctorSuspended" || name == "DoctorReinstated") {
      return db_->execute(
          "UPDATE doctors SET status = ? WHERE address = ?",
          {std::string(name == "DoctorSuspended" ? "suspended" : "verified"), text(a, "doctor")});
    }
    if (name == "StorageNodeRegistered") {
      return db_->execute(
          "INSERT INTO storage_nodes (node_id, operator, url) VALUES (?, ?, ?) "
          "ON CONFLICT (node_id) DO UPDATE SET operator = excluded.operator, url = excluded.url",
          {text(a, "nodeId"), text(a, "operator"), text(a, "url")});
    }
    if (name == "PatientRegistered") {
      return db_->execute(
          "INSERT INTO patients (address, encryption_key, emergency_allowed, "
          "max_emergency_window) VALUES (?, ?, 0, 0)",
          {text(a, "patient"), text(a, "encryptionKey")});
    }
    if (name == "PatientKeyRotated") {
      return db_->execute("UPDATE patients SET encryption_key = ? WHERE address = ?",
                          {text(a, "encryptionKey"), text(a, "patient")});
    }
    if (name == "EmergencyPolicySet") {
      MEDCHAIN_TRY_STATUS(
          db_->execute("UPDATE patients SET emergency_allowed = ?, max_emergency_window = ?, "
                       "emergency_cooldown = ? WHERE address = ?",
                       {integer(a, "allowed"), integer(a, "maxWindow"), integer(a, "cooldown"),
                        text(a, "patient")}));
      if (integer(a, "allowed") != 0) return {};
      // Turning the policy off ends every open window of the patient at once (the contract's
      // emergency epoch), without an EmergencyAccessEnded for each.
      return db_->execute("DELETE FROM emergency_windows WHERE patient = ?", {text(a, "patient")});
    }
    if (name == "ControllerSet") {
      // A recovery: the controller acts as the patient from now on; the patient's own key not.
      return db_->execute("UPDATE patients SET controller = ? WHERE address = ?",
                          {text(a, "controller"), text(a, "patient")});
    }
    if (name == "GuardianAdded") {
      return db_->execute(
          "INSERT INTO guardians (patient, guardian) VALUES (?, ?) ON CONFLICT DO NOTHING",
          {text(a, "patient"), text(a, "guardian")});
    }
    if (name == "GuardianRemoved") {
      return db_->execute("DELETE FROM guardians WHERE patient = ? AND guardian = ?",
                          {text(a, "patient"), text(a, "guardian")});
    }
    if (name == "RecordAdded" || name == "RecordUpdated") {
      const bool added = name == "RecordAdded";
      return db_->execute(
          "INSERT INTO record_versions (record_id, version, patient, author, previous_digest, "
          "digest, node_id, content_id, head, block_number, transaction_hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {text(a, "recordId"), added ? std::int64_t{1} : integer(a, "version"), text(a, "patient"),
           text(a, added ? "author" : "editor"),
           added ? SqlValue{} : SqlValue{text(a, "previousDigest")}, text(a, "digest"),
           text(a, "nodeId"), text(a, "contentId"), text(a, "head"), block,
           hex_of(event.transaction_hash)});
    }
    if (name == "AccessRequested") {
      return db_->execute(
          "INSERT INTO requests (request_id, patient, doctor, scope, permissions, duration, "
          "reason_hash, status, decided_by, block_number) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?)",
          {text(a, "requestId"), text(a, "patient"), text(a, "doctor"), integer(a, "scope"),
           integer(a, "permissions"), integer(a, "duration"), text(a, "reasonHash"), block});
    }
    if (name == "RequestApproved" || name == "RequestDenied" || name == "RequestCancelled") {
      const std::string status = name == "RequestApproved" ? "approved"
                                 : name == "RequestDenied" ? "denied"
                                                           : "cancelled";
      return db_->execute(
          "UPDATE requests SET status = ?, decided_by = ? WHERE request_id = ?",
          {status, a.contains("by") ? text(a, "by") : text(a, "doctor"), text(a, "requestId")});
    }
    if (name == "AccessGranted") {
      return db_->execute(
          "INSERT INTO grants (patient, doctor, scope, permissions, expiry, block_number) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient, doctor) DO UPDATE SET "
          "scope = excluded.scope, permissions = excluded.permissions, "
          "expiry = excluded.expiry, block_number = excluded.block_number",
          {text(a, "patient"), text(a, "doctor"), integer(a, "scope"), integer(a, "permissions"),
           integer(a, "expiry"), block});
    }
    if (name == "AccessRevoked") {
      // The contract's revoke also ends any emergency window of the doctor.
      MEDCHAIN_TRY_STATUS(db_->execute("DELETE FROM grants WHERE patient = ? AND doctor = ?",
                                       {text(a, "patient"), text(a, "doctor")}));
      return db_->execute("DELETE FROM emergency_windows WHERE patient = ? AND doctor = ?",
                          {text(a, "patient"), text(a, "doctor")});
    }
    if (name == "EmergencyAccessOpened") {
      return db_->execute(
          "INSERT INTO emergency_windows (patient, doctor, until, reason_code) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (patient, doctor) DO UPDATE SET until = excluded.until, "
          "reason_code = excluded.reason_code",
          {text(a, "patient"), text(a, "doctor"), integer(a, "until"), integer(a, "reasonCode")});
    }
    if (name == "EmergencyAccessEnded") {
      return db_->execute("DELETE FROM emergency_windows WHERE patient = ? AND doctor = ?",
                          {text(a, "patient"), text(a, "doctor")});
    }
    if (name == "AuditAnchored") {
      return db_->execute(
          "INSERT INTO audit_anchors (node_id, from_seq, to_seq, merkle_root, block_number) "
          "VALUES (?, ?, ?, ?, ?)",
          {text(a, "nodeId"), integer(a, "fromSeq"), integer(a, "toSeq"), text(a, "merkleRoot"),
           block});
    }
    if (name == "EscrowPolicySet") {
      if (text(a, "policyHash") == to_hex(Hash32{})) {
        return db_->execute("DELETE FROM escrow_policies WHERE patient = ?", {text(a, "patient")});
      }
      return db_->execute(
          "INSERT INTO escrow_policies (patient, policy_hash) VALUES (?, ?) "
          "ON CONFLICT (patient) DO UPDATE SET policy_hash = excluded.policy_hash",
          {text(a, "patient"), text(a, "policyHash")});
    }
    if (name == "CustodianKeySet") {
      return db_->execute(
          "INSERT INTO custodian_keys (address, encryption_key) VALUES (?, ?) "
          "ON CONFLICT (address) DO UPDATE SET encryption_key = excluded.encryption_key",
          {text(a, "custodian"), text(a, "encryptionKey")});
    }
    return {};  // BatchEntryFailed and events of later versions change no derived state
  } catch (const json::exception& error) {
    return Error{Errc::kProtocol, "event " + name + " lacks a field: " + error.what()};
  }
}

Result<std::optional<GrantRow>> IndexStore::grant(const Address& patient, const Address& doctor) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query("SELECT scope, permissions, expiry FROM grants "
                                                    "WHERE patient = ? AND doctor = ?",
                                                    {to_hex(patient), to_hex(doctor)}));
  if (rows.empty()) return std::optional<GrantRow>();
  return std::optional<GrantRow>(GrantRow{static_cast<std::uint16_t>(as_int(rows[0][0])),
                                          static_cast<std::uint8_t>(as_int(rows[0][1])),
                                          static_cast<std::uint64_t>(as_int(rows[0][2]))});
}

Result<Roles> IndexStore::roles(const Address& address) {
  const std::string who = to_hex(address);
  // One statement, as this runs on every GET /v1/me: a row with the three single-row lookups
  // (kind 0), a row per ward (kind 1) and a row per patient it controls since a recovery (kind 2),
  // in no particular order (sorted here, not by a sorter in the database).
  MEDCHAIN_TRY(auto rows,
               db_->query("SELECT 0, "
                          "(SELECT COUNT(*) FROM patients WHERE address = ?), "
                          "(SELECT status FROM doctors WHERE address = ?), "
                          "(SELECT COUNT(*) FROM registrars WHERE address = ?) "
                          "UNION ALL "
                          "SELECT 1, NULL, patient, NULL FROM guardians WHERE guardian = ? "
                          "UNION ALL "
                          "SELECT 2, NULL, address, NULL FROM patients WHERE controller = ?",
                          {who, who, who, who, who}));
  Roles roles;
  bool answered = false;
  for (const SqlRow& row : rows) {
    if (as_int(row[0]) == 0) {
      answered = true;
      roles.patient = as_int(row[1]) != 0;
      roles.doctor = as_text(row[2]);
      roles.registrar = as_int(row[3]) != 0;
      continue;
    }
    auto ward = from_hex_fixed<Address>(as_text(row[2]));
    if (!ward) return Error{Errc::kIo, "the index holds a malformed guardian or controller row"};
    (as_int(row[0]) == 1 ? roles.guardian_of : roles.controller_of).push_back(*ward);
  }
  if (!answered) return Error{Errc::kIo, "the roles query answered without its first row"};
  std::sort(roles.guardian_of.begin(), roles.guardian_of.end());
  std::sort(roles.controller_of.begin(), roles.controller_of.end());
  return roles;
}

namespace {
constexpr std::uint8_t kCategoryCount = 12;  // Scopes.CATEGORY_COUNT
constexpr std::int64_t kRead = 1;            // Scopes.READ
constexpr std::int64_t kAppend = 2;          // Scopes.APPEND
}  // namespace

Result<ReadAccess> IndexStore::read_access(const Address& patient, const Address& caller,
                                           std::uint8_t category, std::uint64_t now) {
  const std::string patient_hex = to_hex(patient);
  const std::string caller_hex = to_hex(caller);
  if (category >= kCategoryCount) return ReadAccess::kDenied;
  MEDCHAIN_TRY(Address acting, acting_patient(patient));
  if (acting == caller) return ReadAccess::kPatient;
  MEDCHAIN_TRY(auto guardian,
               db_->query("SELECT 1 FROM guardians WHERE patient = ? AND guardian = ?",
                          {patient_hex, caller_hex}));
  if (!guardian.empty()) return ReadAccess::kGuardian;
  MEDCHAIN_TRY(auto doctor,
               db_->query("SELECT status FROM doctors WHERE address = ?", {caller_hex}));
  if (doctor.empty() || as_text(doctor[0][0]) != "verified") return ReadAccess::kDenied;
  const auto at = static_cast<std::int64_t>(now);
  MEDCHAIN_TRY(auto emergency,
               db_->query("SELECT 1 FROM emergency_windows WHERE patient = ? AND doctor = ? "
                          "AND until > ?",
                          {patient_hex, caller_hex, at}));
  if (!emergency.empty()) return ReadAccess::kEmergency;
  MEDCHAIN_TRY(auto grant, db_->query("SELECT scope, permissions FROM grants WHERE patient = ? "
                                      "AND doctor = ? AND expiry > ?",
                                      {patient_hex, caller_hex, at}));
  if (grant.empty()) return ReadAccess::kDenied;
  const std::int64_t scope = as_int(grant[0][0]);
  const std::int64_t permissions = as_int(grant[0][1]);
  const bool covered = (permissions & kRead) != 0 && ((scope >> category) & 1) != 0;
  return covered ? ReadAccess::kGrant : ReadAccess::kDenied;
}

Result<Address> IndexStore::acting_patient(const Address& patient) {
  MEDCHAIN_TRY(auto rows,
               db_->query("SELECT controller FROM patients WHERE address = ?", {to_hex(patient)}));
  if (rows.empty() || as_text(rows[0][0]).empty()) return patient;
  auto controller = from_hex_fixed<Address>(as_text(rows[0][0]));
  if (!controller) return Error{Errc::kIo, "the index holds a malformed controller"};
  return *controller;
}

Result<bool> IndexStore::acts_as_patient(const Address& patient, const Address& address) {
  MEDCHAIN_TRY(Address acting, acting_patient(patient));
  return acting == address;
}

Result<bool> IndexStore::manages(const Address& patient, const Address& address) {
  MEDCHAIN_TRY(bool acts, acts_as_patient(patient, address));
  if (acts) return true;
  MEDCHAIN_TRY(auto guardian,
               db_->query("SELECT 1 FROM guardians WHERE patient = ? AND guardian = ?",
                          {to_hex(patient), to_hex(address)}));
  return !guardian.empty();
}

Result<bool> IndexStore::may_append(const Address& patient, const Address& caller,
                                    std::uint64_t now) {
  MEDCHAIN_TRY(bool managed, manages(patient, caller));
  if (managed) return true;
  const std::string patient_hex = to_hex(patient);
  const std::string caller_hex = to_hex(caller);
  MEDCHAIN_TRY(
      auto rows,
      db_->query("SELECT g.permissions FROM grants g JOIN doctors d ON d.address = g.doctor "
                 "WHERE g.patient = ? AND g.doctor = ? AND g.expiry > ? "
                 "AND d.status = 'verified'",
                 {patient_hex, caller_hex, static_cast<std::int64_t>(now)}));
  return !rows.empty() && (as_int(rows[0][0]) & kAppend) != 0;
}

Result<std::uint64_t> IndexStore::event_count() {
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query("SELECT COUNT(*) FROM events"));
  return static_cast<std::uint64_t>(as_int(rows[0][0]));
}

Result<std::string> IndexStore::dump() {
  std::string out;
  const auto dump_table = [&](const TableKey& table) -> Status {
    MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query(std::string("SELECT * FROM ") + table.table +
                                                      " ORDER BY " + table.key));
    for (const SqlRow& row : rows) {
      const std::string_view source = table.table;
      out += source.substr(0, source.find(' '));  // the table's name
      for (const SqlValue& value : row) {
        out += '|';
        if (std::holds_alternative<std::int64_t>(value)) {
          out += std::to_string(as_int(value));
        } else if (std::holds_alternative<std::string>(value)) {
          out += as_text(value);
        } else {
          out += "NULL";
        }
      }
      out += '\n';
    }
    return {};
  };
  for (const TableKey& table : kChainTables) MEDCHAIN_TRY_STATUS(dump_table(table));
  for (const TableKey& table : kDerivedTables) MEDCHAIN_TRY_STATUS(dump_table(table));
  return out;
}

}  // namespace medchain::store
