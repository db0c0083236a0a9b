// What a node keeps for the emergency escrow, beside the chain index and on the same database
// (schema migration 11): the policy documents patients published to it (by their hash, which
// the chain holds), the shares deposited with it as a custodian (still sealed to its custodian
// key: the database never holds an open share), and each record version's content key wrapped
// to the escrow key. REQUIRES: the schema is migrated (IndexStore::open or NodeStore::open ran).
#pragma once

#include <medchain/store/database.hpp>
#include <optional>
#include <string>

namespace medchain::custody {

struct StoredDocument {
  Hash32 policy_hash;  // keccak-256 of `text`
  Address patient;
  std::string text;
  std::uint64_t created_at = 0;
};

struct StoredShare {
  Hash32 policy_hash;
  Address custodian;
  Address patient;
  Bytes sealed_share;  // as dealt: sealed to the custodian's X25519 key
  std::uint64_t created_at = 0;
};

struct EscrowKey {
  Hash32 record_id;
  std::uint64_t version = 0;
  Hash32 policy_hash;  // the policy whose escrow key the content key is wrapped to
  Bytes wrapped_key;   // records::kEscrowWrappedKeySize bytes
  Address uploaded_by;
  std::uint64_t created_at = 0;
};

class CustodyStore {
 public:
  explicit CustodyStore(store::Database& database) : db_(&database) {}

  // A document is stored once per hash (the same hash is the same text).
  Status put_document(const StoredDocument& document);
  Result<std::optional<StoredDocument>> document(const Hash32& policy_hash);

  // Stores or replaces the share of `custodian` under a policy.
  Status put_share(const StoredShare& share);
  Result<std::optional<StoredShare>> share(const Hash32& policy_hash, const Address& custodian);

  // Stores or replaces a version's escrow-wrapped key.
  Status put_escrow_key(const EscrowKey& key);
  Result<std::optional<EscrowKey>> escrow_key(const Hash32& record_id, std::uint64_t version);

 private:
  store::Database* db_;
};

}  // namespace medchain::custody
