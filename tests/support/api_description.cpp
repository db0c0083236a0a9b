#include "support/api_description.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>

namespace medchain::test {

std::vector<DescribedOperation> described_operations() {
  std::ifstream file(std::filesystem::path(MEDCHAIN_SOURCE_DIR) / "docs/api/openapi.yaml");
  std::vector<DescribedOperation> operations;
  const std::regex path_line("^  (/[^:]*):\\s*$");
  const std::regex method_line("^    (get|put|post|delete|patch|head|options):");
  bool in_paths = false;
  std::string path;
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ') break;  // the next top-level key
    std::smatch match;
    if (std::regex_match(line, match, path_line)) {
      path = match[1];
    } else if (std::regex_search(line, match, method_line)) {
      std::string method = match[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operations.push_back({method, path});
    } else if (line == "      x-cross-origin: true" && !operations.empty()) {
      operations.back().cross_origin = true;
    }
  }
  return operations;
}

}  // namespace medchain::test
