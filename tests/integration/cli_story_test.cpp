// The access story of the node issue, driven only through `medchain` commands against
// `medchain dev` (anvil + node): a registrar verifies a doctor; the patient adds records of
// 1 KiB, 5 MiB and 200 MiB that come back byte-identical; the doctor asks, the patient approves
// lab only, the doctor reads the lab record and is refused the image; the patient widens the
// grant, the doctor reads the image; after a revoke the doctor is refused again and the next
// version's key is not sealed to them; the patient's audit log verifies against the chain; a
// blob altered on the node's disk is refused. And a guardian who reads: added, they decrypt the
// patient's existing records and new versions; removed, they are refused and newer versions are
// not sealed to them.
#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/address.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/files.hpp"
#include "support/ledger.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

class CliStoryTest : public ::testing::Test {
 protected:
  CliStoryTest()
      : dir_(fs::temp_directory_path() /
             ("medchain-cli-story-" + to_hex(random_hash()).substr(2, 12))) {
    fs::create_directories(dir_);
    chain_port_ = pick_free_loopback_port().value();
    node_port_ = pick_free_loopback_port().value();
    const fs::path log = dir_ / "dev.log";
    dev_ = std::make_unique<ChildProcess>(
        ChildProcess::spawn(
            {MEDCHAIN_CLI_PATH, "dev", "--data-dir", (dir_ / "dev").string(), "--chain-port",
             std::to_string(chain_port_), "--node-port", std::to_string(node_port_)},
            log)
            .value());
    const auto give_up = std::chrono::steady_clock::now() + 120s;
    while (read_file(log).find("Press Ctrl-C") == std::string::npos) {
      if (!dev_->running()) throw std::runtime_error("medchain dev exited: " + read_file(log));
      if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("dev not ready");
      std::this_thread::sleep_for(100ms);
    }
    ::setenv("MEDCHAIN_PASSWORD", "story password", 1);
  }
  ~CliStoryTest() override {
    dev_->stop(60s);
    fs::remove_all(dir_);
  }

  // Runs `medchain <args> --home … --node … --rpc-url …`.
  ProcessResult medchain(std::vector<std::string> args, std::chrono::seconds deadline = 120s) {
    std::vector<std::string> argv{MEDCHAIN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& option :
         {std::string("--home"), (dir_ / "home").string(), std::string("--node"),
          "http://127.0.0.1:" + std::to_string(node_port_), std::string("--rpc-url"),
          "http://127.0.0.1:" + std::to_string(chain_port_)}) {
      argv.push_back(option);
    }
    return run_process(argv, deadline);
  }
  // The same, expecting success; returns stdout.
  std::string ok(std::vector<std::string> args, std::chrono::seconds deadline = 120s) {
    const ProcessResult result = medchain(args, deadline);
    EXPECT_EQ(result.exit_code, 0)
        << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << result.err;
    return result.out;
  }
  json ok_json(std::vector<std::string> args, std::chrono::seconds deadline = 120s) {
    args.push_back("--json");
    const std::string out = ok(std::move(args), deadline);
    return json::parse(out, nullptr, false);
  }

  fs::path dir_;
  std::uint16_t chain_port_ = 0;
  std::uint16_t node_port_ = 0;
  std::unique_ptr<ChildProcess> dev_;
};

TEST_F(CliStoryTest, ConsentDecidesWhoDecryptsWhat) {
  const std::string dev_dir = (dir_ / "dev").string();
  // Accounts: the dev registrar and patient, and a doctor nobody has verified yet.
  const std::string registrar = ok(
      {"keys", "import", "--dev-account", "registrar", "--dev-dir", dev_dir, "--scrypt-n", "1024"});
  const std::string patient_line = ok(
      {"keys", "import", "--dev-account", "patient 1", "--dev-dir", dev_dir, "--scrypt-n", "1024"});
  const crypto::PrivateKey doctor_key = crypto::generate_private_key();
  const std::string doctor = eth::to_checksum(crypto::address_of(doctor_key));
  ok({"keys", "import", "--private-key", to_hex(doctor_key), "--scrypt-n", "1024"});
  const std::string registrar_address = registrar.substr(0, 42);
  const std::string patient = patient_line.substr(0, 42);

  // The registrar verifies the doctor with the key the doctor derived.
  const json asked = ok_json({"register", "doctor", "--license", "LIC-42", "--from", doctor});
  ok({"registrar", "verify", doctor, "--license", "LIC-42", "--license-salt",
      asked.value("licenseSalt", ""), "--encryption-key", asked.value("encryptionKey", ""),
      "--from", registrar_address});
  ok({"login", "--from", patient});
  ok({"login", "--from", doctor});

  // The patient's records: 1 KiB lab, 5 MiB image, 200 MiB image; each round-trips.
  write_random_file(dir_ / "lab.pdf", 1024, 1);
  write_random_file(dir_ / "xray.png", 5 << 20, 2);
  write_random_file(dir_ / "scan.dcm", 200 << 20, 3);
  std::string last_digest;
  const auto add = [&](const char* file, const char* category) {
    const json added = ok_json({"records", "add", "--from", patient, "--file",
                                (dir_ / file).string(), "--category", category},
                               600s);
    EXPECT_EQ(added["keysSealedTo"], json::array({patient}));
    last_digest = added.value("digest", "");
    return added.value("recordId", "");
  };
  const std::string lab = add("lab.pdf", "lab");
  const std::string image = add("xray.png", "imaging");
  const std::string xray_digest = last_digest;
  const std::string scan = add("scan.dcm", "imaging");
  for (const auto& [id, file] :
       {std::pair{lab, "lab.pdf"}, std::pair{image, "xray.png"}, std::pair{scan, "scan.dcm"}}) {
    const fs::path back = dir_ / ("back-" + std::string(file));
    ok({"records", "get", id, "--from", patient, "-o", back.string()}, 600s);
    EXPECT_TRUE(same_file(dir_ / file, back)) << file;
  }

  // The doctor asks for lab and imaging; the patient approves lab only.
  const json requested = ok_json(
      {"access", "request", patient, "--scope", "lab,imaging", "--for", "1d", "--from", doctor});
  const std::string request_id = requested["requestId"].is_string()
                                     ? requested["requestId"].get<std::string>()
                                     : requested["requestId"].dump();
  ok({"access", "approve", request_id, "--scope", "lab", "--from", patient});
  const fs::path doctor_lab = dir_ / "doctor-lab.pdf";
  ok({"records", "get", lab, "--from", doctor, "-o", doctor_lab.string()});
  EXPECT_TRUE(same_file(dir_ / "lab.pdf", doctor_lab));
  const fs::path doctor_image = dir_ / "doctor-xray.png";
  ProcessResult refused =
      medchain({"records", "get", image, "--from", doctor, "-o", doctor_image.string()});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_EQ(refused.err.rfind("medchain: ", 0), 0u) << refused.err;
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_FALSE(fs::exists(doctor_image));

  // Widened to imaging: the existing image's key is shared, and the doctor reads it.
  ok({"access", "grant", doctor, "--scope", "lab,imaging", "--for", "1d", "--from", patient});
  ok({"records", "get", image, "--from", doctor, "-o", doctor_image.string()}, 300s);
  EXPECT_TRUE(same_file(dir_ / "xray.png", doctor_image));

  // A new lab version while the grant holds is sealed to the doctor too.
  write_random_file(dir_ / "lab2.pdf", 2048, 4);
  const json v2 = ok_json(
      {"records", "update", lab, "--from", patient, "--file", (dir_ / "lab2.pdf").string()});
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["keysSealedTo"], json::array({patient, doctor}));

  // Revoked: refused again, and the next version's key is never sealed to them.
  ok({"access", "revoke", doctor, "--from", patient});
  refused = medchain({"records", "get", lab, "--from", doctor, "-o", doctor_lab.string()});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  const json v3 =
      ok_json({"records", "update", lab, "--from", patient, "--file", (dir_ / "lab.pdf").string()});
  EXPECT_EQ(v3["keysSealedTo"], json::array({patient}));

  // The patient's export holds every record; the audit log verifies once anchored (dev
  // anchors every 60 s).
  const fs::path bundle = dir_ / "bundle.json";
  ok({"records", "export", "--from", patient, "-o", bundle.string()}, 600s);
  const json exported = json::parse(read_file(bundle));
  EXPECT_EQ(exported["resourceType"], "Bundle");
  EXPECT_EQ(exported["entry"].size(), 3u);
  ProcessResult audit;
  const auto give_up = std::chrono::steady_clock::now() + 150s;
  do {
    audit = medchain({"audit", "verify", "--patient", patient, "--from", patient});
    if (audit.exit_code == 0) break;
    std::this_thread::sleep_for(5s);
  } while (std::chrono::steady_clock::now() < give_up);
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;

  // A blob altered where the node keeps it no longer matches the chain's digest: the read
  // fails and leaves no file behind.
  const std::string digest = xray_digest.substr(2);
  const fs::path blob =
      dir_ / "dev" / "blobs" / "blobs" / digest.substr(0, 2) / digest.substr(2, 2) / digest;
  ASSERT_TRUE(fs::exists(blob)) << blob;
  {
    std::fstream file(blob, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(3'000'000);
    file.put('\x5a');
  }
  const fs::path tampered = dir_ / "tampered.png";
  const ProcessResult altered =
      medchain({"records", "get", image, "--from", patient, "-o", tampered.string()});
  EXPECT_EQ(altered.exit_code, 1) << altered.err;
  EXPECT_NE(altered.err.find("does not match the digest"), std::string::npos) << altered.err;
  EXPECT_FALSE(fs::exists(tampered));
}

// Issue #16, "guardians who read", through `medchain` commands only.
TEST_F(CliStoryTest, GuardianReadsTheWardsRecordsUntilRemoved) {
  const std::string dev_dir = (dir_ / "dev").string();
  const std::string patient = ok({"keys", "import", "--dev-account", "patient 1", "--dev-dir",
                                  dev_dir, "--scrypt-n", "1024"})
                                  .substr(0, 42);
  const crypto::PrivateKey guardian_key = crypto::generate_private_key();
  const std::string guardian = eth::to_checksum(crypto::address_of(guardian_key));
  ok({"keys", "import", "--private-key", to_hex(guardian_key), "--scrypt-n", "1024"});
  const crypto::PrivateKey keyless_key = crypto::generate_private_key();
  const std::string keyless = eth::to_checksum(crypto::address_of(keyless_key));
  ok({"keys", "import", "--private-key", to_hex(keyless_key), "--scrypt-n", "1024"});
  // The guardian registers an encryption key of their own (as a patient); `keyless` does not.
  ok({"register", "patient", "--from", guardian});
  ok({"login", "--from", patient});
  ok({"login", "--from", guardian});

  write_random_file(dir_ / "note.pdf", 4096, 11);
  const json added = ok_json({"records", "add", "--from", patient, "--file",
                              (dir_ / "note.pdf").string(), "--category", "clinical-note"});
  const std::string record = added.value("recordId", "");
  EXPECT_EQ(added["keysSealedTo"], json::array({patient}));

  // Not a guardian yet: refused.
  const fs::path early = dir_ / "early.pdf";
  ProcessResult refused =
      medchain({"records", "get", record, "--from", guardian, "-o", early.string()});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_FALSE(fs::exists(early));

  // Added: the existing version's key is sealed to the guardian, who decrypts it.
  const json appointed = ok_json({"guardians", "add", guardian, "--from", patient});
  EXPECT_EQ(appointed["guardianHasKey"], true);
  EXPECT_EQ(appointed["sharedKeys"], 1);
  EXPECT_EQ(appointed["chainChecked"], true);
  const json wards = ok_json({"guardians", "list", "--patient", patient, "--from", guardian});
  EXPECT_EQ(wards["guardians"], json::array({guardian}));
  const json listing = ok_json({"records", "list", "--patient", patient, "--from", guardian});
  ASSERT_EQ(listing["records"].size(), 1u) << listing.dump();
  EXPECT_EQ(listing["records"][0]["recordId"], record);
  const fs::path v1 = dir_ / "guardian-v1.pdf";
  ok({"records", "get", record, "--from", guardian, "-o", v1.string()});
  EXPECT_TRUE(same_file(dir_ / "note.pdf", v1));

  // A guardian without an encryption key: added with a one-line warning, and named apart when
  // a new version is written, which is sealed to the patient and the keyed guardian.
  const ProcessResult warned = medchain({"guardians", "add", keyless, "--from", patient});
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find("warning: guardian " + keyless + " has registered no encryption key"),
            std::string::npos)
      << warned.err;
  EXPECT_EQ(std::count(warned.err.begin(), warned.err.end(), '\n'), 1) << warned.err;
  write_random_file(dir_ / "note2.pdf", 5000, 12);
  const json v2 = ok_json(
      {"records", "update", record, "--from", patient, "--file", (dir_ / "note2.pdf").string()});
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["keysSealedTo"], json::array({patient, guardian}));
  EXPECT_EQ(v2["guardiansWithoutKey"], json::array({keyless}));
  EXPECT_EQ(v2["chainChecked"], true);
  const fs::path v2_back = dir_ / "guardian-v2.pdf";
  ok({"records", "get", record, "--from", guardian, "-o", v2_back.string()});
  EXPECT_TRUE(same_file(dir_ / "note2.pdf", v2_back));

  // Removed: the node refuses what they could read a moment ago, and a newer version is not
  // sealed to them.
  ok({"guardians", "remove", guardian, "--from", patient});
  const fs::path after = dir_ / "after.pdf";
  refused = medchain(
      {"records", "get", record, "--version", "2", "--from", guardian, "-o", after.string()});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_FALSE(fs::exists(after));
  write_random_file(dir_ / "note3.pdf", 6000, 13);
  const json v3 = ok_json(
      {"records", "update", record, "--from", patient, "--file", (dir_ / "note3.pdf").string()});
  EXPECT_EQ(v3["version"], 3);
  EXPECT_EQ(v3["keysSealedTo"], json::array({patient}));
  refused = medchain({"records", "get", record, "--from", guardian, "-o", after.string()});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_FALSE(fs::exists(after));
  // The patient still reads the newest version.
  const fs::path v3_back = dir_ / "patient-v3.pdf";
  ok({"records", "get", record, "--from", patient, "-o", v3_back.string()});
  EXPECT_TRUE(same_file(dir_ / "note3.pdf", v3_back));
}

}  // namespace
}  // namespace medchain::test
