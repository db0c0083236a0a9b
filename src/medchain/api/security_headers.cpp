#include <medchain/api/security_headers.hpp>

namespace medchain::api {

std::vector<std::pair<std::string, std::string>> security_headers(
    const SecurityHeaderOptions& options) {
  std::string connect = "'self'";
  for (const std::string& source : options.connect_sources) connect += " " + source;
  // 'wasm-unsafe-eval' lets libsodium's WebAssembly compile; it allows no JavaScript eval.
  // blob: images and workers are the app's own decrypted images and the DICOM viewer's decoders.
  const std::string policy =
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
      "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src " +
      connect +
      "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self' blob:; "
      "frame-ancestors 'none'";
  return {{"Content-Security-Policy", policy},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Opener-Policy", "same-origin"}};
}

}  // namespace medchain::api
