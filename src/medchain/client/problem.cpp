#include <medchain/client/problem.hpp>

namespace medchain::client {

Errc errc_for_status(int status) noexcept {
  switch (status) {
    case 401:
      return Errc::kUnauthenticated;
    case 403:
      return Errc::kPermissionDenied;
    case 404:
      return Errc::kNotFound;
    case 409:
      return Errc::kConflict;
    case 413:
      return Errc::kTooLarge;
    case 422:
      return Errc::kReverted;
    case 429:
      return Errc::kUnavailable;
    default:
      return status >= 500 ? Errc::kUnavailable : Errc::kInvalidArgument;
  }
}

Error error_from_answer(int status, std::string_view body, std::string_view what) {
  const Errc code = errc_for_status(status);
  const auto problem = nlohmann::json::parse(body, nullptr, false);
  if (problem.is_object() && problem.contains("detail") && problem["detail"].is_string()) {
    const std::string name = problem.value("code", std::string("error"));
    return Error{code, problem["detail"].get<std::string>() + " (" + std::to_string(status) + " " +
                           name + ")"};
  }
  // Not a problem document (a proxy's error page, say): enough of it to recognise.
  constexpr std::size_t kShown = 120;
  std::string shown(body.substr(0, kShown));
  for (char& c : shown) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return Error{code, std::string(what) + " answered " + std::to_string(status) +
                         (shown.empty() ? "" : ": " + shown)};
}

Result<nlohmann::json> json_from_answer(std::string_view body, std::string_view what) {
  if (body.empty()) return nlohmann::json();
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return Error{Errc::kProtocol, std::string(what) + " answered with something that is not JSON"};
  }
  return parsed;
}

}  // namespace medchain::client
