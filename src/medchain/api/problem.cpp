#include <medchain/api/problem.hpp>
#include <nlohmann/json.hpp>

namespace medchain::api {

Response problem(int status, std::string_view code, std::string_view title,
                 std::string_view detail) {
  const nlohmann::json body{{"type", "/problems/" + std::string(code)},
                            {"title", title},
                            {"status", status},
                            {"detail", detail},
                            {"code", code}};
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = body.dump();
  return response;
}

Response problem_for(const Error& error) {
  const std::string code(errc_name(error.code));
  switch (error.code) {
    case Errc::kNotFound:
      return problem(404, code, "Not found", error.message);
    case Errc::kPermissionDenied:
      return problem(403, code, "Not allowed", error.message);
    case Errc::kTooLarge:
      return problem(413, code, "Too large", error.message);
    case Errc::kConflict:
      return problem(409, code, "Conflict", error.message);
    case Errc::kReverted:
      return problem(422, code, "The chain refused the transaction", error.message);
    case Errc::kUnavailable:
    case Errc::kTimeout:
    case Errc::kRpcError:
    case Errc::kProtocol:
    case Errc::kWrongChain:
      return problem(503, code, "A service the node depends on is unavailable", error.message);
    case Errc::kIo:
      return problem(500, code, "Internal error", "the node could not complete the request");
    default:
      return problem(400, code, "Bad request", error.message);
  }
}

}  // namespace medchain::api
