#include <medchain/core/result.hpp>

namespace medchain {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kInvalidHex:
      return "invalid_hex";
    case Errc::kInvalidLength:
      return "invalid_length";
    case Errc::kInvalidNumber:
      return "invalid_number";
    case Errc::kOverflow:
      return "overflow";
    case Errc::kInvalidAddress:
      return "invalid_address";
    case Errc::kBadChecksum:
      return "bad_checksum";
    case Errc::kInvalidJson:
      return "invalid_json";
    case Errc::kRlpTruncated:
      return "rlp_truncated";
    case Errc::kRlpNonCanonical:
      return "rlp_non_canonical";
    case Errc::kRlpUnexpectedType:
      return "rlp_unexpected_type";
    case Errc::kTrailingBytes:
      return "trailing_bytes";
    case Errc::kAbiInvalidType:
      return "abi_invalid_type";
    case Errc::kAbiInvalidData:
      return "abi_invalid_data";
    case Errc::kAbiValueMismatch:
      return "abi_value_mismatch";
    case Errc::kEip712Invalid:
      return "eip712_invalid";
    case Errc::kInvalidPrivateKey:
      return "invalid_private_key";
    case Errc::kInvalidSignature:
      return "invalid_signature";
    case Errc::kInvalidTransaction:
      return "invalid_transaction";
    case Errc::kIo:
      return "io";
    case Errc::kUnsupported:
      return "unsupported";
    case Errc::kCheckFailed:
      return "check_failed";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kTimeout:
      return "timeout";
    case Errc::kProtocol:
      return "protocol";
    case Errc::kRpcError:
      return "rpc_error";
    case Errc::kReverted:
      return "reverted";
    case Errc::kWrongChain:
      return "wrong_chain";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kConflict:
      return "conflict";
    case Errc::kPermissionDenied:
      return "permission_denied";
    case Errc::kTooLarge:
      return "too_large";
    case Errc::kDecryptFailed:
      return "decrypt_failed";
    case Errc::kInvalidResource:
      return "invalid_resource";
    case Errc::kUnauthenticated:
      return "unauthenticated";
  }
  return "unknown";
}

}  // namespace medchain
