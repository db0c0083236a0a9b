#include "account/key_rotation.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/envelope.hpp>

#include "records/record_keys.hpp"

namespace medchain::cli {
namespace {

using client::json;
namespace format = medchain::records;

struct Resealing {
  std::size_t resealed = 0;
  std::size_t already_sealed = 0;
};

// Seals the patient's own copy of every version's content key to `next`, unless a previous run
// did. `mine` are the keys the copies may be sealed to now (the one on chain first).
Result<Resealing> reseal_own_keys(client::NodeClient& node, const Address& patient,
                                  std::span<const format::EncryptionKeyPair> mine,
                                  const format::EncryptionKeyPair& next) {
  MEDCHAIN_TRY(json listing, node.get("/v1/patients/" + eth::to_checksum(patient) + "/records"));
  Resealing done;
  for (const json& record : listing.value("records", json::array())) {
    MEDCHAIN_TRY(Hash32 record_id, from_hex_fixed<Hash32>(record.value("recordId", "")));
    for (const json& version : record.value("versions", json::array())) {
      MEDCHAIN_TRY(format::KeyBinding binding, records::version_binding(record_id, version));
      const std::string path = "/v1/records/" + to_hex(record_id) + "/versions/" +
                               std::to_string(binding.version) + "/key";
      auto own = node.get(path);
      if (!own.ok() && own.error().code == Errc::kNotFound) continue;  // no copy of the patient's
      if (!own.ok()) return std::move(own).error();
      MEDCHAIN_TRY(Bytes sealed, from_hex(own->value("sealedKey", "")));
      if (format::open_content_key(sealed, binding, next).ok()) {
        ++done.already_sealed;
        continue;
      }
      auto key = format::open_content_key(sealed, binding, mine);
      if (!key.ok()) {
        return Error{key.error().code, "your key of " + to_hex(record_id) + " version " +
                                           std::to_string(binding.version) + " does not open: " +
                                           key.error().message + "; nothing rotated"};
      }
      MEDCHAIN_TRY_STATUS(
          records::share_content_key(node, binding, *key, {{patient, next.public_key}}));
      ++done.resealed;
    }
  }
  return done;
}

}  // namespace

Result<KeyRotation> rotate_encryption_key(ClientContext& context) {
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  if (!context.me().value("patient", false)) {
    return Error{
        Errc::kInvalidArgument,
        eth::to_checksum(patient) + " is not a registered patient: only a patient's key rotates"};
  }
  KeyRotation rotation;
  MEDCHAIN_TRY(rotation.from, context.key_derivation());
  MEDCHAIN_TRY(format::Deployment deployment, context.deployment());
  rotation.to = format::KeyDerivation::format2(deployment, rotation.from.next_generation());
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  const format::EncryptionKeyPair next = format::derive_encryption_key(key, rotation.to);
  rotation.encryption_key = next.public_key;

  MEDCHAIN_TRY(std::vector<format::EncryptionKeyPair> mine, context.decryption_keys());
  MEDCHAIN_TRY(Resealing done, reseal_own_keys(*node, patient, mine, next));
  rotation.resealed = done.resealed;
  rotation.already_sealed = done.already_sealed;
  MEDCHAIN_TRY(rotation.relayed, context.relay("rotatePatientKeyBySig",
                                               {{"patient", eth::to_checksum(patient)},
                                                {"encryptionKey", to_hex(next.public_key)}}));
  return rotation;
}

}  // namespace medchain::cli
