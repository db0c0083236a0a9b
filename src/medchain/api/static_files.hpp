// The web app's static build (web/dist), served by medchaind at / so that one origin serves
// both the app and the API. Paths are checked before any file is opened: only plain names
// below the root, never "..", never a dot file. A path without a file extension that names no
// file gets index.html, for the app's client-side routes.
#pragma once

#include <filesystem>
#include <medchain/api/http_server.hpp>
#include <optional>

namespace medchain::api {

// The response for GET `request.path` from `root`, or nullopt when the path is not a file the
// app could have (the caller answers 404).
std::optional<Response> serve_static(const std::filesystem::path& root, const Request& request);

}  // namespace medchain::api
