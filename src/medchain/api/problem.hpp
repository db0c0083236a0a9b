// Errors as RFC 9457 problem details (application/problem+json): a stable `code` (the Errc name
// or an API-specific one), a type URI derived from it, a title, the HTTP status and a detail
// sentence for people.
#pragma once

#include <medchain/api/http_server.hpp>

namespace medchain::api {

Response problem(int status, std::string_view code, std::string_view title,
                 std::string_view detail);

// The problem for an Error, with the status its code calls for (400 for bad input, 404, 409,
// 422 for a reverted transaction, 503 when the chain or database is unavailable, else 500).
Response problem_for(const Error& error);

}  // namespace medchain::api
