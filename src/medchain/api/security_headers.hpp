// The headers medchaind sends with every answer so that the web app it serves runs only its own
// code: a Content-Security-Policy without inline script, no framing by another site (the app
// signs intents: a frame would invite clickjacking), no MIME sniffing (a decrypted SVG or HTML
// file must never become a page of this origin) and no Referer leaking a record id elsewhere.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace medchain::api {

struct SecurityHeaderOptions {
  // Origins besides the node's own that the app may fetch from, e.g. a chain's JSON-RPC URL
  // ("http://127.0.0.1:8545"). Default: none.
  std::vector<std::string> connect_sources;
};

// REQUIRES: each connect source is an origin or a CSP host-source without ';' or ','.
std::vector<std::pair<std::string, std::string>> security_headers(
    const SecurityHeaderOptions& options = {});

}  // namespace medchain::api
