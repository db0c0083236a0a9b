#include "util/util_args.hpp"

#include <medchain/core/hex.hpp>

namespace medchain::cli {

Result<Bytes> message_bytes(const std::string& text) {
  if (has_hex_prefix(text)) return from_hex(text);
  const ByteView view = as_bytes(text);
  return Bytes(view.begin(), view.end());
}

Result<crypto::PrivateKey> parse_private_key_arg(const std::string& text) {
  auto bytes = from_hex(text);
  if (!bytes)
    return Error{Errc::kInvalidPrivateKey, "private key is not hex: " + bytes.error().message};
  return crypto::parse_private_key(*bytes);
}

}  // namespace medchain::cli
