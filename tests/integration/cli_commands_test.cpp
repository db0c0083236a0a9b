// The real `medchain` binary against anvil + medchaind: keys, sessions, registration, consent,
// emergency access, guardians and the audit log, each command as a user types it, and the
// failures a user meets (wrong password, missing key, unreachable node, a session the node no
// longer accepts) as one line on stderr with the exit code docs/cli.md documents.
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/core/process.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/custody/policy_document.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/records/ips.hpp>
#include <medchain/records/salted_text.hpp>
#include <set>
#include <thread>

#include "support/node.hpp"
#include "support/process.hpp"
#include "support/s3_server.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPassword = "correct horse";

// What the `node verify` tests store: a lab result and an x-ray, as `records add --json` answered.
struct VerifiedRecords {
  json lab, xray;
};

class CliCommandsTest : public ::testing::Test {
 protected:
  CliCommandsTest() {
    registrar_ = ledger_.registrar();
    patient_ = ledger_.party(/*funded=*/false);
    home_ = fs::temp_directory_path() / ("medchain-cli-" + to_hex(random_hash()));
    fs::create_directories(home_);
  }
  ~CliCommandsTest() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }

  // Runs `medchain ARGS... --home H --node N`, with the password in the environment.
  ProcessResult medchain(std::vector<std::string> args, const std::string& password = kPassword,
                         const std::string& node_url = "") {
    std::vector<std::string> argv{"/usr/bin/env", "MEDCHAIN_PASSWORD=" + password,
                                  "MEDCHAIN_IMPORT_PASSWORD=", MEDCHAIN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& option :
         {std::string("--home"), home_.string(), std::string("--node"),
          node_url.empty() ? "http://" + node_.authority() : node_url}) {
      argv.push_back(option);
    }
    return run_process(argv, 120s);
  }

  // Runs a command that must succeed with --json; its output parsed.
  json must(std::vector<std::string> args, const std::string& node_url = "") {
    args.push_back("--json");
    const ProcessResult result = medchain(args, kPassword, node_url);
    EXPECT_EQ(result.exit_code, 0)
        << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << result.err;
    const json parsed = json::parse(result.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << result.out;
    return parsed.is_discarded() ? json() : parsed;
  }

  // A failure: exactly one line on stderr, starting "medchain: ", and the exit code.
  void expect_failure(const ProcessResult& result, int exit_code, const std::string& says) {
    EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
    EXPECT_EQ(result.err.rfind("medchain: ", 0), 0u) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_NE(result.err.find(says), std::string::npos) << result.err;
  }

  std::string import(const Party& party) {
    const json stored =
        must({"keys", "import", "--private-key", to_hex(party.key), "--scrypt-n", "1024"});
    return stored.value("address", "");
  }

  // The patient registered and signed in through `node_url` ("" for the fixture's node), then
  // a lab result and an x-ray added there (the `node verify` tests' data).
  VerifiedRecords add_lab_and_xray(const std::string& node_url = "");

  // Removes `lab_file` and changes a byte of `xray_file` behind the node's back, then expects
  // `verify` (the arguments of a `node verify` that passed) to exit 1 naming each.
  void expect_loss_and_alteration_named(std::vector<std::string> verify,
                                        const std::string& node_url, const VerifiedRecords& stored,
                                        const fs::path& lab_file, const fs::path& xray_file);

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, patient_;
  Node node_{ledger_, {"--anchor-interval", "0.3"}};
  fs::path home_;
};

VerifiedRecords CliCommandsTest::add_lab_and_xray(const std::string& node_url) {
  const std::string patient = import(patient_);
  must({"register", "patient", "--from", patient}, node_url);
  must({"login", "--from", patient}, node_url);
  const fs::path source = fs::path(MEDCHAIN_SOURCE_DIR) / "docs/examples";
  return {must({"records", "add", "--resource", (source / "lab.json").string(), "--from", patient},
               node_url),
          must({"records", "add", "--file", (source / "xray.png").string(), "--category", "imaging",
                "--from", patient},
               node_url)};
}

void CliCommandsTest::expect_loss_and_alteration_named(std::vector<std::string> verify,
                                                       const std::string& node_url,
                                                       const VerifiedRecords& stored,
                                                       const fs::path& lab_file,
                                                       const fs::path& xray_file) {
  ASSERT_TRUE(fs::exists(lab_file)) << stored.lab.dump();
  fs::remove(lab_file);
  {
    std::fstream altered(xray_file, std::ios::in | std::ios::out | std::ios::binary);
    altered.seekp(100);
    altered.put('\x55');
  }
  verify.push_back("--json");
  const ProcessResult broken = medchain(verify, kPassword, node_url);
  EXPECT_EQ(broken.exit_code, 1) << broken.err;
  EXPECT_NE(broken.err.find("2 of 2 blobs"), std::string::npos) << broken.err;
  const json report = json::parse(broken.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << broken.out;
  std::map<std::string, std::string> problems;
  for (const json& problem : report["problems"]) problems[problem["digest"]] = problem["problem"];
  EXPECT_EQ(problems[stored.lab.value("digest", "")], "missing");
  EXPECT_EQ(problems[stored.xray.value("digest", "")], "wrong digest");
}

TEST_F(CliCommandsTest, KeysAreStoredEncryptedAndExportedOnlyWhenAsked) {
  const std::string patient = import(patient_);
  EXPECT_EQ(patient, eth::to_checksum(patient_.address));
  const json created = must({"keys", "new", "--scrypt-n", "1024"});
  const std::string fresh = created.value("address", "");
  ASSERT_TRUE(eth::parse_address(fresh).ok()) << created.dump();
  EXPECT_EQ(fs::status(created.value("file", "")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  const json listed = must({"keys", "list"});
  std::vector<std::string> accounts = listed["accounts"];
  std::sort(accounts.begin(), accounts.end());
  std::vector<std::string> expected{patient, fresh};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(accounts, expected);

  const ProcessResult keystore = medchain({"keys", "export", "--from", patient});
  ASSERT_EQ(keystore.exit_code, 0) << keystore.err;
  const json document = json::parse(keystore.out);
  EXPECT_EQ(document["version"], 3);
  EXPECT_EQ(document["crypto"]["kdf"], "scrypt");
  EXPECT_EQ(keystore.out.find(to_hex(patient_.key, false)), std::string::npos);
  EXPECT_EQ(must({"keys", "export", "--from", patient, "--private-key"})["privateKey"],
            to_hex(patient_.key));

  // The same key twice is refused; a private key that is not one is bad input.
  expect_failure(
      medchain({"keys", "import", "--private-key", to_hex(patient_.key), "--scrypt-n", "1024"}), 1,
      "already stored");
  expect_failure(medchain({"keys", "import", "--private-key", "0x1234", "--scrypt-n", "1024"}), 2,
                 "");
  // A `medchain dev` account, by its label as people type it.
  const Party dev_patient = ledger_.party(false);
  const fs::path dev_dir = home_ / "dev";
  fs::create_directories(dev_dir);
  std::ofstream(dev_dir / "dev-accounts.json")
      << json{{"accounts", json::array({{{"label", "patient 1"},
                                         {"address", eth::to_checksum(dev_patient.address)},
                                         {"privateKey", to_hex(dev_patient.key)}}})}}
             .dump();
  EXPECT_EQ(must({"keys", "import", "--dev-account", "patient-1", "--dev-dir", dev_dir.string(),
                  "--scrypt-n", "1024"})["address"],
            eth::to_checksum(dev_patient.address));
  expect_failure(medchain({"keys", "import", "--dev-account", "doctor 9", "--dev-dir",
                           dev_dir.string(), "--scrypt-n", "1024"}),
                 2, "patient 1");
  // Several keys and no --from: which one is ambiguous.
  expect_failure(medchain({"keys", "export"}), 2, "--from");
}

TEST_F(CliCommandsTest, TheAccessStoryFromTheCommandLine) {
  const std::string patient = import(patient_);
  const std::string registrar = import(registrar_);
  const std::string doctor = must({"keys", "new", "--scrypt-n", "1024"}).value("address", "");
  const std::string rpc = ledger_.dev_chain().url();

  // The patient registers with a relayed intent (no ether), then signs in.
  const json registered = must({"register", "patient", "--from", patient});
  EXPECT_EQ(registered["indexed"], true);
  EXPECT_EQ(must({"login", "--from", patient})["address"], patient);
  const json me = must({"whoami", "--from", patient});
  EXPECT_EQ(me["patient"], true);

  // The doctor asks a registrar, who verifies them with a direct call.
  // The licence goes on chain salted; the salt, kept by the doctor, proves which licence it is.
  const json ask = must({"register", "doctor", "--from", doctor, "--license", "MD-4711"});
  EXPECT_EQ(ask["address"], doctor);
  const records::SaltedText license{
      from_hex_fixed<records::Salt>(ask.value("licenseSalt", "")).value(), "MD-4711"};
  EXPECT_EQ(ask["licenseHash"], to_hex(records::salted_hash(license)));
  EXPECT_NE(must({"register", "doctor", "--from", doctor, "--license", "MD-4711"})["licenseSalt"],
            ask["licenseSalt"]);
  expect_failure(
      medchain({"registrar", "verify", doctor, "--license", "MD-4711", "--encryption-key",
                ask["encryptionKey"], "--from", registrar, "--rpc-url", rpc}),
      2, "--license-salt");
  must({"registrar", "verify", doctor, "--license", "MD-4711", "--license-salt", ask["licenseSalt"],
        "--encryption-key", ask["encryptionKey"], "--from", registrar, "--rpc-url", rpc});
  must({"login", "--from", doctor});
  EXPECT_EQ(must({"whoami", "--from", doctor})["doctor"], "verified");

  // Request, approve (narrower than asked), grant more, revoke.
  const json requested = must({"access", "request", patient, "--scope", "lab,imaging", "--for",
                               "7d", "--reason", "follow-up", "--from", doctor});
  const std::string request_id = requested.value("requestId", "");
  ASSERT_FALSE(request_id.empty()) << requested.dump();
  const json pending = must({"access", "list", "--from", patient});
  ASSERT_EQ(pending["requests"].size(), 1u) << pending.dump();
  EXPECT_EQ(pending["requests"][0]["status"], "pending");
  // The reason reaches the patient alone, checked against the chain's salted hash with --rpc-url.
  EXPECT_EQ(pending["requests"][0]["reason"], "follow-up") << pending.dump();
  EXPECT_EQ(pending["requests"][0]["reasonChecked"], false);
  const json chain_checked = must({"access", "list", "--from", patient, "--rpc-url", rpc});
  EXPECT_EQ(chain_checked["requests"][0]["reason"], "follow-up") << chain_checked.dump();
  EXPECT_EQ(chain_checked["requests"][0]["reasonChecked"], true);
  EXPECT_FALSE(must({"access", "list", "--from", doctor})["requests"][0].contains("reason"));
  const json approved =
      must({"access", "approve", request_id, "--scope", "lab", "--from", patient});
  EXPECT_EQ(approved["scope"], json::array({"lab"}));
  json doctors_view = must({"access", "list", "--from", doctor});
  ASSERT_EQ(doctors_view["grants"].size(), 1u) << doctors_view.dump();
  EXPECT_EQ(doctors_view["grants"][0]["scope"], json::array({"lab"}));
  must({"access", "grant", doctor, "--scope", "lab,imaging", "--read", "--append", "--for", "24h",
        "--from", patient});
  doctors_view = must({"access", "list", "--from", doctor});
  EXPECT_EQ(doctors_view["grants"][0]["scope"], json::array({"lab", "imaging"}));
  EXPECT_EQ(doctors_view["grants"][0]["permissions"], json::array({"read", "append"}));
  must({"access", "revoke", doctor, "--from", patient});
  EXPECT_EQ(must({"access", "list", "--from", patient})["grants"].size(), 0u);

  // A second request, denied.
  const json second =
      must({"access", "request", patient, "--scope", "imaging", "--for", "1d", "--from", doctor});
  must({"access", "deny", second.value("requestId", ""), "--from", patient});

  // Emergency: the patient allows it, the doctor opens a window and closes it.
  must({"emergency", "policy", "--allow", "--max-window", "1d", "--cooldown", "1h", "--from",
        patient});
  must({"emergency", "open", patient, "--for", "2h", "--reason-code", "1", "--from", doctor});
  const json windows = must({"emergency", "list", "--from", patient});
  EXPECT_EQ(windows["policy"]["allowed"], true);
  EXPECT_EQ(windows["policy"]["cooldown"], 3600);
  ASSERT_EQ(windows["windows"].size(), 1u) << windows.dump();
  EXPECT_EQ(windows["windows"][0]["doctor"], doctor);
  must({"emergency", "close", "--patient", patient, "--from", doctor});
  // Closed: the doctor waits out the patient's cooldown before opening another.
  expect_failure(medchain({"emergency", "open", patient, "--for", "1h", "--reason-code", "1",
                           "--from", doctor}),
                 1, "EmergencyCooldown");
  // A window longer than the policy allows is the contract's refusal: exit 1.
  expect_failure(medchain({"emergency", "open", patient, "--for", "3d", "--reason-code", "1",
                           "--from", doctor}),
                 1, "");
  // A reason outside the contract's list never reaches the chain.
  expect_failure(medchain({"emergency", "open", patient, "--for", "1h", "--reason-code", "9",
                           "--from", doctor}),
                 2, "--reason-code");
  expect_failure(medchain({"emergency", "open", patient, "--for", "1h", "--from", doctor}), 2,
                 "--reason-code is required");

  // The inbox: the patient heard of both requests and the emergency opening; the doctor of
  // the approval, the grant, the revoke and the denial. Marks are per item, or all at once.
  const json patient_inbox = must({"inbox", "--from", patient});
  ASSERT_EQ(patient_inbox["items"].size(), 3u) << patient_inbox.dump();
  EXPECT_EQ(patient_inbox["items"][0]["kind"], "emergency_opened");
  EXPECT_EQ(patient_inbox["unread"], 3);
  EXPECT_EQ(must({"inbox", "read", patient_inbox["items"][0]["id"], "--from", patient})["unread"],
            2);
  EXPECT_EQ(must({"inbox", "--unread", "--from", patient})["items"].size(), 2u);
  const json doctor_inbox = must({"inbox", "--from", doctor});
  EXPECT_EQ(doctor_inbox["unread"], 4) << doctor_inbox.dump();
  EXPECT_EQ(must({"inbox", "read", "--all", "--from", doctor})["unread"], 0);
  expect_failure(medchain({"inbox", "read", "--from", patient}), 2, "--all");
  expect_failure(medchain({"inbox", "read", "not-an-id", "--from", patient}), 2, "not-an-id");
  const ProcessResult text = medchain({"inbox", "--from", patient});
  EXPECT_NE(text.out.find("2 unread"), std::string::npos) << text.out;

  // Guardians.
  const std::string guardian = eth::to_checksum(ledger_.party(false).address);
  must({"guardians", "add", guardian, "--from", patient});
  EXPECT_EQ(must({"guardians", "list", "--from", patient})["guardians"], json::array({guardian}));
  must({"guardians", "remove", guardian, "--from", patient});
  EXPECT_EQ(must({"guardians", "list", "--from", patient})["guardians"], json::array());

  // The audit log: the doctor's sealed reason and the patient's upload are entries, verified
  // against the root on chain once the node has anchored it.
  const std::string token = node_.token_for(patient_);
  ASSERT_EQ(node_.upload(token, patient_.address, "lab", "a lab result").status, 201);
  const json log = must({"audit", "list", "--from", patient});
  ASSERT_GE(log["entries"].size(), 2u) << log.dump();
  EXPECT_EQ(log["entries"][0]["action"], "request.reason");
  EXPECT_EQ(log["entries"].back()["action"], "blob.write");
  ProcessResult verified;
  for (int i = 0; i < 100; ++i) {
    verified = medchain({"audit", "verify", "--from", patient, "--rpc-url", rpc, "--json"});
    if (verified.exit_code == 0) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const json checked = json::parse(verified.out);
  EXPECT_EQ(checked["verified"], true);
  EXPECT_EQ(checked["entries"][0]["chainChecked"], true);

  // A registrar action from an account that is not one: the contract refuses (exit 1).
  expect_failure(medchain({"registrar", "suspend", doctor, "--from", patient, "--rpc-url", rpc}), 1,
                 "");
  must({"registrar", "suspend", doctor, "--from", registrar, "--rpc-url", rpc});
  EXPECT_EQ(must({"whoami", "--from", doctor})["doctor"], "suspended");
}

TEST_F(CliCommandsTest, AGrantSharesTheKeysOfExistingRecordsAndARevokeEndsTheReads) {
  const std::string patient = import(patient_);
  const std::string registrar = import(registrar_);
  const std::string doctor = must({"keys", "new", "--scrypt-n", "1024"}).value("address", "");
  must({"register", "patient", "--from", patient});
  must({"login", "--from", patient});
  const json ask = must({"register", "doctor", "--from", doctor, "--license", "MD-1"});
  must({"registrar", "verify", doctor, "--license-hash", ask["licenseHash"], "--encryption-key",
        ask["encryptionKey"], "--from", registrar, "--rpc-url", ledger_.dev_chain().url()});
  must({"login", "--from", doctor});

  // A record written before the doctor had any grant: its key is sealed to the patient only.
  const fs::path file = home_ / "x-ray.png";
  std::ofstream(file, std::ios::binary) << std::string(3000, 'x') << "the end";
  const json added =
      must({"records", "add", "--file", file.string(), "--category", "imaging", "--from", patient});
  const std::string record_id = added.value("recordId", "");
  ASSERT_FALSE(record_id.empty()) << added.dump();
  const fs::path out = home_ / "read.png";
  expect_failure(medchain({"records", "get", record_id, "-o", out.string(), "--from", doctor}), 4,
                 "");

  // The grant shares it; the doctor reads the file byte for byte.
  const json granted =
      must({"access", "grant", doctor, "--scope", "imaging", "--for", "1d", "--from", patient});
  EXPECT_EQ(granted["sharedKeys"], 1) << granted.dump();
  must({"records", "get", record_id, "-o", out.string(), "--from", doctor});
  std::ifstream written(out, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(written), {}),
            std::string(3000, 'x') + "the end");

  // A category is the patient's to correct, not the doctor's (exit 4, the node's reason).
  expect_failure(medchain({"records", "set-category", record_id, "lab", "--from", doctor}), 4,
                 "only the patient or a guardian");
  const json corrected =
      must({"records", "set-category", record_id, "clinical-note", "--from", patient});
  EXPECT_EQ(corrected["category"], "clinical-note") << corrected.dump();
  EXPECT_EQ(corrected["categorySigner"], patient);
  expect_failure(medchain({"records", "set-category", record_id, "x-rays", "--from", patient}), 2,
                 "not a category");

  // After the revoke the node refuses the doctor: exit 4, one line.
  must({"access", "revoke", doctor, "--from", patient});
  expect_failure(medchain({"records", "get", record_id, "-o", out.string(), "--from", doctor}), 4,
                 "");
}

// docs/format.md, "Record summaries": `records add` derives the title, date and kind from the
// resource (or takes --title/--date), and `records list`/`show` open them on this machine — the
// patient's and, once a grant shared the key, the doctor's.
TEST_F(CliCommandsTest, RecordsListTitlesAndDatesOpenedOnTheClient) {
  const std::string patient = import(patient_);
  must({"register", "patient", "--from", patient});
  must({"login", "--from", patient});
  const fs::path lab = fs::path(MEDCHAIN_SOURCE_DIR) / "docs/examples/lab.json";
  const json added = must({"records", "add", "--resource", lab.string(), "--from", patient});
  EXPECT_EQ(added["summary"]["title"], "Hemoglobin [Mass/volume] in Blood") << added.dump();
  EXPECT_EQ(added["summary"]["date"], "2026-11-30T09:30:00Z");
  EXPECT_TRUE(added["summaryStored"].get<bool>());
  const fs::path file = home_ / "knee.png";
  std::ofstream(file, std::ios::binary) << "png bytes";
  must({"records", "add", "--file", file.string(), "--title", "Knee MRI", "--date", "2026-02-01",
        "--from", patient});
  expect_failure(medchain({"records", "add", "--file", file.string(), "--date", "01.02.2026",
                           "--from", patient}),
                 2, "date");

  const json listed = must({"records", "list", "--from", patient});
  ASSERT_EQ(listed["records"].size(), 2u) << listed.dump();
  std::map<std::string, json> by_title;
  for (const json& record : listed["records"]) {
    const json& version = record["versions"][0];
    EXPECT_FALSE(version.contains("summaryError")) << version.dump();
    EXPECT_GT(version["blockTime"].get<std::uint64_t>(), 0u);
    by_title[version.value("title", "")] = version;
  }
  ASSERT_TRUE(by_title.contains("Knee MRI")) << listed.dump();
  EXPECT_EQ(by_title["Knee MRI"]["date"], "2026-02-01");
  EXPECT_EQ(by_title["Knee MRI"]["kind"], "image/png");
  EXPECT_EQ(by_title["Hemoglobin [Mass/volume] in Blood"]["kind"], "Observation");

  const std::string record_id = added.value("recordId", "");
  const auto shown = medchain({"records", "show", record_id, "--from", patient});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(
      shown.out.find("Hemoglobin [Mass/volume] in Blood · 2026-11-30T09:30:00Z · Observation"),
      std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("block time"), std::string::npos) << shown.out;
}

// docs/format.md, "Encryption key" and "Rotating the encryption key": a new patient registers
// the format 2 key of this deployment (another chain or contract would give another key); a
// rotation re-seals the patient's copies, then moves the chain to the next generation; records
// written before and after open with the new key, checked against the chain; an interrupted
// rotation leaves every record readable and a rerun finishes it; a patient registered with a
// format 1 key keeps reading and rotates to format 2; a key on chain that is none of the
// account's derivations is named as such and nothing is rotated; an account that is not a
// patient is refused.
TEST_F(CliCommandsTest, KeysRotateMovesTheChainToTheNextKeyAndEveryRecordStillOpens) {
  namespace format = medchain::records;
  const std::string rpc = ledger_.dev_chain().url();
  const format::Deployment here{ledger_.chain_id(), ledger_.deployment().address};
  const auto key_of = [](const Party& party, const format::KeyDerivation& derivation) {
    return to_hex(format::derive_encryption_key(party.key, derivation).public_key);
  };
  const auto on_chain = [&](const Party& party) {
    return to_hex(ledger_.view("patientKeys", {party.address}).at(0).bytes());
  };
  const auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream(home_ / name, std::ios::binary) << content;
    return (home_ / name).string();
  };
  const auto read = [&](const std::string& patient, const std::string& record_id) {
    const fs::path out = home_ / "read.out";
    must({"records", "get", record_id, "-o", out.string(), "--from", patient, "--rpc-url", rpc});
    std::ifstream written(out, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(written), {});
  };

  const std::string patient = import(patient_);
  const json registered = must({"register", "patient", "--from", patient});
  EXPECT_EQ(registered["encryptionKey"], key_of(patient_, format::KeyDerivation::format2(here, 0)));
  EXPECT_EQ(on_chain(patient_), registered["encryptionKey"]);
  format::Deployment other_chain = here;
  other_chain.chain_id += 1;
  format::Deployment other_contract = here;
  other_contract.contract.bytes[0] ^= 1;
  EXPECT_NE(key_of(patient_, format::KeyDerivation::format2(other_chain, 0)), on_chain(patient_));
  EXPECT_NE(key_of(patient_, format::KeyDerivation::format2(other_contract, 0)),
            on_chain(patient_));
  EXPECT_NE(key_of(patient_, format::KeyDerivation::format1()), on_chain(patient_));
  must({"login", "--from", patient});
  const std::string scan = must({"records", "add", "--file", write("scan.png", "scan before"),
                                 "--category", "imaging", "--from", patient})
                               .value("recordId", "");
  const std::string lab = must({"records", "add", "--file", write("lab.pdf", "lab before"),
                                "--category", "lab", "--from", patient})
                              .value("recordId", "");

  // Interrupted after re-sealing (without the contract's ABI the intent cannot be built): the
  // chain still holds generation 0, both records still open, and a rerun finishes the rotation.
  const ProcessResult interrupted = medchain(
      {"keys", "rotate", "--from", patient, "--artifact", (home_ / "missing.json").string()});
  EXPECT_NE(interrupted.exit_code, 0) << interrupted.out;
  EXPECT_EQ(on_chain(patient_), registered["encryptionKey"]);
  EXPECT_EQ(read(patient, scan), "scan before");
  EXPECT_EQ(read(patient, lab), "lab before");
  const json rotated = must({"keys", "rotate", "--from", patient, "--rpc-url", rpc});
  EXPECT_EQ(rotated["from"], "format 2, generation 0") << rotated.dump();
  EXPECT_EQ(rotated["generation"], 1);
  EXPECT_EQ(rotated["resealed"], 0);
  EXPECT_EQ(rotated["alreadySealed"], 2);
  EXPECT_EQ(rotated["encryptionKey"], key_of(patient_, format::KeyDerivation::format2(here, 1)));
  EXPECT_EQ(on_chain(patient_), rotated["encryptionKey"]);
  EXPECT_EQ(read(patient, scan), "scan before");
  EXPECT_EQ(read(patient, lab), "lab before");
  const std::string after = must({"records", "add", "--file", write("after.png", "scan after"),
                                  "--category", "imaging", "--from", patient})
                                .value("recordId", "");
  EXPECT_EQ(read(patient, after), "scan after");
  const json again = must({"keys", "rotate", "--from", patient});
  EXPECT_EQ(again["generation"], 2);
  EXPECT_EQ(again["resealed"], 3);
  EXPECT_EQ(read(patient, scan), "scan before");

  // Registered before format 2: the format 1 key keeps working, and rotates to generation 1.
  Party legacy = ledger_.party(/*funded=*/false);
  ledger_.relayer()
      .relay(ledger_.intent(legacy, "registerPatientBySig",
                            {{"patient", eth::to_checksum(legacy.address)},
                             {"encryptionKey", key_of(legacy, format::KeyDerivation::format1())}}))
      .value();
  const std::string old_patient = import(legacy);
  must({"login", "--from", old_patient});
  const std::string old_record = must({"records", "add", "--file", write("old.png", "old"),
                                       "--category", "imaging", "--from", old_patient})
                                     .value("recordId", "");
  EXPECT_EQ(read(old_patient, old_record), "old");
  const json migrated = must({"keys", "rotate", "--from", old_patient, "--rpc-url", rpc});
  EXPECT_EQ(migrated["from"], "format 1 (bound to no deployment)");
  EXPECT_EQ(migrated["generation"], 1);
  EXPECT_EQ(on_chain(legacy), key_of(legacy, format::KeyDerivation::format2(here, 1)));
  EXPECT_EQ(read(old_patient, old_record), "old");

  // A key on chain that no derivation of the account gives: said, and nothing rotated.
  Party stranger = ledger_.registered_patient(/*funded=*/false);
  const std::string strange = import(stranger);
  must({"login", "--from", strange});
  const std::string before = on_chain(stranger);
  expect_failure(medchain({"keys", "rotate", "--from", strange, "--rpc-url", rpc}), 1,
                 "your derived encryption key is not the one on chain");
  EXPECT_EQ(on_chain(stranger), before);
  // Only a patient's key rotates (the contract has no rotation for others): bad input, exit 2.
  const std::string registrar = import(registrar_);
  must({"login", "--from", registrar});
  expect_failure(medchain({"keys", "rotate", "--from", registrar}), 2,
                 "is not a registered patient");
}

// A patient's whole record leaves as one FHIR Bundle, attachments included, and enters another
// patient's as the same resources in the same categories; a Bundle with one bad entry imports
// nothing.
TEST_F(CliCommandsTest, AnExportImportedIntoAFreshPatientGivesTheSameResources) {
  const std::string patient = import(patient_);
  const Party other_party = ledger_.party(/*funded=*/false);
  const std::string other = import(other_party);
  for (const std::string& who : {patient, other}) {
    must({"register", "patient", "--from", who});
    must({"login", "--from", who});
  }
  const fs::path source = fs::path(MEDCHAIN_SOURCE_DIR) / "docs/examples";
  must({"records", "add", "--resource", (source / "lab.json").string(), "--from", patient});
  must({"records", "add", "--file", (source / "xray.png").string(), "--category", "imaging",
        "--from", patient});
  const fs::path scan = home_ / "scan.bin";
  std::ofstream(scan, std::ios::binary) << std::string(200000, '\x7f') << "end of scan";
  must({"records", "add", "--file", scan.string(), "--title", "CT scan", "--category", "imaging",
        "--from", patient});

  const fs::path exported = home_ / "export.json";
  const json written = must({"records", "export", "-o", exported.string(), "--from", patient});
  EXPECT_EQ(written["records"], 3);
  EXPECT_EQ(written["attachments"], 2);
  const json bundle = json::parse(std::ifstream(exported));
  ASSERT_EQ(bundle["entry"].size(), 3u) << bundle.dump().substr(0, 500);

  // One entry that is not FHIR: nothing of the Bundle goes in.
  json broken = bundle;
  broken["entry"][2]["resource"] = {{"resourceType", "Observation"}};
  const fs::path broken_file = home_ / "broken.json";
  std::ofstream(broken_file) << broken.dump();
  expect_failure(medchain({"records", "import", broken_file.string(), "--from", other}), 2,
                 "entry 3 of 3");
  EXPECT_EQ(must({"records", "list", "--from", other})["records"].size(), 0u);

  const json imported = must({"records", "import", exported.string(), "--from", other});
  EXPECT_EQ(imported["imported"], 3);
  const fs::path again = home_ / "again.json";
  must({"records", "export", "-o", again.string(), "--from", other});
  const json round_trip = json::parse(std::ifstream(again));
  ASSERT_EQ(round_trip["entry"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(round_trip["entry"][i]["resource"], bundle["entry"][i]["resource"]);
    EXPECT_EQ(round_trip["entry"][i]["extension"], bundle["entry"][i]["extension"]);
    EXPECT_NE(round_trip["entry"][i]["fullUrl"], bundle["entry"][i]["fullUrl"]);  // new records
  }
  // The attachment reads back byte for byte through `records get` too.
  const std::string scan_id = imported["records"][2].value("recordId", "");
  const fs::path out = home_ / "scan-again.bin";
  must({"records", "get", scan_id, "-o", out.string(), "--from", other});
  std::ifstream original(scan, std::ios::binary), copy(out, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(original), {}),
            std::string(std::istreambuf_iterator<char>(copy), {}));
  EXPECT_EQ(imported["records"][2]["category"], "imaging");

  // The International Patient Summary of the same records, with an allergy added: an IPS
  // document by the checks, listing the allergy and the lab result, and no file.
  const fs::path allergy = home_ / "allergy.json";
  std::ofstream(allergy) << json{{"resourceType", "AllergyIntolerance"},
                                 {"patient", {{"reference", "Patient/self"}}},
                                 {"code", {{"text", "Penicillin"}}}}
                                .dump();
  must({"records", "add", "--resource", allergy.string(), "--from", other});
  const fs::path summary_file = home_ / "summary.json";
  must({"records", "export", "--summary", "-o", summary_file.string(), "--from", other});
  const json summary = json::parse(std::ifstream(summary_file));
  const Status valid = records::ips::validate_summary(summary);
  EXPECT_TRUE(valid.ok()) << (valid.ok() ? "" : valid.error().message);
  ASSERT_EQ(summary["entry"].size(), 4u) << summary.dump(2);  // composition, patient, 2 resources
  std::set<std::string> types;
  for (const json& entry : summary["entry"]) types.insert(entry["resource"]["resourceType"]);
  EXPECT_EQ(types,
            (std::set<std::string>{"Composition", "Patient", "AllergyIntolerance", "Observation"}));
}

// The operator's check of a node's disk: every blob the chain names for the node is there and
// is the ciphertext of its digest; a missing one and a changed one are each named.
TEST_F(CliCommandsTest, NodeVerifyNamesEveryMissingOrAlteredBlob) {
  const VerifiedRecords stored = add_lab_and_xray();
  const std::vector<std::string> verify{
      "node", "verify", "--data-dir", node_.dir().string(), "--node-id", to_hex(node_.node_id())};
  // The CLI's own commands wait for the node to index their transactions.
  const json healthy = must(verify);
  EXPECT_EQ(healthy["blobs"], 2);
  EXPECT_EQ(healthy["problems"].size(), 0u);

  const auto blob_path = [&](const json& added) {
    return node_.blob_file(from_hex_fixed<Hash32>(added.value("digest", "")).value());
  };
  expect_loss_and_alteration_named(verify, "", stored, blob_path(stored.lab),
                                   blob_path(stored.xray));
  // A node id the chain never named holds nothing; a malformed one is bad input.
  std::vector<std::string> other = verify;
  other.back() = to_hex(random_hash());
  EXPECT_EQ(must(other)["blobs"], 0);
  other.back() = "0x1234";
  expect_failure(medchain(other), 2, "--node-id");
}

// The same check of a node that keeps its blobs in an S3 bucket (medchaind --blobs s3://...):
// `node verify` takes the node's own --blobs and --s3-* options and reads every object back.
TEST_F(CliCommandsTest, NodeVerifyChecksTheBlobsOfANodeOnS3) {
  TempS3Server s3;
  const std::vector<std::string> blob_args = s3.node_args("verified");
  Node s3_node(ledger_, blob_args);
  const std::string url = "http://" + s3_node.authority();
  const VerifiedRecords stored = add_lab_and_xray(url);
  std::vector<std::string> verify{"node",       "verify",
                                  "--database", (s3_node.dir() / "index.db").string(),
                                  "--node-id",  to_hex(s3_node.node_id())};
  verify.insert(verify.end(), blob_args.begin(), blob_args.end());
  const json healthy = must(verify, url);
  EXPECT_EQ(healthy["blobs"], 2) << healthy.dump();
  EXPECT_EQ(healthy["problems"].size(), 0u) << healthy.dump();

  const auto object_of = [&](const json& added) {
    return s3.object_file("verified/blobs/" + added.value("digest", "").substr(2));
  };
  expect_loss_and_alteration_named(verify, url, stored, object_of(stored.lab),
                                   object_of(stored.xray));
  // An s3:// location without its endpoint is bad input, named.
  expect_failure(medchain({"node", "verify", "--database", (s3_node.dir() / "index.db").string(),
                           "--node-id", to_hex(s3_node.node_id()), "--blobs", "s3://bucket"},
                          kPassword, url),
                 2, "--s3-endpoint");
}

TEST_F(CliCommandsTest, ACustodianKeyIsWrittenOnceAndSetOnChain) {
  const Party operator_account = ledger_.party();
  const std::string custodian = import(operator_account);
  const std::string rpc = ledger_.dev_chain().url();
  const fs::path file = home_ / "custodian.key";
  const json made = must({"emergency", "custodian-key", "--out", file.string(), "--from", custodian,
                          "--rpc-url", rpc});
  // The file holds the secret of the key the chain now names, readable by its owner only.
  const records::EncryptionKeyPair key = custody::read_custodian_key(file).value();
  EXPECT_EQ(made["encryptionKey"], to_hex(key.public_key));
  const auto on_chain = ledger_.view("custodianKeys", {operator_account.address})[0].bytes();
  EXPECT_EQ(Bytes(key.public_key.bytes.begin(), key.public_key.bytes.end()), on_chain);
  EXPECT_EQ(fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  // A second run never overwrites it: a key on chain keeps its secret.
  expect_failure(medchain({"emergency", "custodian-key", "--out", file.string(), "--from",
                           custodian, "--rpc-url", rpc}),
                 1, "never overwritten");
  EXPECT_EQ(custody::read_custodian_key(file).value().public_key, key.public_key);
}

TEST_F(CliCommandsTest, RecordsAddWrapsEachNewKeyToThePatientsEscrow) {
  const std::string rpc = ledger_.dev_chain().url();
  Party funded_patient = ledger_.party();
  const std::string patient = import(funded_patient);
  must({"register", "patient", "--from", patient});
  must({"login", "--from", patient});
  // Before a policy: nothing is escrowed.
  const fs::path file = home_ / "lab.pdf";
  std::ofstream(file, std::ios::binary) << std::string(70'000, 'l') << "end";
  EXPECT_EQ(must({"records", "add", "--file", file.string(), "--category", "lab", "--from", patient,
                  "--rpc-url", rpc})["escrowed"],
            false);

  // Two custodians' keys; the patient deals 2 of 2 and publishes the policy.
  std::vector<records::EncryptionKeyPair> custodian_keys;
  std::vector<custody::CustodianEntry> custodians;
  for (int i = 0; i < 2; ++i) {
    const Party account = ledger_.party();
    const std::string address = import(account);
    const fs::path key_file = home_ / ("custodian-" + std::to_string(i) + ".key");
    must({"emergency", "custodian-key", "--out", key_file.string(), "--from", address, "--rpc-url",
          rpc});
    custodian_keys.push_back(custody::read_custodian_key(key_file).value());
    custodians.push_back({account.address, custodian_keys.back().public_key, "http://unused"});
  }
  const records::EscrowDealing dealing =
      records::deal_escrow(funded_patient.address, 2,
                           std::vector<records::X25519PublicKey>{custodians[0].encryption_key,
                                                                 custodians[1].encryption_key})
          .value();
  const custody::PolicyDocument document{dealing.policy, custodians};
  const std::string text = custody::policy_document_text(document);
  const Hash32 policy_hash = custody::policy_hash(text);
  ledger_.must_call(funded_patient, "setEscrowPolicy", {bytes32(policy_hash)});
  const std::string token = node_.token_for(funded_patient);
  Reply published;
  for (int i = 0; i < 50 && published.status != 201; ++i) {
    published = node_.send("PUT", "/v1/patients/" + patient + "/escrow-policy",
                           json{{"document", text}}.dump(), token);
    if (published.status != 201) std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(published.status, 201) << published.body.dump();

  // A new record's key is wrapped to the escrow, checked against the chain's policy hash; two
  // custodians' partials open it, and it decrypts the record.
  const json added = must({"records", "add", "--file", file.string(), "--category", "lab", "--from",
                           patient, "--rpc-url", rpc});
  EXPECT_EQ(added["escrowed"], true);
  const Hash32 record_id = from_hex_fixed<Hash32>(added.value("recordId", "")).value();
  const Hash32 digest = from_hex_fixed<Hash32>(added.value("digest", "")).value();
  const Reply escrowed =
      node_.get("/v1/records/" + to_hex(record_id) + "/versions/1/escrow-key", token);
  ASSERT_EQ(escrowed.status, 200) << escrowed.body.dump();
  EXPECT_EQ(escrowed.body["policyHash"], to_hex(policy_hash));
  const Bytes wrapped = from_hex(escrowed.body["wrappedKey"].get<std::string>()).value();
  const records::KeyBinding binding{record_id, 1, digest};
  records::EncryptionKeyPair doctor;
  crypto_box_keypair(doctor.public_key.data(), doctor.secret.data());
  std::vector<records::EscrowPartial> partials;
  for (std::uint8_t i = 1; i <= 2; ++i) {
    const records::EscrowShare share =
        records::open_escrow_share(dealing.sealed_shares[i - 1], document.policy, i,
                                   custodian_keys[i - 1])
            .value();
    const Bytes sealed =
        records::make_escrow_partial(share, document.policy, wrapped, binding, doctor.public_key)
            .value();
    partials.push_back(
        records::open_escrow_partial(sealed, document.policy, wrapped, binding, doctor).value());
  }
  const records::ContentKey key =
      records::open_escrow_wrapped_key(wrapped, binding, document.policy, partials).value();
  const Reply blob = node_.get("/v1/blobs/" + to_hex(digest), token);
  ASSERT_EQ(blob.status, 200);
  EXPECT_TRUE(records::decrypt(key, as_bytes(blob.raw)).ok());
}

TEST_F(CliCommandsTest, FailuresAreOneLineWithTheDocumentedExitCode) {
  const std::string patient = import(patient_);

  // A wrong password: bad input.
  expect_failure(medchain({"login", "--from", patient}, "wrong"), 2, "wrong password");
  // A missing key.
  expect_failure(medchain({"login", "--from", "0x0000000000000000000000000000000000000001"}), 2,
                 "no key");
  expect_failure(medchain({"login", "--from", "not-an-address"}), 2, "--from");
  // An unreachable node.
  const auto port = pick_free_loopback_port();
  ASSERT_TRUE(port.ok());
  expect_failure(medchain({"login", "--from", patient}, kPassword,
                          "http://127.0.0.1:" + std::to_string(*port)),
                 1, "cannot be reached");
  // Never signed in.
  expect_failure(medchain({"whoami", "--from", patient}), 3, "medchain login");

  // Signed in, then logged out: the node no longer knows the session.
  must({"login", "--from", patient});
  EXPECT_EQ(must({"whoami", "--from", patient})["address"], patient);
  const fs::path session_file = home_ / "sessions" / (patient + ".json");
  EXPECT_EQ(fs::status(session_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const std::string saved = [&] {
    std::ifstream in(session_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  must({"logout", "--from", patient});
  expect_failure(medchain({"whoami", "--from", patient}), 3, "medchain login");
  // The old token put back (a revoked session), and a garbage one.
  std::ofstream(session_file) << saved;
  expect_failure(medchain({"whoami", "--from", patient}), 3,
                 "session expired: run `medchain login`");
  json garbage = json::parse(saved);
  json& entry = garbage["sessions"]["http://" + node_.authority()];
  ASSERT_TRUE(entry.is_object()) << saved;
  entry["token"] = "0123456789abcdef";
  std::ofstream(session_file) << garbage.dump();
  expect_failure(medchain({"access", "list", "--from", patient}), 3, "session expired");
  // A session whose time is up never reaches the node.
  entry["expiresAt"] = 1;
  std::ofstream(session_file) << garbage.dump();
  expect_failure(medchain({"audit", "list", "--from", patient}), 3, "session expired");

  // Bad input to the consent commands.
  must({"login", "--from", patient});
  expect_failure(medchain({"access", "grant", eth::to_checksum(registrar_.address), "--scope",
                           "x-ray", "--for", "1d", "--from", patient}),
                 2, "unknown category 'x-ray'");
  expect_failure(medchain({"access", "grant", eth::to_checksum(registrar_.address), "--scope",
                           "lab", "--for", "7w", "--from", patient}),
                 2, "duration");
  // The patient is not registered: the chain refuses the grant (exit 1), naming why.
  expect_failure(medchain({"access", "grant", eth::to_checksum(registrar_.address), "--scope",
                           "lab", "--for", "1d", "--from", patient}),
                 1, "422");
}

}  // namespace
}  // namespace medchain::test
