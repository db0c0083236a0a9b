#include <medchain/core/hex.hpp>
#include <medchain/custody/custody_store.hpp>

namespace medchain::custody {
namespace {

using store::as_int;
using store::as_text;
using store::SqlRow;

std::int64_t sql_int(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

template <class T>
Result<T> fixed(const store::SqlValue& value) {
  auto parsed = from_hex_fixed<T>(as_text(value));
  if (!parsed) return Error{Errc::kIo, "the escrow tables hold a malformed value"};
  return *parsed;
}

Result<Bytes> bytes(const store::SqlValue& value) {
  auto parsed = from_hex(as_text(value));
  if (!parsed) return Error{Errc::kIo, "the escrow tables hold malformed bytes"};
  return std::move(*parsed);
}

}  // namespace

Status CustodyStore::put_document(const StoredDocument& document) {
  return db_->execute(
      "INSERT INTO escrow_documents (policy_hash, patient, document, created_at) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (policy_hash) DO NOTHING",
      {to_hex(document.policy_hash), to_hex(document.patient), document.text,
       sql_int(document.created_at)});
}

Result<std::optional<StoredDocument>> CustodyStore::document(const Hash32& policy_hash) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT patient, document, created_at FROM escrow_documents "
                          "WHERE policy_hash = ?",
                          {to_hex(policy_hash)}));
  if (rows.empty()) return std::optional<StoredDocument>();
  StoredDocument document;
  document.policy_hash = policy_hash;
  MEDCHAIN_TRY(document.patient, fixed<Address>(rows[0][0]));
  document.text = as_text(rows[0][1]);
  document.created_at = static_cast<std::uint64_t>(as_int(rows[0][2]));
  return std::optional<StoredDocument>(std::move(document));
}

Status CustodyStore::put_share(const StoredShare& share) {
  return db_->execute(
      "INSERT INTO escrow_shares (policy_hash, custodian, patient, sealed_share, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy_hash, custodian) DO UPDATE SET "
      "sealed_share = excluded.sealed_share, created_at = excluded.created_at",
      {to_hex(share.policy_hash), to_hex(share.custodian), to_hex(share.patient),
       to_hex(share.sealed_share), sql_int(share.created_at)});
}

Result<std::optional<StoredShare>> CustodyStore::share(const Hash32& policy_hash,
                                                       const Address& custodian) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT patient, sealed_share, created_at FROM escrow_shares "
                          "WHERE policy_hash = ? AND custodian = ?",
                          {to_hex(policy_hash), to_hex(custodian)}));
  if (rows.empty()) return std::optional<StoredShare>();
  StoredShare share;
  share.policy_hash = policy_hash;
  share.custodian = custodian;
  MEDCHAIN_TRY(share.patient, fixed<Address>(rows[0][0]));
  MEDCHAIN_TRY(share.sealed_share, bytes(rows[0][1]));
  share.created_at = static_cast<std::uint64_t>(as_int(rows[0][2]));
  return std::optional<StoredShare>(std::move(share));
}

Status CustodyStore::put_escrow_key(const EscrowKey& key) {
  return db_->execute(
      "INSERT INTO escrow_keys (record_id, version, policy_hash, wrapped_key, uploaded_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, version) DO UPDATE SET "
      "policy_hash = excluded.policy_hash, wrapped_key = excluded.wrapped_key, "
      "uploaded_by = excluded.uploaded_by, created_at = excluded.created_at",
      {to_hex(key.record_id), sql_int(key.version), to_hex(key.policy_hash),
       to_hex(key.wrapped_key), to_hex(key.uploaded_by), sql_int(key.created_at)});
}

Result<std::optional<EscrowKey>> CustodyStore::escrow_key(const Hash32& record_id,
                                                          std::uint64_t version) {
  MEDCHAIN_TRY(std::vector<SqlRow> rows,
               db_->query("SELECT policy_hash, wrapped_key, uploaded_by, created_at "
                          "FROM escrow_keys WHERE record_id = ? AND version = ?",
                          {to_hex(record_id), sql_int(version)}));
  if (rows.empty()) return std::optional<EscrowKey>();
  EscrowKey key;
  key.record_id = record_id;
  key.version = version;
  MEDCHAIN_TRY(key.policy_hash, fixed<Hash32>(rows[0][0]));
  MEDCHAIN_TRY(key.wrapped_key, bytes(rows[0][1]));
  MEDCHAIN_TRY(key.uploaded_by, fixed<Address>(rows[0][2]));
  key.created_at = static_cast<std::uint64_t>(as_int(rows[0][3]));
  return std::optional<EscrowKey>(std::move(key));
}

}  // namespace medchain::custody
