#include <gtest/gtest.h>

#include <fstream>
#include <medchain/api/node_api.hpp>
#include <regex>
#include <set>

namespace medchain::api {
namespace {

// (method, path) pairs described in docs/api/openapi.yaml: a path at two spaces of indent
// under `paths:`, its operations at four.
std::set<std::pair<std::string, std::string>> described_routes() {
  std::ifstream file(std::string(MEDCHAIN_TESTDATA_DIR) + "/../../docs/api/openapi.yaml");
  std::set<std::pair<std::string, std::string>> routes;
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
      routes.emplace(method, path);
    }
  }
  return routes;
}

TEST(OpenApi, DescribesExactlyTheRoutesTheNodeServes) {
  std::set<std::pair<std::string, std::string>> served;
  for (const NodeApi::Route& route : NodeApi::routes()) served.emplace(route.method, route.path);
  const auto described = described_routes();
  EXPECT_FALSE(described.empty());
  for (const auto& route : served) {
    EXPECT_TRUE(described.count(route))
        << route.first << " " << route.second << " is served but not in docs/api/openapi.yaml";
  }
  for (const auto& route : described) {
    EXPECT_TRUE(served.count(route))
        << route.first << " " << route.second << " is in docs/api/openapi.yaml but not served";
  }
}

}  // namespace
}  // namespace medchain::api
