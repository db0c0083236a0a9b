// Scratch files of the records commands (stdin copied to disk, a Bundle's attachments, an
// export written beside its destination), each removed when its owner goes away so nothing
// of a record's plaintext outlives the command.
#pragma once

#include <filesystem>
#include <string>
#include <utility>

namespace medchain::cli::records {

// 16 random hex digits: a name no other command run picks.
std::string random_name_tag();

// A file, removed when this goes away (or is assigned another).
class TempFile {
 public:
  TempFile() = default;
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&& other) noexcept;
  ~TempFile();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A new directory under the system's temporary directory, removed with everything in it.
class TempDirectory {
 public:
  explicit TempDirectory(const std::string& purpose);
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace medchain::cli::records
