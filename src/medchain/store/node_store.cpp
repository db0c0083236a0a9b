#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/store/node_store.hpp>
#include <medchain/store/schema.hpp>

namespace medchain::store {
namespace {

std::int64_t sql_int(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}
std::uint64_t row_uint(const SqlValue& value) {
  return static_cast<std::uint64_t>(as_int(value));
}

// A category signature as stored: hex, or "" for none.
std::string signature_text(const Bytes& signature) {
  return signature.empty() ? std::string() : to_hex(signature);
}

Error damaged(const char* what) {
  return Error{Errc::kIo, std::string("the node store holds a malformed ") + what};
}

template <class T>
Result<T> fixed(const SqlValue& value, const char* what) {
  auto parsed = from_hex_fixed<T>(as_text(value));
  if (!parsed) return damaged(what);
  return *parsed;
}

void append_u64(Bytes& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> shift));
}

void append_text(Bytes& out, const std::string& text) {
  const auto size = static_cast<std::uint32_t>(text.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(size >> shift));
  out.insert(out.end(), text.begin(), text.end());
}

Result<AuditEntry> audit_from_row(const SqlRow& row) {
  AuditEntry entry;
  entry.seq = row_uint(row[0]);
  entry.at = row_uint(row[1]);
  MEDCHAIN_TRY(entry.actor, fixed<Address>(row[2], "audit actor"));
  entry.action = as_text(row[3]);
  entry.subject = as_text(row[4]);
  MEDCHAIN_TRY(entry.patient, fixed<Address>(row[5], "audit patient"));
  entry.allowed = as_int(row[6]) != 0;
  MEDCHAIN_TRY(entry.hash, fixed<Hash32>(row[7], "audit hash"));
  return entry;
}

constexpr const char* kAuditColumns =
    "SELECT seq, at, actor, action, subject, patient, allowed, hash FROM audit_log ";

}  // namespace

Result<std::unique_ptr<NodeStore>> NodeStore::open(Database& database) {
  MEDCHAIN_TRY_STATUS(migrate(database));
  return std::unique_ptr<NodeStore>(new NodeStore(database));
}

Status NodeStore::put_wrapped_key(const WrappedKey& key) {
  return db_->execute(
      "INSERT INTO wrapped_keys (record_id, version, recipient, sealed_key, uploaded_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, version, recipient) DO "
      "UPDATE SET sealed_key = excluded.sealed_key, uploaded_by = excluded.uploaded_by, "
      "created_at = excluded.created_at",
      {to_hex(key.record_id), sql_int(key.version), to_hex(key.recipient), to_hex(key.sealed_key),
       to_hex(key.uploaded_by), sql_int(key.created_at)});
}

namespace {

// The columns wrapped_key_from reads, in its order.
constexpr const char* kWrappedKeyColumns = "recipient, sealed_key, uploaded_by, created_at";

Result<WrappedKey> wrapped_key_from(const SqlRow& row, const Hash32& record_id,
                                    std::uint64_t version) {
  MEDCHAIN_TRY(Address recipient, fixed<Address>(row[0], "recipient"));
  auto sealed = from_hex(as_text(row[1]));
  if (!sealed) return damaged("sealed key");
  MEDCHAIN_TRY(Address uploader, fixed<Address>(row[2], "uploader"));
  return WrappedKey{record_id, version, recipient, std::move(*sealed), uploader, row_uint(row[3])};
}

}  // namespace

Result<std::optional<WrappedKey>> NodeStore::wrapped_key(const Hash32& record_id,
                                                         std::uint64_t version,
                                                         const Address& recipient) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string("SELECT ") + kWrappedKeyColumns +
                              " FROM wrapped_keys WHERE record_id = ? AND version = ? AND "
                              "recipient = ?",
                          {to_hex(record_id), sql_int(version), to_hex(recipient)}));
  if (rows.empty()) return std::optional<WrappedKey>();
  MEDCHAIN_TRY(WrappedKey key, wrapped_key_from(rows[0], record_id, version));
  return std::optional<WrappedKey>(std::move(key));
}

Result<std::vector<WrappedKey>> NodeStore::wrapped_keys(const Hash32& record_id,
                                                        std::uint64_t version) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string("SELECT ") + kWrappedKeyColumns +
                              " FROM wrapped_keys WHERE record_id = ? AND version = ? "
                              "ORDER BY recipient",
                          {to_hex(record_id), sql_int(version)}));
  std::vector<WrappedKey> keys;
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(WrappedKey key, wrapped_key_from(row, record_id, version));
    keys.push_back(std::move(key));
  }
  return keys;
}

Status NodeStore::put_summary(const SealedSummary& summary) {
  return db_->execute(
      "INSERT INTO record_summaries (record_id, version, sealed_summary, uploaded_by, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id, version) DO UPDATE SET "
      "sealed_summary = excluded.sealed_summary, uploaded_by = excluded.uploaded_by, "
      "created_at = excluded.created_at",
      {to_hex(summary.record_id), sql_int(summary.version), to_hex(summary.sealed_summary),
       to_hex(summary.uploaded_by), sql_int(summary.created_at)});
}

Result<std::optional<SealedSummary>> NodeStore::summary(const Hash32& record_id,
                                                        std::uint64_t version) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT sealed_summary, uploaded_by, created_at FROM record_summaries "
                          "WHERE record_id = ? AND version = ?",
                          {to_hex(record_id), sql_int(version)}));
  if (rows.empty()) return std::optional<SealedSummary>();
  auto sealed = from_hex(as_text(rows[0][0]));
  if (!sealed) return damaged("sealed summary");
  MEDCHAIN_TRY(Address uploader, fixed<Address>(rows[0][1], "uploader"));
  return std::optional<SealedSummary>(
      SealedSummary{record_id, version, std::move(*sealed), uploader, row_uint(rows[0][2])});
}

Status NodeStore::put_reason_note(const ReasonNote& note) {
  return db_->execute(
      "INSERT INTO reason_notes (doctor, reason_hash, patient, sealed_note, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (doctor, reason_hash) DO UPDATE SET "
      "patient = excluded.patient, sealed_note = excluded.sealed_note, "
      "created_at = excluded.created_at",
      {to_hex(note.doctor), to_hex(note.reason_hash), to_hex(note.patient),
       to_hex(note.sealed_note), sql_int(note.created_at)});
}

Result<std::optional<ReasonNote>> NodeStore::reason_note(const Address& doctor,
                                                         const Hash32& reason_hash) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT patient, sealed_note, created_at FROM reason_notes "
                          "WHERE doctor = ? AND reason_hash = ?",
                          {to_hex(doctor), to_hex(reason_hash)}));
  if (rows.empty()) return std::optional<ReasonNote>();
  MEDCHAIN_TRY(Address patient, fixed<Address>(rows[0][0], "reason note patient"));
  auto sealed = from_hex(as_text(rows[0][1]));
  if (!sealed) return damaged("sealed reason note");
  return std::optional<ReasonNote>(
      ReasonNote{doctor, reason_hash, patient, std::move(*sealed), row_uint(rows[0][2])});
}

namespace {

constexpr const char* kProfileColumns =
    "SELECT doctor, name, specialty, institution, issued_at, signature, signer, stored_at "
    "FROM doctor_profiles ";

Result<DoctorProfileRow> profile_from_row(const SqlRow& row) {
  MEDCHAIN_TRY(Address doctor, fixed<Address>(row[0], "profile doctor"));
  auto signature = from_hex(as_text(row[5]));
  if (!signature) return damaged("profile signature");
  MEDCHAIN_TRY(Address signer, fixed<Address>(row[6], "profile signer"));
  return DoctorProfileRow{doctor,          as_text(row[1]),  as_text(row[2]),
                          as_text(row[3]), row_uint(row[4]), std::move(*signature),
                          signer,          row_uint(row[7])};
}

}  // namespace

Result<bool> NodeStore::put_doctor_profile(const DoctorProfileRow& profile) {
  MEDCHAIN_TRY_STATUS(db_->execute(
      "INSERT INTO doctor_profiles (doctor, name, specialty, institution, issued_at, signature, "
      "signer, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doctor) DO UPDATE SET "
      "name = excluded.name, specialty = excluded.specialty, "
      "institution = excluded.institution, issued_at = excluded.issued_at, "
      "signature = excluded.signature, signer = excluded.signer, stored_at = excluded.stored_at "
      "WHERE excluded.issued_at > doctor_profiles.issued_at",
      {to_hex(profile.doctor), profile.name, profile.specialty, profile.institution,
       sql_int(profile.issued_at), to_hex(profile.signature), to_hex(profile.signer),
       sql_int(profile.stored_at)}));
  MEDCHAIN_TRY(std::optional<DoctorProfileRow> kept, doctor_profile(profile.doctor));
  return kept && kept->issued_at == profile.issued_at && kept->signature == profile.signature &&
         kept->name == profile.name && kept->specialty == profile.specialty &&
         kept->institution == profile.institution;
}

Result<std::optional<DoctorProfileRow>> NodeStore::doctor_profile(const Address& doctor) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string(kProfileColumns) + "WHERE doctor = ?", {to_hex(doctor)}));
  if (rows.empty()) return std::optional<DoctorProfileRow>();
  MEDCHAIN_TRY(DoctorProfileRow row, profile_from_row(rows[0]));
  return std::optional<DoctorProfileRow>(std::move(row));
}

Result<std::vector<DoctorProfileRow>> NodeStore::doctor_profiles() {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string(kProfileColumns) + "ORDER BY doctor"));
  std::vector<DoctorProfileRow> profiles;
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(DoctorProfileRow profile, profile_from_row(row));
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

Status NodeStore::put_blob(const BlobInfo& blob) {
  return db_->execute(
      "INSERT INTO blobs (digest, size, category, patient, uploaded_by, created_at, "
      "category_signature, category_signer) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
      {to_hex(blob.digest), sql_int(blob.size), std::int64_t{blob.category}, to_hex(blob.patient),
       to_hex(blob.uploaded_by), sql_int(blob.created_at), signature_text(blob.category_signature),
       to_hex(blob.category_signer)});
}

namespace {

constexpr const char* kBlobColumns =
    "size, category, patient, uploaded_by, created_at, category_signature, category_signer";

// A row of kBlobColumns as the blob `digest`.
Result<BlobInfo> blob_of(const Hash32& digest, const SqlRow& row) {
  MEDCHAIN_TRY(Address patient, fixed<Address>(row[2], "patient"));
  MEDCHAIN_TRY(Address uploader, fixed<Address>(row[3], "uploader"));
  BlobInfo blob{digest,  row_uint(row[0]), static_cast<std::uint8_t>(as_int(row[1])),
                patient, uploader,         row_uint(row[4])};
  if (!as_text(row[5]).empty()) {
    auto signature = from_hex(as_text(row[5]));
    if (!signature) return damaged("category signature");
    blob.category_signature = std::move(*signature);
    MEDCHAIN_TRY(blob.category_signer, fixed<Address>(row[6], "category signer"));
  }
  return blob;
}

}  // namespace

Result<std::optional<BlobInfo>> NodeStore::blob(const Hash32& digest) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string("SELECT ") + kBlobColumns + " FROM blobs WHERE digest = ?",
                          {to_hex(digest)}));
  if (rows.empty()) return std::optional<BlobInfo>();
  MEDCHAIN_TRY(BlobInfo info, blob_of(digest, rows[0]));
  return std::optional<BlobInfo>(info);
}

Result<std::uint64_t> NodeStore::patient_blob_bytes(const Address& patient) {
  MEDCHAIN_TRY(
      std::vector<SqlRow> rows,
      db_->query("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM blobs WHERE patient = ?",
                 {to_hex(patient)}));
  return row_uint(rows.at(0).at(0));
}

Result<std::vector<BlobInfo>> NodeStore::unnamed_blobs(std::uint64_t created_before,
                                                       std::size_t limit) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query(std::string("SELECT ") + kBlobColumns +
                              ", digest FROM blobs WHERE created_at < ? AND NOT EXISTS (SELECT 1 "
                              "FROM record_versions v WHERE v.digest = blobs.digest) "
                              "ORDER BY created_at LIMIT ?",
                          {sql_int(created_before), sql_int(limit)}));
  std::vector<BlobInfo> blobs;
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(Hash32 digest, fixed<Hash32>(row[7], "digest"));
    MEDCHAIN_TRY(BlobInfo info, blob_of(digest, row));
    blobs.push_back(info);
  }
  return blobs;
}

Status NodeStore::set_category(const Hash32& digest, std::uint8_t category, const Bytes& signature,
                               const Address& signer) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("UPDATE blobs SET category = ?, category_signature = ?, "
                          "category_signer = ? WHERE digest = ? RETURNING digest",
                          {std::int64_t{category}, signature_text(signature), to_hex(signer),
                           to_hex(digest)}));
  if (rows.empty()) return Error{Errc::kNotFound, "no blob " + to_hex(digest)};
  return {};
}

Status NodeStore::remove_blob(const Hash32& digest) {
  return db_->execute("DELETE FROM blobs WHERE digest = ?", {to_hex(digest)});
}

Status NodeStore::issue_nonce(const std::string& nonce, std::uint64_t now) {
  return db_->execute("INSERT INTO siwe_nonces (nonce, issued_at) VALUES (?, ?)",
                      {nonce, sql_int(now)});
}

Result<bool> NodeStore::consume_nonce(const std::string& nonce, std::uint64_t issued_after) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("DELETE FROM siwe_nonces WHERE nonce = ? AND issued_at >= ? "
                          "RETURNING nonce",
                          {nonce, sql_int(issued_after)}));
  return !rows.empty();
}

Status NodeStore::create_session(const Session& session) {
  return db_->execute(
      "INSERT INTO sessions (token_hash, address, created_at, last_seen, expires_at, revoked) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {to_hex(session.token_hash), to_hex(session.address), sql_int(session.created_at),
       sql_int(session.last_seen), sql_int(session.expires_at), std::int64_t{session.revoked}});
}

Result<std::optional<Session>> NodeStore::session(const Hash32& token_hash) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT address, created_at, last_seen, expires_at, revoked "
                          "FROM sessions WHERE token_hash = ?",
                          {to_hex(token_hash)}));
  if (rows.empty()) return std::optional<Session>();
  MEDCHAIN_TRY(Address address, fixed<Address>(rows[0][0], "session address"));
  return std::optional<Session>(Session{token_hash, address, row_uint(rows[0][1]),
                                        row_uint(rows[0][2]), row_uint(rows[0][3]),
                                        as_int(rows[0][4]) != 0});
}

Status NodeStore::touch_session(const Hash32& token_hash, std::uint64_t now) {
  return db_->execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                      {sql_int(now), to_hex(token_hash)});
}

Status NodeStore::revoke_session(const Hash32& token_hash) {
  return db_->execute("UPDATE sessions SET revoked = 1 WHERE token_hash = ?", {to_hex(token_hash)});
}

Result<NodeStore::Purged> NodeStore::purge_sign_ins(std::uint64_t nonces_before,
                                                    std::uint64_t seen_before, std::uint64_t now) {
  Purged purged;
  MEDCHAIN_TRY(std::vector<SqlRow> nonces,
               db_->query("DELETE FROM siwe_nonces WHERE issued_at < ? RETURNING nonce",
                          {sql_int(nonces_before)}));
  purged.nonces = nonces.size();
  MEDCHAIN_TRY(std::vector<SqlRow> sessions,
               db_->query("DELETE FROM sessions WHERE revoked = 1 OR expires_at <= ? OR "
                          "last_seen < ? RETURNING token_hash",
                          {sql_int(now), sql_int(seen_before)}));
  purged.sessions = sessions.size();
  return purged;
}

Hash32 NodeStore::audit_hash(const Hash32& previous, const AuditEntry& entry) {
  Bytes encoded(previous.bytes.begin(), previous.bytes.end());
  append_u64(encoded, entry.seq);
  append_u64(encoded, entry.at);
  encoded.insert(encoded.end(), entry.actor.bytes.begin(), entry.actor.bytes.end());
  encoded.insert(encoded.end(), entry.patient.bytes.begin(), entry.patient.bytes.end());
  encoded.push_back(entry.allowed ? 1 : 0);
  append_text(encoded, entry.action);
  append_text(encoded, entry.subject);
  return crypto::sha256(encoded);
}

Result<AuditEntry> NodeStore::append_audit(AuditEntry entry) {
  MEDCHAIN_TRY_STATUS(db_->transaction([&]() -> Status {
    // Appenders take turns, so seq and the chain have no gaps or forks. SQLite's write
    // transaction (BEGIN IMMEDIATE) already excludes other writers; PostgreSQL needs a lock
    // that conflicts with itself.
    if (db_->dialect() == Database::Dialect::kPostgres) {
      MEDCHAIN_TRY_STATUS(db_->execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"));
    }
    MEDCHAIN_TRY(std::vector<SqlRow> last,
                 db_->query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
    Hash32 previous;
    entry.seq = 0;
    if (!last.empty()) {
      entry.seq = row_uint(last[0][0]) + 1;
      MEDCHAIN_TRY(previous, fixed<Hash32>(last[0][1], "audit hash"));
    }
    entry.hash = audit_hash(previous, entry);
    return db_->execute(
        "INSERT INTO audit_log (seq, at, actor, action, subject, patient, allowed, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {sql_int(entry.seq), sql_int(entry.at), to_hex(entry.actor), entry.action, entry.subject,
         to_hex(entry.patient), std::int64_t{entry.allowed}, to_hex(entry.hash)});
  }));
  return entry;
}

Result<std::vector<AuditEntry>> NodeStore::audit_entries(std::uint64_t from_seq, std::size_t limit,
                                                         const AuditFilter& filter) {
  std::string sql = std::string(kAuditColumns) + "WHERE seq >= ? ";
  std::vector<SqlValue> params{sql_int(from_seq)};
  if (filter.patient) {
    sql += "AND patient = ? ";
    params.emplace_back(to_hex(*filter.patient));
  }
  if (filter.actor) {
    sql += "AND actor = ? ";
    params.emplace_back(to_hex(*filter.actor));
  }
  sql += "ORDER BY seq LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query(sql, params));
  std::vector<AuditEntry> entries;
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(AuditEntry entry, audit_from_row(row));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<AuditEntry>> NodeStore::audit_denials(const std::vector<Address>& patients) {
  std::vector<AuditEntry> entries;
  if (patients.empty()) return entries;
  std::string sql = std::string(kAuditColumns) +
                    "WHERE (allowed = 0 OR action = 'escrow.release') AND patient IN (";
  std::vector<SqlValue> params;
  for (const Address& patient : patients) {
    sql += params.empty() ? "?" : ", ?";
    params.emplace_back(to_hex(patient));
  }
  sql += ") ORDER BY seq DESC";
  MEDCHAIN_TRY(std::vector<SqlRow> rows, db_->query(sql, params));
  for (const SqlRow& row : rows) {
    MEDCHAIN_TRY(AuditEntry entry, audit_from_row(row));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status NodeStore::mark_inbox_read(const Address& address, const std::vector<std::string>& item_ids,
                                  std::uint64_t now) {
  return db_->transaction([&]() -> Status {
    for (const std::string& id : item_ids) {
      MEDCHAIN_TRY_STATUS(db_->execute(
          "INSERT INTO inbox_reads (address, item_id, read_at) VALUES (?, ?, ?) "
          "ON CONFLICT (address, item_id) DO NOTHING",
          {to_hex(address), id, sql_int(now)}));
    }
    return {};
  });
}

Result<std::set<std::string>> NodeStore::inbox_read_ids(const Address& address) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT item_id FROM inbox_reads WHERE address = ?", {to_hex(address)}));
  std::set<std::string> ids;
  for (const SqlRow& row : rows) ids.insert(as_text(row[0]));
  return ids;
}

Status NodeStore::verify_audit_chain() {
  Hash32 previous;
  std::uint64_t expected_seq = 0;
  constexpr std::size_t kPage = 1'000;
  for (;;) {
    MEDCHAIN_TRY(std::vector<AuditEntry> page, audit_entries(expected_seq, kPage));
    for (const AuditEntry& entry : page) {
      if (entry.seq != expected_seq || audit_hash(previous, entry) != entry.hash) {
        return Error{Errc::kCheckFailed,
                     "the audit log is broken at entry " + std::to_string(expected_seq)};
      }
      previous = entry.hash;
      ++expected_seq;
    }
    if (page.size() < kPage) return {};
  }
}

}  // namespace medchain::store
