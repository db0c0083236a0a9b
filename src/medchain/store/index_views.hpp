// What the node's API reads from the index: the chain's state in the shapes people ask about
// (a patient's record versions, a doctor's grants, pending requests). Rows only; who may see
// which of them is the API's decision (api/), made with IndexStore::read_access.
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <optional>
#include <string>
#include <vector>

namespace medchain::store {

struct RecordVersionRow {
  Hash32 record_id;
  std::uint64_t version = 0;
  Address patient;
  Address author;
  std::optional<Hash32> previous_digest;  // none for version 1
  Hash32 digest;                          // SHA-256 of the ciphertext
  Hash32 node_id;                         // the storage node holding it
  Hash32 content_id;
  Hash32 head;  // the record's on-chain commitment after this version (versionHash)
  std::uint64_t block_number = 0;
  std::uint64_t block_time = 0;  // the block's timestamp, Unix seconds
  Hash32 transaction_hash;
};

struct PatientRow {
  Address address;
  Hash32 encryption_key;  // X25519 public key
  bool emergency_allowed = false;
  std::uint64_t max_emergency_window = 0;  // seconds
  std::uint64_t emergency_cooldown = 0;    // seconds before a doctor reopens an ended window
  std::vector<Address> guardians;
};

struct DoctorRow {
  Address address;
  std::string status;  // "verified" or "suspended"
  Hash32 license_hash;
  Hash32 encryption_key;
};

struct GrantView {
  Address patient;
  Address doctor;
  std::uint16_t scope = 0;
  std::uint8_t permissions = 0;
  std::uint64_t expiry = 0;
};

struct RequestRow {
  std::string request_id;  // decimal: a uint256 (the doctor's address in its low 160 bits)
  Address patient;
  Address doctor;
  std::uint16_t scope = 0;
  std::uint8_t permissions = 0;
  std::uint64_t duration = 0;
  Hash32 reason_hash;
  std::string status;  // "pending", "approved", "denied", "cancelled"
};

struct EmergencyRow {
  Address patient;
  Address doctor;
  std::uint64_t until = 0;
  std::uint8_t reason_code = 0;
};

// A grant whose expiry, or an emergency window whose end, has come.
struct ExpiryRow {
  enum class Kind { kGrant, kEmergency } kind = Kind::kGrant;
  Address patient;
  Address doctor;
  std::uint64_t at = 0;  // Unix seconds
};

// A chain event that concerns one recipient (an inbox item).
struct NotificationRow {
  std::uint64_t block_number = 0;
  std::uint64_t log_index = 0;
  std::string kind;  // "access_requested", "access_granted", "request_denied", ...
  Address patient;
  Address doctor;
  std::uint64_t at = 0;  // the block's timestamp
  std::string args;      // the event's arguments, as the index stores them (JSON)
};

// A grant about to run out, with the time of the block that set it.
struct EndingGrantRow {
  GrantView grant;
  std::uint64_t granted_at = 0;
};

// A storage node the chain registered (registerStorageNode): who operates it and where it serves.
struct StorageNodeRow {
  Hash32 node_id;
  Address operator_address;
  std::string url;
  bool operator==(const StorageNodeRow&) const = default;
};

struct AuditAnchorRow {
  Hash32 node_id;
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
  Hash32 merkle_root;
  std::uint64_t block_number = 0;
};

}  // namespace medchain::store
