// IndexStore's read views for the API (index_views.hpp).
#include <medchain/core/hex.hpp>
#include <medchain/store/detail/index_rows.hpp>
#include <medchain/store/index_store.hpp>

namespace medchain::store {
namespace {

using detail::fixed;
using detail::unsigned_of;

// With the time of the version's block (kept: every block with an event is).
constexpr const char* kVersionColumns =
    "SELECT record_id, version, patient, author, previous_digest, digest, node_id, content_id, "
    "block_number, transaction_hash, head, COALESCE(blocks.timestamp, 0) FROM record_versions "
    "LEFT JOIN blocks ON blocks.number = record_versions.block_number ";

Result<RecordVersionRow> version_of(const SqlRow& row) {
  RecordVersionRow out;
  MEDCHAIN_TRY(out.record_id, fixed<Hash32>(row[0]));
  out.version = unsigned_of(row[1]);
  MEDCHAIN_TRY(out.patient, fixed<Address>(row[2]));
  MEDCHAIN_TRY(out.author, fixed<Address>(row[3]));
  if (!as_text(row[4]).empty()) {
    MEDCHAIN_TRY(Hash32 previous, fixed<Hash32>(row[4]));
    // Version 1 links to nothing: the contract stores a zero digest.
    if (previous != Hash32{}) out.previous_digest = previous;
  }
  MEDCHAIN_TRY(out.digest, fixed<Hash32>(row[5]));
  MEDCHAIN_TRY(out.node_id, fixed<Hash32>(row[6]));
  MEDCHAIN_TRY(out.content_id, fixed<Hash32>(row[7]));
  out.block_number = unsigned_of(row[8]);
  MEDCHAIN_TRY(out.transaction_hash, fixed<Hash32>(row[9]));
  MEDCHAIN_TRY(out.head, fixed<Hash32>(row[10]));
  out.block_time = unsigned_of(row[11]);
  return out;
}

Result<std::vector<RecordVersionRow>> versions_of(const std::vector<SqlRow>& rows) {
  std::vector<RecordVersionRow> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(RecordVersionRow version, version_of(row));
    out.push_back(std::move(version));
  }
  return out;
}

Result<std::vector<GrantView>> grants_of(const std::vector<SqlRow>& rows) {
  std::vector<GrantView> out;
  for (const SqlRow& row : rows) {
    GrantView grant;
    MEDCHAIN_TRY(grant.patient, fixed<Address>(row[0]));
    MEDCHAIN_TRY(grant.doctor, fixed<Address>(row[1]));
    grant.scope = static_cast<std::uint16_t>(as_int(row[2]));
    grant.permissions = static_cast<std::uint8_t>(as_int(row[3]));
    grant.expiry = unsigned_of(row[4]);
    out.push_back(grant);
  }
  return out;
}

Result<std::vector<RequestRow>> requests_of(const std::vector<SqlRow>& rows) {
  std::vector<RequestRow> out;
  for (const SqlRow& row : rows) {
    RequestRow request;
    request.request_id = as_text(row[0]);
    MEDCHAIN_TRY(request.patient, fixed<Address>(row[1]));
    MEDCHAIN_TRY(request.doctor, fixed<Address>(row[2]));
    request.scope = static_cast<std::uint16_t>(as_int(row[3]));
    request.permissions = static_cast<std::uint8_t>(as_int(row[4]));
    request.duration = unsigned_of(row[5]);
    MEDCHAIN_TRY(request.reason_hash, fixed<Hash32>(row[6]));
    request.status = as_text(row[7]);
    out.push_back(request);
  }
  return out;
}

constexpr const char* kGrantColumns =
    "SELECT patient, doctor, scope, permissions, expiry FROM grants ";
constexpr const char* kRequestColumns =
    "SELECT request_id, patient, doctor, scope, permissions, duration, reason_hash, status "
    "FROM requests ";

}  // namespace

Result<std::optional<PatientRow>> IndexStore::patient(const Address& address) {
  const std::string who = to_hex(address);
  MEDCHAIN_TRY(auto rows, db_->query("SELECT encryption_key, emergency_allowed, "
                                     "max_emergency_window, emergency_cooldown FROM patients "
                                     "WHERE address = ?",
                                     {who}));
  if (rows.empty()) return std::optional<PatientRow>();
  PatientRow patient;
  patient.address = address;
  MEDCHAIN_TRY(patient.encryption_key, fixed<Hash32>(rows[0][0]));
  patient.emergency_allowed = as_int(rows[0][1]) != 0;
  patient.max_emergency_window = unsigned_of(rows[0][2]);
  patient.emergency_cooldown = unsigned_of(rows[0][3]);
  MEDCHAIN_TRY(auto guardians, db_->query("SELECT guardian FROM guardians WHERE patient = ? "
                                          "ORDER BY guardian",
                                          {who}));
  for (const SqlRow& row : guardians) {
    MEDCHAIN_TRY(Address guardian, fixed<Address>(row[0]));
    patient.guardians.push_back(guardian);
  }
  return std::optional<PatientRow>(std::move(patient));
}

Result<std::vector<DoctorRow>> IndexStore::doctors(const std::string& status) {
  MEDCHAIN_TRY(auto rows,
               status.empty()
                   ? db_->query("SELECT address, status, license_hash, encryption_key FROM "
                                "doctors ORDER BY address")
                   : db_->query("SELECT address, status, license_hash, encryption_key FROM "
                                "doctors WHERE status = ? ORDER BY address",
                                {status}));
  std::vector<DoctorRow> out;
  for (const SqlRow& row : rows) {
    DoctorRow doctor;
    MEDCHAIN_TRY(doctor.address, fixed<Address>(row[0]));
    doctor.status = as_text(row[1]);
    MEDCHAIN_TRY(doctor.license_hash, fixed<Hash32>(row[2]));
    MEDCHAIN_TRY(doctor.encryption_key, fixed<Hash32>(row[3]));
    out.push_back(std::move(doctor));
  }
  return out;
}

Result<std::optional<DoctorRow>> IndexStore::doctor(const Address& address) {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT address, status, license_hash, encryption_key FROM "
                                     "doctors WHERE address = ?",
                                     {to_hex(address)}));
  if (rows.empty()) return std::optional<DoctorRow>();
  DoctorRow doctor;
  MEDCHAIN_TRY(doctor.address, fixed<Address>(rows[0][0]));
  doctor.status = as_text(rows[0][1]);
  MEDCHAIN_TRY(doctor.license_hash, fixed<Hash32>(rows[0][2]));
  MEDCHAIN_TRY(doctor.encryption_key, fixed<Hash32>(rows[0][3]));
  return std::optional<DoctorRow>(std::move(doctor));
}

Result<std::optional<Hash32>> IndexStore::escrow_policy_hash(const Address& patient) {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT policy_hash FROM escrow_policies WHERE patient = ?",
                                     {to_hex(patient)}));
  if (rows.empty()) return std::optional<Hash32>();
  MEDCHAIN_TRY(Hash32 hash, fixed<Hash32>(rows[0][0]));
  return std::optional<Hash32>(hash);
}

Result<std::optional<Hash32>> IndexStore::custodian_key(const Address& custodian) {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT encryption_key FROM custodian_keys WHERE address = ?",
                                     {to_hex(custodian)}));
  if (rows.empty()) return std::optional<Hash32>();
  MEDCHAIN_TRY(Hash32 key, fixed<Hash32>(rows[0][0]));
  return std::optional<Hash32>(key);
}

namespace {

Result<StorageNodeRow> storage_node_row(const SqlRow& row) {
  StorageNodeRow node;
  MEDCHAIN_TRY(node.node_id, fixed<Hash32>(row[0]));
  MEDCHAIN_TRY(node.operator_address, fixed<Address>(row[1]));
  node.url = as_text(row[2]);
  return node;
}

}  // namespace

Result<std::optional<StorageNodeRow>> IndexStore::storage_node(const Hash32& node_id) {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT node_id, operator, url FROM storage_nodes WHERE "
                                     "node_id = ?",
                                     {to_hex(node_id)}));
  if (rows.empty()) return std::optional<StorageNodeRow>();
  MEDCHAIN_TRY(StorageNodeRow node, storage_node_row(rows[0]));
  return std::optional<StorageNodeRow>(std::move(node));
}

Result<std::vector<StorageNodeRow>> IndexStore::storage_nodes() {
  MEDCHAIN_TRY(auto rows,
               db_->query("SELECT node_id, operator, url FROM storage_nodes ORDER BY node_id", {}));
  std::vector<StorageNodeRow> nodes;
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(StorageNodeRow node, storage_node_row(row));
    nodes.push_back(std::move(node));
  }
  return nodes;
}

Result<bool> IndexStore::emergency_open(const Address& patient, const Address& doctor,
                                        std::uint64_t now) {
  MEDCHAIN_TRY(auto rows,
               db_->query("SELECT 1 FROM emergency_windows w JOIN doctors d ON d.address = "
                          "w.doctor WHERE w.patient = ? AND w.doctor = ? AND w.until > ? AND "
                          "d.status = 'verified'",
                          {to_hex(patient), to_hex(doctor), static_cast<std::int64_t>(now)}));
  return !rows.empty();
}

Result<std::vector<RecordVersionRow>> IndexStore::record_versions_of_patient(
    const Address& patient) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kVersionColumns) +
                                         "WHERE patient = ? ORDER BY block_number, record_id, "
                                         "version",
                                     {to_hex(patient)}));
  return versions_of(rows);
}

Result<std::vector<RecordVersionRow>> IndexStore::record_versions(const Hash32& record_id) {
  MEDCHAIN_TRY(auto rows,
               db_->query(std::string(kVersionColumns) + "WHERE record_id = ? ORDER BY version",
                          {to_hex(record_id)}));
  return versions_of(rows);
}

Result<std::vector<RecordVersionRow>> IndexStore::record_versions_on_node(const Hash32& node_id) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kVersionColumns) +
                                         "WHERE node_id = ? ORDER BY block_number, record_id, "
                                         "version",
                                     {to_hex(node_id)}));
  return versions_of(rows);
}

Result<std::vector<RecordVersionRow>> IndexStore::record_versions_with_digest(
    const Hash32& digest) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kVersionColumns) +
                                         "WHERE digest = ? ORDER BY block_number, record_id, "
                                         "version",
                                     {to_hex(digest)}));
  return versions_of(rows);
}

Result<std::vector<RecordVersionRow>> IndexStore::record_versions_after_block(std::uint64_t block) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kVersionColumns) +
                                         "WHERE block_number > ? ORDER BY block_number, "
                                         "record_id, version",
                                     {static_cast<std::int64_t>(block)}));
  return versions_of(rows);
}

Result<std::vector<GrantView>> IndexStore::grants_of_patient(const Address& patient) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kGrantColumns) +
                                         "WHERE patient = ? ORDER BY block_number, doctor",
                                     {to_hex(patient)}));
  return grants_of(rows);
}

Result<std::vector<GrantView>> IndexStore::grants_of_doctor(const Address& doctor) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kGrantColumns) +
                                         "WHERE doctor = ? ORDER BY block_number, patient",
                                     {to_hex(doctor)}));
  return grants_of(rows);
}

Result<std::vector<RequestRow>> IndexStore::requests_of_patient(const Address& patient) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kRequestColumns) +
                                         "WHERE patient = ? ORDER BY block_number, request_id",
                                     {to_hex(patient)}));
  return requests_of(rows);
}

Result<std::vector<RequestRow>> IndexStore::requests_of_doctor(const Address& doctor) {
  MEDCHAIN_TRY(auto rows, db_->query(std::string(kRequestColumns) +
                                         "WHERE doctor = ? ORDER BY block_number, request_id",
                                     {to_hex(doctor)}));
  return requests_of(rows);
}

Result<std::vector<EmergencyRow>> IndexStore::emergency_windows_of_patient(const Address& patient) {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT patient, doctor, until, reason_code FROM "
                                     "emergency_windows WHERE patient = ? ORDER BY doctor",
                                     {to_hex(patient)}));
  std::vector<EmergencyRow> out;
  for (const SqlRow& row : rows) {
    EmergencyRow window;
    MEDCHAIN_TRY(window.patient, fixed<Address>(row[0]));
    MEDCHAIN_TRY(window.doctor, fixed<Address>(row[1]));
    window.until = unsigned_of(row[2]);
    window.reason_code = static_cast<std::uint8_t>(as_int(row[3]));
    out.push_back(window);
  }
  return out;
}

Result<std::optional<AuditAnchorRow>> IndexStore::audit_anchor(const Hash32& node_id,
                                                               std::uint64_t seq) {
  const auto at = static_cast<std::int64_t>(seq);
  MEDCHAIN_TRY(auto rows, db_->query("SELECT from_seq, to_seq, merkle_root, block_number FROM "
                                     "audit_anchors WHERE node_id = ? AND from_seq <= ? AND "
                                     "to_seq >= ?",
                                     {to_hex(node_id), at, at}));
  if (rows.empty()) return std::optional<AuditAnchorRow>();
  AuditAnchorRow anchor;
  anchor.node_id = node_id;
  anchor.from_seq = unsigned_of(rows[0][0]);
  anchor.to_seq = unsigned_of(rows[0][1]);
  MEDCHAIN_TRY(anchor.merkle_root, fixed<Hash32>(rows[0][2]));
  anchor.block_number = unsigned_of(rows[0][3]);
  return std::optional<AuditAnchorRow>(anchor);
}

Result<std::vector<ExpiryRow>> IndexStore::expiring(std::uint64_t after, std::uint64_t until) {
  const auto from = static_cast<std::int64_t>(after);
  const auto to = static_cast<std::int64_t>(until);
  MEDCHAIN_TRY(auto rows,
               db_->query("SELECT 0, patient, doctor, expiry FROM grants WHERE expiry > ? "
                          "AND expiry <= ? UNION ALL SELECT 1, patient, doctor, until "
                          "FROM emergency_windows WHERE until > ? AND until <= ? "
                          "ORDER BY 4",
                          {from, to, from, to}));
  std::vector<ExpiryRow> out;
  for (const SqlRow& row : rows) {
    ExpiryRow expiry;
    expiry.kind = as_int(row[0]) == 0 ? ExpiryRow::Kind::kGrant : ExpiryRow::Kind::kEmergency;
    MEDCHAIN_TRY(expiry.patient, fixed<Address>(row[1]));
    MEDCHAIN_TRY(expiry.doctor, fixed<Address>(row[2]));
    expiry.at = unsigned_of(row[3]);
    out.push_back(expiry);
  }
  return out;
}

Result<std::uint64_t> IndexStore::latest_block_time() {
  MEDCHAIN_TRY(auto rows, db_->query("SELECT timestamp FROM blocks ORDER BY number DESC LIMIT 1"));
  return rows.empty() ? std::uint64_t{0} : unsigned_of(rows[0][0]);
}

}  // namespace medchain::store
