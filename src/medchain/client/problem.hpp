// How medchaind's answers become Results on the client: a 2xx JSON body is the value; an RFC
// 9457 problem (or any other refusal) becomes an Error whose code a caller can switch on and
// whose message carries the node's own `code` and `detail`.
#pragma once

#include <medchain/core/result.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

namespace medchain::client {

// The Errc for an HTTP status the node answered: 400 kInvalidArgument, 401 kUnauthenticated,
// 403 kPermissionDenied, 404 kNotFound, 409 kConflict, 413 kTooLarge, 422 kReverted (a refused
// intent, or an upload whose digest does not match), 429 and 5xx kUnavailable, any other 4xx
// kInvalidArgument. REQUIRES: status >= 400.
Errc errc_for_status(int status) noexcept;

// The Error for a refusal: "<detail> (<status> <code>)" from a problem+json body, or the
// status and the start of the body for anything else. `what` names the request
// ("GET /v1/me") for answers that are not problems.
Error error_from_answer(int status, std::string_view body, std::string_view what);

// A 2xx answer's body as JSON (null for an empty body); kProtocol if it is not JSON.
Result<nlohmann::json> json_from_answer(std::string_view body, std::string_view what);

}  // namespace medchain::client
