// The real `medchain` binary, run from an integration test: one home directory, the password
// every test key is stored under, and the options every call of a test shares (the node, a
// chain). Its --json answers are parsed, and a failure shows the command and its stderr.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace medchain::test {

class CliRunner {
 public:
  CliRunner(std::filesystem::path home, std::vector<std::string> shared_options)
      : home_(std::move(home)), shared_(std::move(shared_options)) {}

  ProcessResult run(std::vector<std::string> args,
                    std::chrono::milliseconds deadline = std::chrono::seconds(120)) const {
    std::vector<std::string> argv{"/usr/bin/env", "MEDCHAIN_PASSWORD=pw",
                                  "MEDCHAIN_IMPORT_PASSWORD=", MEDCHAIN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--home", home_.string()});
    argv.insert(argv.end(), shared_.begin(), shared_.end());
    return run_process(argv, deadline);
  }

  // The command with --json, expected to succeed; its answer (null when it printed no JSON).
  nlohmann::json must(std::vector<std::string> args) const {
    args.push_back("--json");
    const ProcessResult result = run(args);
    EXPECT_EQ(result.exit_code, 0) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": "
                                   << result.err;
    const nlohmann::json parsed = nlohmann::json::parse(result.out, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json() : parsed;
  }

  // Stores `key` in the home (a cheap scrypt: tests only); its checksummed address.
  std::string import(const crypto::PrivateKey& key) const {
    return must({"keys", "import", "--private-key", to_hex(key), "--scrypt-n", "1024"})
        .value("address", "");
  }

 private:
  std::filesystem::path home_;
  std::vector<std::string> shared_;
};

}  // namespace medchain::test
