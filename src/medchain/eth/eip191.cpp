#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/eip191.hpp>
#include <string>

namespace medchain::eth {

Hash32 personal_message_hash(ByteView message) {
  const std::string prefix =
      "\x19"
      "Ethereum Signed Message:\n" +
      std::to_string(message.size());
  return crypto::Keccak256().update(as_bytes(prefix)).update(message).finish();
}

crypto::Signature sign_personal_message(const crypto::PrivateKey& key, ByteView message) {
  return crypto::sign_hash(key, personal_message_hash(message));
}

Result<Address> recover_personal_signer(ByteView message, ByteView rsv_signature) {
  MEDCHAIN_TRY(crypto::Signature signature, crypto::parse_signature(rsv_signature));
  return crypto::recover_address(personal_message_hash(message), signature);
}

}  // namespace medchain::eth
