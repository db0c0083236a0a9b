// EIP-191 version 0x45 ("personal_sign") messages.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/crypto/secp256k1.hpp>

namespace medchain::eth {

// keccak256("\x19Ethereum Signed Message:\n" + decimal(len(message)) + message).
Hash32 personal_message_hash(ByteView message);

// Signs `message` as eth_sign / personal_sign / `cast wallet sign` do.
crypto::Signature sign_personal_message(const crypto::PrivateKey& key, ByteView message);

// The address that signed `message`, from a 65-byte r || s || v signature.
Result<Address> recover_personal_signer(ByteView message, ByteView rsv_signature);

}  // namespace medchain::eth
