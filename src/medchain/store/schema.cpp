#include <medchain/store/schema.hpp>

namespace medchain::store {
namespace {

// Each migration runs once, in order, in its own transaction. Append only.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), number BIGINT NOT NULL,
                         hash TEXT NOT NULL);
CREATE TABLE blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL, timestamp BIGINT NOT NULL);
CREATE TABLE events (block_number BIGINT NOT NULL, log_index BIGINT NOT NULL,
                     transaction_hash TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
                     PRIMARY KEY (block_number, log_index));
CREATE TABLE registrars (address TEXT PRIMARY KEY);
CREATE TABLE doctors (address TEXT PRIMARY KEY, status TEXT NOT NULL, license_hash TEXT NOT NULL,
                      encryption_key TEXT NOT NULL, registrar TEXT NOT NULL);
CREATE TABLE storage_nodes (node_id TEXT PRIMARY KEY, operator TEXT NOT NULL, url TEXT NOT NULL);
CREATE TABLE patients (address TEXT PRIMARY KEY, encryption_key TEXT NOT NULL,
                       emergency_allowed INTEGER NOT NULL, max_emergency_window BIGINT NOT NULL);
CREATE TABLE guardians (patient TEXT NOT NULL, guardian TEXT NOT NULL,
                        PRIMARY KEY (patient, guardian));
CREATE TABLE record_versions (record_id TEXT NOT NULL, version BIGINT NOT NULL,
                              patient TEXT NOT NULL, author TEXT NOT NULL, previous_digest TEXT,
                              digest TEXT NOT NULL, node_id TEXT NOT NULL,
                              content_id TEXT NOT NULL, head TEXT NOT NULL,
                              block_number BIGINT NOT NULL, transaction_hash TEXT NOT NULL,
                              PRIMARY KEY (record_id, version));
CREATE INDEX record_versions_by_patient ON record_versions (patient);
CREATE TABLE requests (request_id TEXT PRIMARY KEY, patient TEXT NOT NULL, doctor TEXT NOT NULL,
                       scope INTEGER NOT NULL, permissions INTEGER NOT NULL,
                       duration BIGINT NOT NULL, reason_hash TEXT NOT NULL, status TEXT NOT NULL,
                       decided_by TEXT, block_number BIGINT NOT NULL);
CREATE INDEX requests_by_patient ON requests (patient);
CREATE INDEX requests_by_doctor ON requests (doctor);
CREATE TABLE grants (patient TEXT NOT NULL, doctor TEXT NOT NULL, scope INTEGER NOT NULL,
                     permissions INTEGER NOT NULL, expiry BIGINT NOT NULL,
                     block_number BIGINT NOT NULL, PRIMARY KEY (patient, doctor));
CREATE INDEX grants_by_doctor ON grants (doctor);
CREATE TABLE emergency_windows (patient TEXT NOT NULL, doctor TEXT NOT NULL,
                                until BIGINT NOT NULL, reason_code INTEGER NOT NULL,
                                PRIMARY KEY (patient, doctor));
CREATE TABLE audit_anchors (node_id TEXT NOT NULL, from_seq BIGINT NOT NULL,
                            to_seq BIGINT NOT NULL, merkle_root TEXT NOT NULL,
                            block_number BIGINT NOT NULL, PRIMARY KEY (node_id, to_seq));
)sql",
    R"sql(
CREATE TABLE wrapped_keys (record_id TEXT NOT NULL, version BIGINT NOT NULL,
                           recipient TEXT NOT NULL, sealed_key TEXT NOT NULL,
                           uploaded_by TEXT NOT NULL, created_at BIGINT NOT NULL,
                           PRIMARY KEY (record_id, version, recipient));
CREATE TABLE blobs (digest TEXT PRIMARY KEY, size BIGINT NOT NULL, category INTEGER NOT NULL,
                    uploaded_by TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, address TEXT NOT NULL,
                       created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL,
                       expires_at BIGINT NOT NULL, revoked INTEGER NOT NULL);
CREATE INDEX sessions_by_address ON sessions (address);
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL,
                        action TEXT NOT NULL, subject TEXT NOT NULL, patient TEXT NOT NULL,
                        allowed INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_by_patient ON audit_log (patient);
CREATE INDEX audit_log_by_actor ON audit_log (actor);
)sql",
    R"sql(
CREATE TABLE siwe_nonces (nonce TEXT PRIMARY KEY, issued_at BIGINT NOT NULL);
)sql",
    // A blob belongs to the patient its uploader declared: authorization is by that patient,
    // never by whichever on-chain record happens to name the same digest.
    R"sql(
ALTER TABLE blobs ADD COLUMN patient TEXT NOT NULL DEFAULT '';
)sql",
    // GET /v1/me looks up the patients an address is guardian of.
    R"sql(
CREATE INDEX guardians_by_guardian ON guardians (guardian);
)sql",
    // Uploads count against their patient's quota; a blob no version names is collected.
    R"sql(
CREATE INDEX blobs_by_patient ON blobs (patient);
CREATE INDEX record_versions_by_digest ON record_versions (digest);
)sql",
    // A category comes with its signed statement (docs/format.md, "Category statements").
    R"sql(
ALTER TABLE blobs ADD COLUMN category_signature TEXT NOT NULL DEFAULT '';
ALTER TABLE blobs ADD COLUMN category_signer TEXT NOT NULL DEFAULT '';
)sql",
    // The emergency policy's cooldown (EmergencyPolicySet.cooldown), shown with the policy.
    R"sql(
ALTER TABLE patients ADD COLUMN emergency_cooldown BIGINT NOT NULL DEFAULT 0;
)sql",
    // A doctor's reason for a request, sealed to the patient (docs/format.md, "Reasons and
    // licences"), found by the salted hash the request names on chain.
    R"sql(
CREATE TABLE reason_notes (doctor TEXT NOT NULL, reason_hash TEXT NOT NULL,
                           patient TEXT NOT NULL, sealed_note TEXT NOT NULL,
                           created_at BIGINT NOT NULL, PRIMARY KEY (doctor, reason_hash));
)sql",
    // The inbox (docs/architecture.md, "Inbox"): who each chain event concerns, derived with
    // the rest of the index, and which items each address has marked read (the node's own).
    R"sql(
CREATE TABLE notifications (recipient TEXT NOT NULL, block_number BIGINT NOT NULL,
                            log_index BIGINT NOT NULL, kind TEXT NOT NULL, patient TEXT NOT NULL,
                            doctor TEXT NOT NULL,
                            PRIMARY KEY (recipient, block_number, log_index));
CREATE TABLE inbox_reads (address TEXT NOT NULL, item_id TEXT NOT NULL, read_at BIGINT NOT NULL,
                          PRIMARY KEY (address, item_id));
)sql",
    // The emergency escrow (docs/format.md, "Emergency escrow"): from the chain, each patient's
    // policy hash and each custodian's key (derived); the node's own, the policy documents
    // published to it, the shares deposited with it as a custodian, and each version's content
    // key wrapped to the escrow key.
    R"sql(
CREATE TABLE escrow_policies (patient TEXT PRIMARY KEY, policy_hash TEXT NOT NULL);
CREATE TABLE custodian_keys (address TEXT PRIMARY KEY, encryption_key TEXT NOT NULL);
CREATE TABLE escrow_documents (policy_hash TEXT PRIMARY KEY, patient TEXT NOT NULL,
                               document TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE escrow_shares (policy_hash TEXT NOT NULL, custodian TEXT NOT NULL,
                            patient TEXT NOT NULL, sealed_share TEXT NOT NULL,
                            created_at BIGINT NOT NULL, PRIMARY KEY (policy_hash, custodian));
CREATE TABLE escrow_keys (record_id TEXT NOT NULL, version BIGINT NOT NULL,
                          policy_hash TEXT NOT NULL, wrapped_key TEXT NOT NULL,
                          uploaded_by TEXT NOT NULL, created_at BIGINT NOT NULL,
                          PRIMARY KEY (record_id, version));
)sql",
    // Record summaries (docs/format.md, "Record summaries"): a version's title, date, kind and
    // author's name, sealed under a key only the version's readers can derive; the node keeps
    // the ciphertext beside the version and serves it with the record lists.
    R"sql(
CREATE TABLE record_summaries (record_id TEXT NOT NULL, version BIGINT NOT NULL,
                               sealed_summary TEXT NOT NULL, uploaded_by TEXT NOT NULL,
                               created_at BIGINT NOT NULL, PRIMARY KEY (record_id, version));
)sql",
    // Doctor profiles (docs/format.md, "Doctor profiles"): the registrar's signed statement of
    // a doctor's name, specialty and institution, the newest (by issuedAt) per doctor. The
    // node's own: not on chain, so not derived from the index.
    R"sql(
CREATE TABLE doctor_profiles (doctor TEXT PRIMARY KEY, name TEXT NOT NULL,
                              specialty TEXT NOT NULL, institution TEXT NOT NULL,
                              issued_at BIGINT NOT NULL, signature TEXT NOT NULL,
                              signer TEXT NOT NULL, stored_at BIGINT NOT NULL);
)sql",
    // Lost-wallet recovery (docs/format.md, "Recovery"): the address that acts as the patient
    // since a recovery (ControllerSet); NULL while the patient's own address does.
    R"sql(
ALTER TABLE patients ADD COLUMN controller TEXT;
)sql",
    // A replica's pass reads only the versions indexed since its last one (by block).
    R"sql(
CREATE INDEX record_versions_by_block ON record_versions (block_number);
)sql",
};

// One statement per `;`-terminated line group: SQLite's prepare takes one at a time.
std::vector<std::string> split_statements(const std::string& script) {
  std::vector<std::string> statements;
  std::string current;
  for (char c : script) {
    current += c;
    if (c == ';') {
      statements.push_back(current);
      current.clear();
    }
  }
  return statements;
}

}  // namespace

static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

Status migrate(Database& database) {
  MEDCHAIN_TRY_STATUS(
      database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  MEDCHAIN_TRY(std::vector<SqlRow> rows, database.query("SELECT version FROM schema_version"));
  const int current = rows.empty() ? 0 : static_cast<int>(as_int(rows[0][0]));
  if (current > kSchemaVersion) {
    return Error{Errc::kUnsupported, "the index was written by a newer medchain (schema " +
                                         std::to_string(current) + ")"};
  }
  for (int version = current + 1; version <= kSchemaVersion; ++version) {
    MEDCHAIN_TRY_STATUS(database.transaction([&]() -> Status {
      for (const std::string& statement : split_statements(kMigrations[version - 1])) {
        MEDCHAIN_TRY_STATUS(database.execute(statement));
      }
      MEDCHAIN_TRY_STATUS(database.execute("DELETE FROM schema_version"));
      return database.execute("INSERT INTO schema_version (version) VALUES (?)",
                              {std::int64_t{version}});
    }));
  }
  return {};
}

}  // namespace medchain::store
