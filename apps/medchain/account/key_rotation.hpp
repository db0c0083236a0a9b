// `medchain keys rotate` (docs/format.md, "Rotating the encryption key"): a patient moves to
// the next generation of their format 2 encryption key. The patient's own copy of every content
// key is sealed again to the new key first, while the chain still names the old one, and the
// chain is told last (rotatePatientKeyBySig), so an interruption loses nothing and a rerun
// finishes the job.
#pragma once

#include <cstddef>
#include <medchain/records/encryption_key.hpp>

#include "client_context.hpp"

namespace medchain::cli {

struct KeyRotation {
  medchain::records::KeyDerivation from;              // the key the chain held
  medchain::records::KeyDerivation to;                // the key it holds now
  medchain::records::X25519PublicKey encryption_key;  // `to`'s public key
  std::size_t resealed = 0;        // the patient's copies sealed to the new key by this run
  std::size_t already_sealed = 0;  // copies a previous, interrupted run had sealed already
  client::json relayed;            // the node's answer to rotatePatientKeyBySig
};

// Rotates the account's key. REQUIRES the account to be a registered patient, signed in to the
// node (its records are listed and its copies replaced there). kInvalidArgument for an account
// that is not a patient; kCheckFailed when the key on chain is none of the account's
// derivations (nothing is changed then); a copy that opens with neither key stops the rotation
// before the chain is told (kDecryptFailed, naming the version).
Result<KeyRotation> rotate_encryption_key(ClientContext& context);

}  // namespace medchain::cli
