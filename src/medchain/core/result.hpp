// The one error scheme of medchain's C++ code (see docs/architecture.md, "Errors").
//
// Every operation that can fail on bad input — parsers, decoders, signature checks, I/O —
// returns Result<T>: either a value or an Error. An Error carries a stable code a caller can
// switch on and a human sentence for the edges (CLI message, HTTP problem detail). Exceptions
// are reserved for programming errors and resource exhaustion; no function reports the same
// kind of failure both ways.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace medchain {

// Stable error codes. Append only: the numeric values and names are part of the CLI's JSON
// output and the API's problem types.
enum class Errc : std::uint16_t {
  kInvalidArgument = 1,  // a caller-supplied value is malformed (generic)
  kInvalidHex,           // not a hex string, or odd length
  kInvalidLength,        // right encoding, wrong size
  kInvalidNumber,        // not a decimal or 0x-hex integer
  kOverflow,             // a number does not fit its type
  kInvalidAddress,       // not a 20-byte address
  kBadChecksum,          // EIP-55 mixed-case checksum does not match
  kInvalidJson,          // JSON syntax or shape
  kRlpTruncated,         // RLP input ends inside an item
  kRlpNonCanonical,      // RLP encoding that a strict decoder must reject
  kRlpUnexpectedType,    // list where a string was expected, or the reverse
  kTrailingBytes,        // input continues after a complete item
  kAbiInvalidType,       // a Solidity type or signature that cannot be parsed
  kAbiInvalidData,       // ABI-encoded bytes that do not decode as the type says
  kAbiValueMismatch,     // a value that does not fit the ABI type it is given for
  kEip712Invalid,        // typed data whose types, domain or message are inconsistent
  kInvalidPrivateKey,    // zero or not below the curve order
  kInvalidSignature,     // a signature that is malformed or does not verify
  kInvalidTransaction,   // a transaction that cannot be built, decoded or signed
  kIo,                   // file or process I/O failed
  kUnsupported,          // valid input this build does not handle
  kCheckFailed,          // a verification the caller asked for came out negative
  kUnavailable,          // a remote peer (chain node, storage node) cannot be reached
  kTimeout,              // a deadline passed before the peer answered
  kProtocol,             // a peer answered with something that is not the protocol
  kRpcError,             // a JSON-RPC node answered with an error object
  kReverted,             // a call or transaction reverted (message holds the decoded reason)
  kWrongChain,           // the node serves another chain id than configured
  kNotFound,             // the thing asked for does not exist (a blob, a record, a key)
  kConflict,             // the operation was already done (an intent submitted twice)
  kPermissionDenied,     // the caller is known but not allowed (the chain says no)
  kTooLarge,             // more data than the limit allows
  kDecryptFailed,        // ciphertext or a sealed key that does not authenticate (tampered,
                         // truncated, extended, or another key)
  kInvalidResource,      // a FHIR resource that fails validation (type, required fields)
  kUnauthenticated,      // no valid session: never signed in, logged out, idle or expired
};

// The stable, snake_case name of a code ("invalid_hex"), used in JSON error output.
std::string_view errc_name(Errc code) noexcept;

// A failure: what kind (code) and, for people, what exactly (message).
struct Error {
  Errc code{Errc::kInvalidArgument};
  std::string message;

  Error(Errc c, std::string m) : code(c), message(std::move(m)) {}
  bool operator==(const Error&) const = default;
};

// Thrown only when code asks a Result for the value it does not hold: a bug, not bad input.
struct BadResultAccess : std::logic_error {
  using std::logic_error::logic_error;
};

// A value of type T or an Error. Implicitly constructible from either, so a function returns
// `value` on success and `Error{...}` on failure.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(checked()); }
  const T& value() const& { return std::get<0>(checked()); }
  T&& value() && { return std::get<0>(std::move(checked())); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& {
    if (ok()) throw BadResultAccess("Result::error() on a value");
    return std::get<1>(state_);
  }
  Error&& error() && {
    if (ok()) throw BadResultAccess("Result::error() on a value");
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error>& checked() {
    if (!ok()) throw BadResultAccess("Result::value() on an error: " + std::get<1>(state_).message);
    return state_;
  }
  const std::variant<T, Error>& checked() const {
    if (!ok()) throw BadResultAccess("Result::value() on an error: " + std::get<1>(state_).message);
    return state_;
  }

  std::variant<T, Error> state_;
};

// Success or an Error, for operations that produce no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  void value() const {
    if (failed_) throw BadResultAccess("Result<void>::value() on an error: " + error_.message);
  }
  // REQUIRES: !ok().
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_{Errc::kInvalidArgument, ""};
  bool failed_{false};
};

using Status = Result<void>;

}  // namespace medchain

#define MEDCHAIN_CONCAT_INNER(a, b) a##b
#define MEDCHAIN_CONCAT(a, b) MEDCHAIN_CONCAT_INNER(a, b)

// MEDCHAIN_TRY(decl, expr): evaluates expr (a Result); on error returns the error from the
// enclosing function, otherwise binds the value to decl, e.g.
//   MEDCHAIN_TRY(Bytes raw, from_hex(text));
#define MEDCHAIN_TRY(decl, expr)                                        \
  auto MEDCHAIN_CONCAT(medchain_try_, __LINE__) = (expr);               \
  if (!MEDCHAIN_CONCAT(medchain_try_, __LINE__).ok())                   \
    return std::move(MEDCHAIN_CONCAT(medchain_try_, __LINE__)).error(); \
  decl = std::move(MEDCHAIN_CONCAT(medchain_try_, __LINE__)).value()

// MEDCHAIN_TRY_STATUS(expr): evaluates expr (a Result); on error returns the error. The
// variable is named by line, so the macro nests (a lambda passed in `expr` may use it too).
#define MEDCHAIN_TRY_STATUS(expr)                                            \
  do {                                                                       \
    auto MEDCHAIN_CONCAT(medchain_status_, __LINE__) = (expr);               \
    if (!MEDCHAIN_CONCAT(medchain_status_, __LINE__).ok())                   \
      return std::move(MEDCHAIN_CONCAT(medchain_status_, __LINE__)).error(); \
  } while (false)
