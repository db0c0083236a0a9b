#include <fcntl.h>
#include <unistd.h>

#include <medchain/api/static_files.hpp>

namespace medchain::api {
namespace {

namespace fs = std::filesystem;

std::string_view content_type_of(const fs::path& file) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const std::string extension = file.extension().string();
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

// Letters, digits, '-', '_', '.', '/' and nothing that climbs or hides.
bool is_plain_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  for (char c : path) {
    const bool plain =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
    if (!plain) return false;
  }
  return path.find("/.") == std::string_view::npos && path.find("//") == std::string_view::npos;
}

class FileSource final : public BodySource {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  ~FileSource() override { ::close(fd_); }
  Result<std::size_t> read(std::span<std::uint8_t> out) override {
    const ssize_t got = ::read(fd_, out.data(), out.size());
    if (got < 0) return Error{Errc::kIo, "cannot read a static file"};
    return static_cast<std::size_t>(got);
  }

 private:
  int fd_;
};

}  // namespace

std::optional<Response> serve_static(const fs::path& root, const Request& request) {
  if (request.method != "GET" || !is_plain_path(request.path)) return std::nullopt;
  fs::path file = root / request.path.substr(1);
  std::error_code ec;
  if (request.path == "/" || fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) {
    if (fs::path(request.path).has_extension()) return std::nullopt;
    file = root / "index.html";  // a route of the app itself
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
  }
  const auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  Response response;
  response.content_type = std::string(content_type_of(file));
  // Vite names built assets by their content hash: they never change under one name.
  const bool hashed_asset = request.path.rfind("/assets/", 0) == 0;
  response.headers.emplace_back("Cache-Control",
                                hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.stream = std::make_unique<FileSource>(fd);
  response.stream_size = size;
  return response;
}

}  // namespace medchain::api
