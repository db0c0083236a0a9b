// What the node keeps of its own, beside the chain index and on the same database: record keys
// sealed for each recipient, the metadata of the ciphertext blobs it holds, login sessions, and
// its audit log. The audit log is a hash chain (each entry commits to the one before), so an
// entry cannot be changed or dropped without breaking every later hash, and batches of it are
// anchored on chain (anchorAudit) by the node.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/store/database.hpp>
#include <optional>
#include <set>

namespace medchain::store {

// A record version's content key, sealed to one recipient's X25519 key (docs/format.md).
struct WrappedKey {
  Hash32 record_id;
  std::uint64_t version = 0;
  Address recipient;
  Bytes sealed_key;
  Address uploaded_by;
  std::uint64_t created_at = 0;  // Unix seconds
  bool operator==(const WrappedKey&) const = default;
};

// A record version's sealed summary (docs/format.md, "Record summaries"): ciphertext only.
struct SealedSummary {
  Hash32 record_id;
  std::uint64_t version = 0;
  Bytes sealed_summary;
  Address uploaded_by;
  std::uint64_t created_at = 0;  // Unix seconds
  bool operator==(const SealedSummary&) const = default;
};

// A ciphertext blob the node holds. `category` is what the author declared when uploading: it
// is not on chain (no health information is), and authorization reads it from here.
struct BlobInfo {
  Hash32 digest;  // SHA-256 of the ciphertext: its name in the blob store
  std::uint64_t size = 0;
  std::uint8_t category = 0;
  Address patient;  // whose record it is, as declared by the uploader (who may append for them)
  Address uploaded_by;
  std::uint64_t created_at = 0;
  // The category statement (docs/format.md): an EIP-712 signature of the category by
  // `category_signer`, which clients check; empty when the uploader sent none.
  Bytes category_signature = {};
  Address category_signer = {};
  bool operator==(const BlobInfo&) const = default;
};

// A doctor's reason for an access request, sealed to the patient's encryption key (docs/format.md,
// "Reasons and licences"). The request on chain names it by its salted hash.
struct ReasonNote {
  Address doctor;
  Hash32 reason_hash;
  Address patient;
  Bytes sealed_note;
  std::uint64_t created_at = 0;
  bool operator==(const ReasonNote&) const = default;
};

// A doctor's profile as the registrar signed it (docs/format.md, "Doctor profiles"). The node
// checked the signer when it was stored; clients check it again.
struct DoctorProfileRow {
  Address doctor;
  std::string name;
  std::string specialty;
  std::string institution;
  std::uint64_t issued_at = 0;
  Bytes signature;  // 65 bytes, r ‖ s ‖ v
  Address signer;   // the registrar it recovered to
  std::uint64_t stored_at = 0;
  bool operator==(const DoctorProfileRow&) const = default;
};

// A login session. Only the SHA-256 of the bearer token is stored, so a database leak does not
// leak usable tokens.
struct Session {
  Hash32 token_hash;
  Address address;
  std::uint64_t created_at = 0;
  std::uint64_t last_seen = 0;
  std::uint64_t expires_at = 0;  // the absolute timeout
  bool revoked = false;
  bool operator==(const Session&) const = default;
};

// One served item or refused attempt.
struct AuditEntry {
  std::uint64_t seq = 0;  // 0, 1, ...: assigned on append (the chain's anchors count from 0)
  std::uint64_t at = 0;   // Unix seconds
  Address actor;
  std::string action;   // e.g. "blob.read", "key.read", "blob.read.denied"
  std::string subject;  // e.g. the blob digest or record id
  Address patient;      // whose record it concerns
  bool allowed = false;
  Hash32 hash;  // SHA-256(previous hash || canonical entry): assigned on append
  bool operator==(const AuditEntry&) const = default;
};

class NodeStore {
 public:
  // Brings the schema up to date (schema.hpp) and opens the node's tables on `database`.
  static Result<std::unique_ptr<NodeStore>> open(Database& database);

  // Stores or replaces the key of (record, version) for its recipient.
  Status put_wrapped_key(const WrappedKey& key);
  Result<std::optional<WrappedKey>> wrapped_key(const Hash32& record_id, std::uint64_t version,
                                                const Address& recipient);
  // Every recipient's key of (record, version), by recipient.
  Result<std::vector<WrappedKey>> wrapped_keys(const Hash32& record_id, std::uint64_t version);

  // Stores or replaces the summary of (record, version).
  Status put_summary(const SealedSummary& summary);
  Result<std::optional<SealedSummary>> summary(const Hash32& record_id, std::uint64_t version);

  // Records a blob the first time it is stored; storing it again keeps the first record.
  Status put_blob(const BlobInfo& blob);
  Result<std::optional<BlobInfo>> blob(const Hash32& digest);
  // The bytes this node holds for `patient`, for the upload quota.
  Result<std::uint64_t> patient_blob_bytes(const Address& patient);
  // Blobs stored before `created_before` that no record version in the index names, oldest
  // first, at most `limit`: uploads whose record never reached the chain.
  Result<std::vector<BlobInfo>> unnamed_blobs(std::uint64_t created_before, std::size_t limit);
  // A corrected category and the statement that signs it. kNotFound if no such blob.
  Status set_category(const Hash32& digest, std::uint8_t category, const Bytes& signature,
                      const Address& signer);
  // Forgets a blob (its bytes are the blob store's to remove).
  Status remove_blob(const Hash32& digest);

  // Stores the doctor's note for a reason hash, replacing the doctor's earlier one for it.
  Status put_reason_note(const ReasonNote& note);
  Result<std::optional<ReasonNote>> reason_note(const Address& doctor, const Hash32& reason_hash);

  // Stores `profile` unless the node holds one for the doctor issued at or after it; returns
  // whether the node now holds it (true again for an identical second put). Atomic: of two
  // concurrent puts the newer issuedAt stays.
  Result<bool> put_doctor_profile(const DoctorProfileRow& profile);
  Result<std::optional<DoctorProfileRow>> doctor_profile(const Address& doctor);
  // Every stored profile (for listings that name doctors).
  Result<std::vector<DoctorProfileRow>> doctor_profiles();

  // A Sign-In with Ethereum nonce, usable once.
  Status issue_nonce(const std::string& nonce, std::uint64_t now);
  // Uses up the nonce if it was issued at or after `issued_after`; false if it is unknown,
  // used or too old. Atomic: of two concurrent sign-ins with one nonce, one wins.
  Result<bool> consume_nonce(const std::string& nonce, std::uint64_t issued_after);

  Status create_session(const Session& session);
  Result<std::optional<Session>> session(const Hash32& token_hash);
  Status touch_session(const Hash32& token_hash, std::uint64_t now);
  Status revoke_session(const Hash32& token_hash);

  // Deletes what can no longer sign anyone in: nonces issued before `nonces_before`, and
  // sessions revoked, past their absolute expiry by `now`, or last seen before `seen_before`.
  // Returns how many nonces and sessions went.
  struct Purged {
    std::size_t nonces = 0;
    std::size_t sessions = 0;
  };
  Result<Purged> purge_sign_ins(std::uint64_t nonces_before, std::uint64_t seen_before,
                                std::uint64_t now);

  // Appends `entry` (its seq and hash are assigned) in one transaction; returns it as stored.
  Result<AuditEntry> append_audit(AuditEntry entry);
  // Entries with seq >= from_seq, in order, at most `limit`; only those about `filter.patient`
  // and by `filter.actor` when set.
  struct AuditFilter {
    std::optional<Address> patient;
    std::optional<Address> actor;
  };
  Result<std::vector<AuditEntry>> audit_entries(std::uint64_t from_seq, std::size_t limit,
                                                const AuditFilter& filter = {});
  // Refused attempts on the records of any of `patients`, and escrow partials released for
  // them (action "escrow.release"), newest first: the inbox's audit items.
  Result<std::vector<AuditEntry>> audit_denials(const std::vector<Address>& patients);

  // The inbox's read marks: item ids (inbox/inbox.hpp) that `address` has read. Marking an item
  // read again keeps its first mark.
  Status mark_inbox_read(const Address& address, const std::vector<std::string>& item_ids,
                         std::uint64_t now);
  Result<std::set<std::string>> inbox_read_ids(const Address& address);

  // Recomputes the chain from the first entry: kCheckFailed naming the first entry that does
  // not match.
  Status verify_audit_chain();

  // The hash of an entry given the previous entry's hash (zero for the first).
  static Hash32 audit_hash(const Hash32& previous, const AuditEntry& entry);

 private:
  explicit NodeStore(Database& database) : db_(&database) {}
  Database* db_;
};

}  // namespace medchain::store
