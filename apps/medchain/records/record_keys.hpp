// Who holds a record version's content key (docs/format.md, "Content keys"): the recipients a
// new version's key is sealed to, and sharing the keys of existing versions with a doctor who
// was just granted access or a guardian just added. Used by `medchain records`,
// `medchain access approve|grant` and `medchain guardians add`.
#pragma once

#include <cstdint>
#include <medchain/chain/contract.hpp>
#include <medchain/client/node_client.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/records/envelope.hpp>
#include <span>
#include <vector>

namespace medchain::cli::records {

struct Recipient {
  Address account;
  medchain::records::X25519PublicKey encryption_key;  // as registered on chain
};

// The accounts a new version of `patient`'s record in `category` is sealed to: the patient,
// each guardian of the patient with an encryption key of their own (their patient key), `author`
// if it is a doctor, and every verified doctor whose unexpired read grant covers the category
// now. A doctor author cannot see the patient's grants, so theirs is patient + guardians + self.
// Guardians who registered no key cannot be sealed to; they are named apart, so the caller can
// say so. An account is listed once, in that order (a guardian who is also a doctor gets the
// version sealed to their patient key).
struct Recipients {
  std::vector<Recipient> readers;
  std::vector<Address> guardians;              // every guardian the node lists, keyed or not
  std::vector<Address> guardians_without_key;  // not sealed to: no encryption key registered
};
Result<Recipients> key_recipients(client::NodeClient& node, const Address& patient,
                                  std::uint8_t category, const Address& author);

// A guardian's encryption key as the node lists it: their own patient key. kNotFound if the
// guardian registered none.
Result<Recipient> guardian_key(client::NodeClient& node, const Address& guardian);

// Seals `key`, bound to the version it unlocks, to each recipient and stores the sealed keys
// (PUT .../versions/{n}/keys).
Status share_content_key(client::NodeClient& node, const medchain::records::KeyBinding& version,
                         const medchain::records::ContentKey& key,
                         const std::vector<Recipient>& recipients);

// A version number as a sealed key binds it (1 .. 2^32 - 1); kProtocol otherwise.
Result<std::uint32_t> checked_version(std::uint64_t number);

// The binding of a version as the node lists it ({"version", "digest"}) of record `record_id`.
Result<medchain::records::KeyBinding> version_binding(const Hash32& record_id,
                                                      const client::json& version);

// A verified doctor and their key, as the node lists them; kNotFound if it lists no such doctor.
Result<Recipient> verified_doctor(client::NodeClient& node, const Address& doctor);

// For `medchain access approve|grant`: opens the patient's own sealed key of every version of
// every record of the patient whose category is in `scope` and seals it to `doctor` (a
// verified doctor's registered key), so a new grant reads history too. `patient_keys` are the
// patient's keys, the one on chain first (ClientContext::decryption_keys). The node must be
// signed in as the patient. Returns how many version keys were shared; a version without a
// key for the patient (not written by this client) is skipped.
// With `medchain` (not null), the chain must confirm the doctor's key and read access to each
// category, and each version's category must be stated by its author, the patient or a
// guardian (category_confirmed), before a key of it is shared; other versions are skipped and
// counted, since the node alone says which category they are.
struct SharedKeys {
  std::size_t shared = 0;
  std::size_t unconfirmed = 0;  // skipped: their category statement is missing or foreign
};
Result<SharedKeys> share_record_keys(
    client::NodeClient& node, std::span<const medchain::records::EncryptionKeyPair> patient_keys,
    const Address& patient, const Address& doctor, std::uint16_t scope,
    const chain::Contract* medchain);

// For `medchain guardians add`: seals the content key of every version of every record of
// `patient` the patient holds a key of to `guardian` (their registered patient key), whatever
// the category, since a guardian reads everything the patient does. With `medchain` (not null),
// the chain must confirm that `guardian` is a guardian of `patient` with that key first.
// The node must be signed in as the patient. kNotFound if the guardian registered no key.
Result<SharedKeys> share_keys_with_guardian(
    client::NodeClient& node, std::span<const medchain::records::EncryptionKeyPair> patient_keys,
    const Address& patient, const Address& guardian, const chain::Contract* medchain);

}  // namespace medchain::cli::records
