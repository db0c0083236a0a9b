#include <sodium.h>

#include <array>
#include <medchain/core/hex.hpp>
#include <records/temp_files.hpp>

namespace medchain::cli::records {

namespace fs = std::filesystem;

std::string random_name_tag() {
  std::array<std::uint8_t, 8> tag{};
  randombytes_buf(tag.data(), tag.size());
  return to_hex(tag, false);
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    TempFile gone(std::move(*this));
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

TempFile::~TempFile() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove(path_, ignored);
}

TempDirectory::TempDirectory(const std::string& purpose)
    : path_(fs::temp_directory_path() / (".medchain-" + purpose + "-" + random_name_tag())) {
  fs::create_directories(path_);
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace medchain::cli::records
