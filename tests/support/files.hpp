// Files for tests and benchmarks that move records around: made of reproducible pseudo-random
// bytes, read back whole, and compared without holding two large files in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace medchain::test {

// The whole file as bytes ("" if it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Writes `size` pseudo-random bytes (splitmix64 from `seed`, so a failure replays exactly) in
// 1 MiB pieces. Throws std::runtime_error if the file cannot be written.
void write_random_file(const std::filesystem::path& path, std::uint64_t size, std::uint64_t seed);

// Whether the two files hold the same bytes, compared 1 MiB at a time.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace medchain::test
