// Argument conventions shared by the `util` commands, matching `cast`.
#pragma once

#include <medchain/core/bytes.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <string>

namespace medchain::cli {

// A message or data argument: 0x-prefixed text is hex, anything else its UTF-8 bytes.
Result<Bytes> message_bytes(const std::string& text);

// A private key given as 64 hex digits, with or without 0x.
Result<crypto::PrivateKey> parse_private_key_arg(const std::string& text);

}  // namespace medchain::cli
