// What the records commands take from the chain itself (a contract read through --rpc-url),
// never on the node's word: the encryption keys content keys are sealed to, whether each
// recipient may read, and the digest and author of the version a reader asks for. A node that
// lies about any of them is refused (kCheckFailed) before anything is uploaded, sealed, shared
// or written to disk.
#pragma once

#include <medchain/chain/contract.hpp>
#include <vector>

#include "records/record_keys.hpp"

namespace medchain::cli::records {

// kCheckFailed unless each of `recipients` is someone the chain lets hold the content key of
// `patient`'s record in `category`, with the key the chain holds for them: the patient (their
// registered key), a guardian of the patient (`isGuardian`, their own `patientKeys`), `author`
// when a verified doctor writes, or a verified doctor whose grant or emergency window lets them
// read `category` now.
Status check_recipients_on_chain(const chain::Contract& medchain, const Address& patient,
                                 std::uint8_t category, const Address& author,
                                 const std::vector<Recipient>& recipients);

// The guardians of `patient` now, from the chain itself: every guardian a GuardianAdded event
// ever named for the patient that `isGuardian` still confirms.
Result<std::vector<Address>> guardians_on_chain(const chain::Contract& medchain,
                                                const Address& patient);

// kCheckFailed unless the node's guardians of `patient` are the chain's (guardians_on_chain),
// and each guardian it says has no key has none on chain: a node that hides a guardian, or a
// guardian's key, would keep them from reading new versions.
Status check_guardians_on_chain(const chain::Contract& medchain, const Address& patient,
                                const Recipients& listed);

// kCheckFailed unless `guardian` is a guardian of `patient` on chain with the key the node lists.
Status check_guardian_key_on_chain(const chain::Contract& medchain, const Address& patient,
                                   const Recipient& guardian);

// kCheckFailed unless `doctor` is a verified doctor on chain with the key the node lists.
Status check_doctor_key_on_chain(const chain::Contract& medchain, const Recipient& doctor);

// Version `version` of record `record_id` as the chain's own events (RecordAdded,
// RecordUpdated) record it. kNotFound if the chain has no such version.
struct ChainVersion {
  Address patient;
  Address author;
  Hash32 digest;
};
Result<ChainVersion> version_on_chain(const chain::Contract& medchain, const Hash32& record_id,
                                      std::uint32_t version);

// kCheckFailed unless the node's listing of a version ({"digest", "author", ...}) of record
// `binding.record_id` agrees with the chain's: the digest a reader decrypts against, and the
// author shown.
Status check_version_on_chain(const chain::Contract& medchain,
                              const medchain::records::KeyBinding& binding,
                              const client::json& listed);

// Whether the category the node lists for a version ({"category", "categorySignature", ...} of
// record `binding.record_id`) is stated by someone the chain lets state it: the version's author
// on chain, the patient, or a guardian of the patient (docs/format.md, "Category statements").
// False for a missing or foreign statement; errors only when the chain cannot be read.
Result<bool> category_confirmed(const chain::Contract& medchain, std::uint64_t chain_id,
                                const Address& patient,
                                const medchain::records::KeyBinding& binding, std::uint8_t category,
                                const client::json& listed);

}  // namespace medchain::cli::records
