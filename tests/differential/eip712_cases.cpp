// Differential cases for sign-typed-data: random EIP-712 documents with nested structs, arrays
// of structs and atoms, and every atomic type, written to temporary files.
#include <unistd.h>

#include <mutex>
#include <filesystem>
#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <nlohmann/json.hpp>

#include "differential/differential.hpp"

namespace medchain::differential {
namespace {

using nlohmann::json;

// A JSON number while exactly representable in every JSON reader, else a decimal or hex string.
json integer_json(std::mt19937_64& rng, const U256& magnitude, bool negative) {
  if (magnitude < (U256(1) << 53) && rng() % 2) {
    const auto small = static_cast<std::int64_t>(magnitude);
    return negative ? json(-small) : json(small);
  }
  const std::string digits =
      rng() % 2 || negative ? to_decimal(magnitude) : to_hex_quantity(magnitude);
  return (negative ? "-" : "") + digits;
}

struct Generator {
  std::mt19937_64& rng;
  json types = json::object();
  std::vector<std::string> structs;  // defined so far; a struct refers only to earlier ones

  std::string atomic_type() {
    switch (rng() % 7) {
      case 0:
        return "uint" + std::to_string(8 * (1 + rng() % 32));
      case 1:
        return "int" + std::to_string(8 * (1 + rng() % 32));
      case 2:
        return "address";
      case 3:
        return "bool";
      case 4:
        return "bytes" + std::to_string(1 + rng() % 32);
      case 5:
        return "bytes";
      default:
        return "string";
    }
  }

  std::string field_type() {
    std::string type =
        !structs.empty() && rng() % 3 == 0 ? structs[rng() % structs.size()] : atomic_type();
    if (rng() % 4 == 0) type += rng() % 2 ? "[]" : "[" + std::to_string(1 + rng() % 3) + "]";
    return type;
  }

  void define_struct(const std::string& name) {
    json fields = json::array();
    const std::size_t count = 1 + rng() % 4;
    for (std::size_t i = 0; i < count; ++i)
      fields.push_back({{"name", "f" + std::to_string(i)}, {"type", field_type()}});
    types[name] = fields;
    structs.push_back(name);
  }

  json value_of(const std::string& type) {
    if (type.back() == ']') {
      const std::size_t open = type.rfind('[');
      const std::string element = type.substr(0, open);
      const std::string length = type.substr(open + 1, type.size() - open - 2);
      const std::size_t count = length.empty() ? random_size(rng, 3) : std::stoul(length);
      json array = json::array();
      for (std::size_t i = 0; i < count; ++i) array.push_back(value_of(element));
      return array;
    }
    if (types.contains(type)) {
      json object = json::object();
      for (const json& field : types[type])
        object[field["name"].get<std::string>()] = value_of(field["type"]);
      return object;
    }
    if (type == "string") return random_text(rng, random_size(rng, 40));
    if (type == "bytes") return random_hex_bytes(rng, random_size(rng, 70));
    if (type == "address") return random_hex_bytes(rng, 20);
    if (type == "bool") return rng() % 2 == 0;
    if (type.rfind("bytes", 0) == 0) return random_hex_bytes(rng, std::stoul(type.substr(5)));
    if (type.rfind("uint", 0) == 0)
      return integer_json(rng, random_u256(rng, std::stoul(type.substr(4))), false);
    const unsigned bits = static_cast<unsigned>(std::stoul(type.substr(3)));
    const U256 magnitude = random_u256(rng, bits - 1);
    return integer_json(rng, magnitude, magnitude != 0 && rng() % 2);
  }
};

// The documents' files, removed when the test process exits: a case's command lines name them,
// and the cases run after they are made.
class CaseFiles {
 public:
  CaseFiles() = default;
  CaseFiles(const CaseFiles&) = delete;
  CaseFiles& operator=(const CaseFiles&) = delete;
  ~CaseFiles() {
    std::error_code ignored;
    for (const std::filesystem::path& path : paths_) std::filesystem::remove(path, ignored);
  }

  std::filesystem::path next() {
    const std::lock_guard<std::mutex> lock(mutex_);
    paths_.push_back(std::filesystem::temp_directory_path() /
                     ("medchain-eip712-" + std::to_string(getpid()) + "-" +
                      std::to_string(paths_.size()) + ".json"));
    return paths_.back();
  }

 private:
  std::mutex mutex_;
  std::vector<std::filesystem::path> paths_;
};

std::filesystem::path temp_file() {
  static CaseFiles files;
  return files.next();
}

const bool kSignTypedData = register_primitive("sign-typed-data", [](std::mt19937_64& rng) {
  Generator generator{rng, json::object(), {}};
  const std::size_t struct_count = 1 + rng() % 3;
  for (std::size_t i = 0; i < struct_count; ++i) generator.define_struct("S" + std::to_string(i));
  json domain = json::object();
  if (rng() % 4) domain["name"] = "medchain " + random_text(rng, random_size(rng, 10));
  if (rng() % 2) domain["version"] = std::to_string(rng() % 10);
  if (rng() % 4) domain["chainId"] = 1 + rng() % 100'000;
  if (rng() % 2) domain["verifyingContract"] = random_hex_bytes(rng, 20);
  if (rng() % 8 == 0) domain["salt"] = random_hex_bytes(rng, 32);
  const std::string primary = generator.structs.back();
  json document{{"types", generator.types},
                {"primaryType", primary},
                {"domain", domain},
                {"message", generator.value_of(primary)}};
  // Half the documents spell out EIP712Domain; the others leave it to be derived.
  if (rng() % 2) {
    json fields = json::array();
    for (const auto& [name, type] : {std::pair{"name", "string"},
                                     {"version", "string"},
                                     {"chainId", "uint256"},
                                     {"verifyingContract", "address"},
                                     {"salt", "bytes32"}}) {
      if (domain.contains(name)) fields.push_back({{"name", name}, {"type", type}});
    }
    document["types"]["EIP712Domain"] = fields;
  }
  const std::filesystem::path path = temp_file();
  std::ofstream(path) << document.dump(rng() % 2 ? 2 : -1);
  const std::string key = random_private_key(rng);
  return Case{{"util", "sign-typed-data", "--private-key", key, path.string()},
              {"wallet", "sign", "--private-key", key, "--data", "--from-file", path.string()}};
});

}  // namespace
}  // namespace medchain::differential
