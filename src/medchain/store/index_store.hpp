// The node's index of the chain, in SQL (SQLite now; PostgreSQL next, through the same
// Database interface): every medchain event as it was emitted, and the state derived from
// them — registrars, doctors, storage nodes, patients, guardians, record versions, requests,
// grants, emergency windows, audit anchors — with the checkpoint written in the same
// transaction as the rows derived from its blocks.
//
// Derived state is a pure function of the stored events. A reorg deletes the events above the
// fork and derives the state again from the rest: simple and obviously right, and rare, since
// the indexer waits for confirmations on chains that reorganise at all.
#pragma once

#include <medchain/chain/indexer.hpp>
#include <medchain/store/database.hpp>
#include <medchain/store/index_views.hpp>

namespace medchain::store {

struct GrantRow {
  std::uint16_t scope = 0;
  std::uint8_t permissions = 0;
  std::uint64_t expiry = 0;
};

// What an address is, as the index knows it now.
struct Roles {
  bool patient = false;
  std::string doctor;  // "verified", "suspended", or "" for no doctor
  bool registrar = false;
  std::vector<Address> guardian_of;  // patients this address is a guardian of
  std::vector<Address> controller_of;  // patients this address acts as since a recovery
};

// Why a caller may read a patient's records of one category now, as the index knows it: the
// patient, a guardian, or the contract's canRead (a verified doctor with an unexpired read
// grant covering the category, or an open emergency window).
enum class ReadAccess { kDenied, kPatient, kGuardian, kGrant, kEmergency };

class IndexStore final : public chain::IndexSink {
 public:
  // Brings the schema up to date (schema.hpp) and opens the index on `database`.
  static Result<std::unique_ptr<IndexStore>> open(Database& database);

  Result<std::optional<chain::BlockRef>> checkpoint() override;
  Result<std::optional<Hash32>> block_hash(std::uint64_t number) override;
  Status apply(const std::vector<chain::IndexedBlock>& blocks) override;
  Status rollback_to(std::uint64_t number) override;

  // Queries the node needs; more come with the API.
  Result<std::optional<GrantRow>> grant(const Address& patient, const Address& doctor);
  Result<std::uint64_t> event_count();
  Result<Roles> roles(const Address& address);

  // `now` is Unix seconds (the chain's clock: a block's timestamp).
  Result<ReadAccess> read_access(const Address& patient, const Address& caller,
                                 std::uint8_t category, std::uint64_t now);
  // Who acts as `patient` now: its controller since a lost-wallet recovery (ControllerSet),
  // else the patient's own address (also for an address the index does not know as a patient).
  Result<Address> acting_patient(const Address& patient);
  // Whether `address` acts as `patient`: the controller after a recovery (the patient's own,
  // lost key no longer does), else the patient's address. Every "is this the patient" asks this.
  Result<bool> acts_as_patient(const Address& patient, const Address& address);
  // The acting patient or one of the patient's guardians: who manages a patient's records and
  // consent.
  Result<bool> manages(const Address& patient, const Address& address);
  // The patient, a guardian, or (the contract's canAppend) a verified doctor with an unexpired
  // append grant.
  Result<bool> may_append(const Address& patient, const Address& caller, std::uint64_t now);

  // Views for the API (index_views.cpp). Lists are ordered oldest first.
  Result<std::optional<PatientRow>> patient(const Address& address);
  Result<std::vector<DoctorRow>> doctors(const std::string& status);  // "" for all
  Result<std::optional<DoctorRow>> doctor(const Address& address);
  // The emergency escrow as the chain has it: the patient's policy hash (setEscrowPolicy; none
  // when unset or cleared) and a custodian's X25519 key (setCustodianKey).
  Result<std::optional<Hash32>> escrow_policy_hash(const Address& patient);
  Result<std::optional<Hash32>> custodian_key(const Address& custodian);
  // Whether a verified doctor's emergency window on `patient` is open at `now` (Unix seconds).
  Result<bool> emergency_open(const Address& patient, const Address& doctor, std::uint64_t now);
  // The storage node registered under `node_id`, if any; every registered one, by node id.
  Result<std::optional<StorageNodeRow>> storage_node(const Hash32& node_id);
  Result<std::vector<StorageNodeRow>> storage_nodes();
  Result<std::vector<RecordVersionRow>> record_versions_of_patient(const Address& patient);
  Result<std::vector<RecordVersionRow>> record_versions(const Hash32& record_id);
  // Every version whose blob the chain says storage node `node_id` holds, oldest first.
  Result<std::vector<RecordVersionRow>> record_versions_on_node(const Hash32& node_id);
  // The versions whose ciphertext has this digest (usually one), oldest first.
  Result<std::vector<RecordVersionRow>> record_versions_with_digest(const Hash32& digest);
  // The versions indexed in blocks after `block`, oldest first: what a replica has not looked at
  // since its last pass (replication/replicator.hpp).
  Result<std::vector<RecordVersionRow>> record_versions_after_block(std::uint64_t block);
  Result<std::vector<GrantView>> grants_of_patient(const Address& patient);
  Result<std::vector<GrantView>> grants_of_doctor(const Address& doctor);
  Result<std::vector<RequestRow>> requests_of_patient(const Address& patient);
  Result<std::vector<RequestRow>> requests_of_doctor(const Address& doctor);
  Result<std::vector<EmergencyRow>> emergency_windows_of_patient(const Address& patient);
  // Grants and emergency windows ending in (after, until], oldest first.
  Result<std::vector<ExpiryRow>> expiring(std::uint64_t after, std::uint64_t until);
  // The anchor of `node_id` whose range holds `seq`, if the chain has one.
  Result<std::optional<AuditAnchorRow>> audit_anchor(const Hash32& node_id, std::uint64_t seq);
  // The inbox's sources in the index (index_notifications.cpp), newest first: the chain events
  // that concern `recipient`, and the grants of `address` (as patient or doctor) whose expiry
  // falls in (after, until].
  Result<std::vector<NotificationRow>> notifications_of(const Address& recipient);
  Result<std::vector<EndingGrantRow>> grants_ending_for(const Address& address,
                                                        std::uint64_t after, std::uint64_t until);
  // The newest indexed block's timestamp (0 before the first): the chain's idea of now.
  Result<std::uint64_t> latest_block_time();

  // Every row of every table in a canonical text form, for comparing two indexes (`medchain
  // index verify`). Excludes nothing but the schema version.
  Result<std::string> dump();

 private:
  explicit IndexStore(Database& database) : db_(&database) {}
  Status lock_writers();
  Status apply_event(const chain::IndexedEvent& event, std::uint64_t block_number);
  Status derive_all();
  // Who `event` concerns, as notification rows (index_notifications.cpp).
  Status derive_notifications(const chain::IndexedEvent& event, std::uint64_t block_number);
  // Derives the notifications of an index written before they existed, once.
  Status backfill_notifications();

  Database* db_;
};

}  // namespace medchain::store
