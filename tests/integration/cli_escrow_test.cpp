// `medchain emergency escrow set` and `medchain emergency read` (docs/cli.md, "Emergency
// escrow"): the real binary against anvil and three medchaind custodian nodes (one on
// PostgreSQL). The patient deals a 2-of-3 escrow after adding a record (whose key is wrapped
// then) and adds another; a doctor with no grant reads both through the escrow while its
// window is open and one custodian is down, and is refused without a window and after it.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "cli_runner.hpp"
#include "support/files.hpp"
#include "support/node.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

class CliEscrowTest : public ::testing::Test {
 protected:
  CliEscrowTest() : dir_(fs::temp_directory_path() / ("medchain-cli-escrow-" + random_tag())) {
    fs::create_directories(dir_);
    registrar_ = ledger_.registrar();
    for (int i = 0; i < 3; ++i) {
      const fs::path file = dir_ / ("custodian-" + std::to_string(i) + ".key");
      const records::EncryptionKeyPair key = custody::create_custodian_key(file).value();
      Party account = ledger_.party();
      Hash32 word;
      word.bytes = key.public_key.bytes;
      ledger_.must_call(account, "setCustodianKey", {bytes32(word)});
      std::vector<std::string> args{"--custodian-key", file.string()};
      if (i == 0) args.insert(args.end(), {"--database", postgres_.create_database()});
      nodes_.push_back(std::make_unique<Node>(ledger_, args));
      custodians_.push_back(eth::to_checksum(account.address) + "=http://" +
                            nodes_.back()->authority());
    }
    cli_ = std::make_unique<CliRunner>(
        dir_ / "home", std::vector<std::string>{"--node", "http://" + nodes_[0]->authority(),
                                                "--rpc-url", ledger_.dev_chain().url()});
  }
  ~CliEscrowTest() override {
    nodes_.clear();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static std::string random_tag() { return to_hex(random_hash()).substr(2, 12); }

  ProcessResult medchain(std::vector<std::string> args) { return cli_->run(std::move(args)); }
  json must(std::vector<std::string> args) { return cli_->must(std::move(args)); }
  std::string import(const crypto::PrivateKey& key) { return cli_->import(key); }
  // The doctor's emergency read of `record`, repeated (up to 10 s) while it exits with
  // `pending`: each custodian indexes the window's opening or closing on its own.
  ProcessResult read_until(const std::string& doctor, const std::string& record,
                           const fs::path& out, int pending) {
    ProcessResult result;
    for (int i = 0; i < 50; ++i) {
      std::error_code ignored;
      fs::remove(out, ignored);
      result = medchain({"emergency", "read", record, "--out", out.string(), "--from", doctor});
      if (result.exit_code != pending) break;
      std::this_thread::sleep_for(200ms);
    }
    return result;
  }

  fs::path dir_;
  Ledger ledger_{chain::DevChainKind::kAnvil};
  TempPostgres postgres_;
  Party registrar_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::string> custodians_;  // ADDRESS=URL
  std::unique_ptr<CliRunner> cli_;       // signed in at node 0, checking against the chain
};

TEST_F(CliEscrowTest, ADoctorInAnEmergencyReadsThroughTwoOfThreeCustodians) {
  // The patient (funded: setting the escrow is a direct call) and a verified doctor.
  Party patient_party = ledger_.party();
  const std::string patient = import(patient_party.key);
  const std::string registrar = import(registrar_.key);
  const crypto::PrivateKey doctor_key = crypto::generate_private_key();
  const std::string doctor = import(doctor_key);
  must({"register", "patient", "--from", patient});
  const json asked = must({"register", "doctor", "--license", "LIC-7", "--from", doctor});
  must({"registrar", "verify", doctor, "--license", "LIC-7", "--license-salt",
        asked.value("licenseSalt", ""), "--encryption-key", asked.value("encryptionKey", ""),
        "--from", registrar});
  must({"login", "--from", patient});
  must({"login", "--from", doctor});

  // A record before the escrow, the escrow, a record after it.
  write_random_file(dir_ / "before.pdf", 4096, 1);
  write_random_file(dir_ / "after.pdf", 1 << 20, 2);
  // A policy hash on chain that no node publishes: the record goes in unescrowed, and the
  // patient is told so.
  ledger_.must_call(patient_party, "setEscrowPolicy", {bytes32(random_hash())});
  const ProcessResult unescrowed =
      medchain({"records", "add", "--json", "--from", patient, "--file",
                (dir_ / "before.pdf").string(), "--category", "lab"});
  ASSERT_EQ(unescrowed.exit_code, 0) << unescrowed.err;
  EXPECT_EQ(json::parse(unescrowed.out)["escrowed"], false) << unescrowed.out;
  EXPECT_NE(unescrowed.err.find("warning: the chain names an emergency escrow policy"),
            std::string::npos)
      << unescrowed.err;
  const std::string before = json::parse(unescrowed.out).value("recordId", "");
  std::vector<std::string> set{"emergency", "escrow", "set", "--threshold", "2", "--from",
                               patient};
  for (const std::string& custodian : custodians_) set.insert(set.end(), {"--custodian", custodian});
  const json escrow = must(set);
  EXPECT_EQ(escrow["versionsWrapped"], 1) << escrow.dump();
  EXPECT_EQ(escrow["threshold"], 2);
  const json shown = must({"emergency", "escrow", "show", "--from", patient});
  EXPECT_EQ(shown["policyHash"], escrow["policyHash"]);
  EXPECT_EQ(shown["chainChecked"], true);
  const json added = must({"records", "add", "--from", patient, "--file",
                           (dir_ / "after.pdf").string(), "--category", "imaging"});
  EXPECT_EQ(added["escrowed"], true) << added.dump();
  const std::string after = added.value("recordId", "");

  // No window: refused (exit 4), nothing written.
  const fs::path out = dir_ / "read.pdf";
  const ProcessResult refused =
      medchain({"emergency", "read", before, "--out", out.string(), "--from", doctor});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_FALSE(fs::exists(out));

  // The window opens; custodian 2 is down. Both records read back byte-identical.
  must({"emergency", "policy", "--allow", "--from", patient});
  must({"emergency", "open", patient, "--for", "10m", "--reason-code", "1", "--from", doctor});
  ASSERT_EQ(nodes_[1]->process().stop(), 0);
  for (const auto& [record, file] : {std::pair{before, "before.pdf"}, std::pair{after, "after.pdf"}}) {
    const ProcessResult read = read_until(doctor, record, out, 4);
    ASSERT_EQ(read.exit_code, 0) << read.err;
    EXPECT_TRUE(same_file(dir_ / file, out)) << file;
    EXPECT_NE(read.err.find("warning: custodian"), std::string::npos) << read.err;
    fs::remove(out);
  }

  // The window closes: the same doctor gets nothing more.
  must({"emergency", "close", "--patient", patient, "--from", doctor});
  const ProcessResult closed = read_until(doctor, after, out, 0);
  EXPECT_EQ(closed.exit_code, 4) << closed.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace medchain::test
