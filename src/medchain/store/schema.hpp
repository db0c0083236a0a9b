// The SQL schema of everything the node keeps (the chain index and the node's own tables), as
// versioned migrations: each runs once, in order, in its own transaction, on SQLite and
// PostgreSQL alike. Append only: a released migration is never edited.
#pragma once

#include <medchain/store/database.hpp>

namespace medchain::store {

// 1: the chain index (checkpoint, blocks, events, derived state).
// 2: the node's own tables (wrapped keys, blob metadata, sessions, audit log).
// 3: Sign-In with Ethereum nonces.
// 4-8: indexes, blob owners and quotas, category statements, the emergency cooldown.
// 9: doctors' reasons for requests, sealed to the patient.
// 10: the inbox (notifications derived from events, read marks).
// 11: the emergency escrow (policy hashes and custodian keys from the chain; policy documents,
//     custodians' shares and escrow-wrapped keys).
// 12: record summaries (sealed titles, dates and kinds of versions).
// 13: doctors' profiles, signed by a registrar.
// 14: the controller a lost-wallet recovery moved each patient to.
// 15: an index of record versions by block, for a replica's passes since its last.
inline constexpr int kSchemaVersion = 15;

// Brings `database` up to kSchemaVersion. kUnsupported if a newer medchain wrote it.
Status migrate(Database& database);

}  // namespace medchain::store
