// `medchain emergency escrow set` and `medchain emergency read` (docs/cli.md, "Emergency
// escrow"): the real binary against anvil and three medchaind custodian nodes (one on
// PostgreSQL). The patient deals a 2-of-3 escrow after adding a record (whose key is wrapped
// then) and adds another; a doctor with no grant reads both through the escrow while its
// window is open and one custodian is down, and is refused without a window and after it.
// The emergency summary (`medchain emergency summary set | show`) is read the same way, and
// after a lost-wallet recovery the new address gets every old key back through the same
// custodians (`medchain recovery restore`).
#include <gtest/gtest.h>

#include <fstream>
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

  static void write_text(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::string random_tag() { return to_hex(random_hash()).substr(2, 12); }

  void travel(std::int64_t seconds) {
    ASSERT_TRUE(ledger_.client().rpc().call("evm_increaseTime", json::array({seconds})).ok());
    ASSERT_TRUE(ledger_.client().rpc().call("evm_mine", json::array()).ok());
  }

  ProcessResult medchain(std::vector<std::string> args) { return cli_->run(std::move(args)); }
  // Registers `patient`, signs in, and deals a 2-of-3 escrow over the three custodians.
  void register_with_escrow(const std::string& patient) {
    cli_->must({"register", "patient", "--from", patient});
    cli_->must({"login", "--from", patient});
    std::vector<std::string> set{"emergency", "escrow", "set",  "--threshold",
                                 "2",         "--from", patient};
    for (const std::string& custodian : custodians_)
      set.insert(set.end(), {"--custodian", custodian});
    cli_->must(set);
  }
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

// `medchain emergency summary`: the patient keeps the summary current (each change a version of
// the record whose id derives from the patient), a doctor with an emergency window and no grant
// reads the newest through the escrow, and a doctor without a window is refused.
TEST_F(CliEscrowTest, AnEmergencyDoctorReadsThePatientsSummaryThroughTheEscrow) {
  Party patient_party = ledger_.party();
  const std::string patient = import(patient_party.key);
  const std::string registrar = import(registrar_.key);
  std::vector<std::string> doctors;
  for (const char* license : {"LIC-8", "LIC-9"}) {
    const std::string doctor = import(crypto::generate_private_key());
    const json asked = must({"register", "doctor", "--license", license, "--from", doctor});
    must({"registrar", "verify", doctor, "--license", license, "--license-salt",
          asked.value("licenseSalt", ""), "--encryption-key", asked.value("encryptionKey", ""),
          "--from", registrar});
    must({"login", "--from", doctor});
    doctors.push_back(doctor);
  }
  const std::string& doctor = doctors[0];
  const std::string& other_doctor = doctors[1];
  register_with_escrow(patient);

  // Bad input is refused before anything is written (exit 2, one line).
  const ProcessResult bad_type =
      medchain({"emergency", "summary", "set", "--blood-type", "C+", "--from", patient});
  EXPECT_EQ(bad_type.exit_code, 2) << bad_type.err;
  EXPECT_NE(bad_type.err.find("blood type"), std::string::npos) << bad_type.err;
  write_text(dir_ / "collection.json", R"({"resourceType":"Bundle","type":"collection","entry":[]})");
  const ProcessResult not_ips = medchain({"emergency", "summary", "set", "--file",
                                          (dir_ / "collection.json").string(), "--from", patient});
  EXPECT_EQ(not_ips.exit_code, 2) << not_ips.err;
  EXPECT_NE(not_ips.err.find("not an IPS document"), std::string::npos) << not_ips.err;
  const ProcessResult none = medchain({"emergency", "summary", "show", "--from", patient});
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_NE(none.err.find("has no emergency summary"), std::string::npos) << none.err;

  // Version 1, then version 2 with a second allergy: the newest is what is read.
  const json first = must({"emergency", "summary", "set", "--allergy", "Penicillin", "--medication",
                           "Metformin 500 mg", "--condition", "Type 2 diabetes", "--blood-type",
                           "O-", "--from", patient});
  EXPECT_EQ(first["version"], 1) << first.dump();
  EXPECT_EQ(first["escrowed"], true) << first.dump();
  const json second =
      must({"emergency", "summary", "set", "--allergy", "Penicillin", "--allergy", "Latex",
            "--medication", "Metformin 500 mg", "--blood-type", "O-", "--from", patient});
  EXPECT_EQ(second["version"], 2) << second.dump();
  EXPECT_EQ(second["recordId"], first["recordId"]);
  const json own = must({"emergency", "summary", "show", "--from", patient});
  EXPECT_EQ(own["version"], 2);
  EXPECT_EQ(own["facts"]["allergies"], json({"Penicillin", "Latex"})) << own.dump();
  EXPECT_EQ(own["facts"]["bloodType"], "O-");
  EXPECT_EQ(own["throughEscrow"], false);

  // No window, no grant: refused (exit 4).
  const ProcessResult refused =
      medchain({"emergency", "summary", "show", "--patient", patient, "--from", doctor});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;

  // The window opens: the doctor reads version 2 through two of the three custodians.
  must({"emergency", "policy", "--allow", "--from", patient});
  must({"emergency", "open", patient, "--for", "10m", "--reason-code", "1", "--from", doctor});
  ProcessResult read;
  for (int i = 0; i < 50; ++i) {  // each custodian indexes the window's opening on its own
    read = medchain(
        {"emergency", "summary", "show", "--json", "--patient", patient, "--from", doctor});
    if (read.exit_code != 4) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(read.exit_code, 0) << read.err;
  const json opened = json::parse(read.out);
  EXPECT_EQ(opened["throughEscrow"], true);
  EXPECT_EQ(opened["chainChecked"], true);
  EXPECT_EQ(opened["version"], 2);
  EXPECT_EQ(opened["facts"]["allergies"], json({"Penicillin", "Latex"})) << read.out;
  EXPECT_EQ(opened["facts"]["medications"], json({"Metformin 500 mg"}));

  // A whole IPS Bundle from a file is version 3 (the one just read, back as the patient's).
  write_text(dir_ / "ips.json", opened["bundle"].dump());
  const json third = must(
      {"emergency", "summary", "set", "--file", (dir_ / "ips.json").string(), "--from", patient});
  EXPECT_EQ(third["version"], 3);

  // The other doctor, without a window, still gets nothing.
  const ProcessResult other =
      medchain({"emergency", "summary", "show", "--patient", patient, "--from", other_doctor});
  EXPECT_EQ(other.exit_code, 4) << other.err;

  // Granted general records with append, that doctor reads the summary with their own key (the
  // grant shared it), and cannot add a version of their own to it: the chain lets a doctor update
  // only a record they authored.
  must({"access", "grant", other_doctor, "--scope", "general", "--for", "1h", "--read",
        "--append", "--from", patient});
  write_text(dir_ / "forged.json", R"({"resourceType":"Bundle"})");
  const ProcessResult forged =
      medchain({"records", "update", first.value("recordId", ""), "--file",
                (dir_ / "forged.json").string(), "--from", other_doctor});
  EXPECT_EQ(forged.exit_code, 1) << forged.err;
  EXPECT_NE(forged.err.find("NotAllowedToWrite"), std::string::npos) << forged.err;
  for (const std::string& reader : {patient, other_doctor}) {
    const json granted = must({"emergency", "summary", "show", "--patient", patient, "--from", reader});
    EXPECT_EQ(granted["version"], 3) << reader << " " << granted.dump();
    EXPECT_EQ(granted["throughEscrow"], false);
    EXPECT_EQ(granted["facts"]["allergies"], json({"Penicillin", "Latex"}));
  }
}

// The recovery story's end (docs/format.md, "Recovery"): the patient's key file is gone, two
// guardians approve a new address, the delay passes, and the new address, which could open none
// of the old versions, restores their keys through two of the three custodians (one is down)
// and reads every old record byte-identical. A rerun restores nothing twice.
TEST_F(CliEscrowTest, ARecoveredAddressRestoresEveryOldRecordThroughTheCustodians) {
  Party patient_party = ledger_.party();
  const std::string patient = import(patient_party.key);
  register_with_escrow(patient);
  write_random_file(dir_ / "lab.pdf", 4096, 3);
  write_random_file(dir_ / "lab-2.pdf", 8192, 4);
  write_random_file(dir_ / "scan.dcm", 1 << 20, 5);
  const std::string lab = must({"records", "add", "--from", patient, "--file",
                                (dir_ / "lab.pdf").string(), "--category", "lab"})
                              .value("recordId", "");
  must({"records", "update", lab, "--file", (dir_ / "lab-2.pdf").string(), "--from", patient});
  const std::string scan = must({"records", "add", "--from", patient, "--file",
                                 (dir_ / "scan.dcm").string(), "--category", "imaging"})
                               .value("recordId", "");

  std::vector<std::string> guardians;
  for (int i = 0; i < 2; ++i) {
    Party guardian = ledger_.party();
    ledger_.must_call(patient_party, "addGuardian", {patient_party.address, guardian.address});
    guardians.push_back(import(guardian.key));
  }
  const std::string b = import(ledger_.party().key);
  must({"recovery", "policy", "2", "--from", patient});
  ASSERT_TRUE(fs::remove(dir_ / "home" / "keys" / (patient + ".json")));
  must({"recovery", "propose", patient, b, "--from", guardians[0]});
  must({"recovery", "approve", patient, b, "--from", guardians[1]});
  travel(48 * 3600);
  must({"recovery", "execute", patient, b, "--from", b});
  must({"login", "--from", b});

  // B acts as the patient but holds none of the old keys yet.
  const fs::path out = dir_ / "read.out";
  const ProcessResult unreadable =
      medchain({"records", "get", scan, "-o", out.string(), "--from", b});
  EXPECT_NE(unreadable.exit_code, 0) << unreadable.err;
  EXPECT_FALSE(fs::exists(out));

  ASSERT_EQ(nodes_[2]->process().stop(), 0);
  const json restored = must({"recovery", "restore", "--from", b});
  EXPECT_EQ(restored["patient"], patient) << restored.dump();
  EXPECT_EQ(restored["keyRotated"], true);
  EXPECT_EQ(restored["restored"], 3) << restored.dump();
  EXPECT_EQ(restored["unrestored"], json::array());

  const std::vector<std::tuple<std::string, int, std::string>> versions{
      {lab, 1, "lab.pdf"}, {lab, 2, "lab-2.pdf"}, {scan, 1, "scan.dcm"}};
  for (const auto& [record, version, file] : versions) {
    must({"records", "get", record, "--version", std::to_string(version), "-o", out.string(),
          "--from", b});
    EXPECT_TRUE(same_file(dir_ / file, out)) << file;
    fs::remove(out);
  }
  const json again = must({"recovery", "restore", "--from", b});
  EXPECT_EQ(again["restored"], 0) << again.dump();
  EXPECT_EQ(again["alreadyReadable"], 3);
  EXPECT_EQ(again["keyRotated"], false);
}

}  // namespace
}  // namespace medchain::test
