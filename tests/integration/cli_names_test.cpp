// Doctors by name beyond `access list` (docs/cli.md, "Names"): the audit log's actor, a record
// version's author and the author name a summary carries, all from the registrar-signed profile
// the node serves, checked against the chain with --rpc-url. The real binary against anvil +
// medchaind.
#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

#include "cli_runner.hpp"
#include "support/node.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kAlice = "Dr. Alice Moreau";
constexpr const char* kAliceLine = "Dr. Alice Moreau \xC2\xB7 Cardiology \xC2\xB7 Saint-Louis";

class CliNamesTest : public ::testing::Test {
 protected:
  CliNamesTest() {
    registrar_ = ledger_.registrar();
    patient_ = ledger_.party(/*funded=*/false);
    fs::create_directories(home_);
  }
  ~CliNamesTest() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }

  ProcessResult medchain(std::vector<std::string> args) { return cli_.run(std::move(args)); }
  json must(std::vector<std::string> args) { return cli_.must(std::move(args)); }
  std::string import(const Party& party) { return cli_.import(party.key); }

  // A doctor with a new key, verified with its real encryption key and signed in.
  std::string new_doctor(const std::string& license) {
    const std::string address = must({"keys", "new", "--scrypt-n", "1024"}).value("address", "");
    const json ask = must({"register", "doctor", "--from", address, "--license", license});
    must({"registrar", "verify", address, "--license-hash", ask["licenseHash"], "--encryption-key",
          ask["encryptionKey"], "--from", registrar, "--rpc-url", rpc});
    must({"login", "--from", address});
    return address;
  }

  // A patient, and a doctor verified with a real encryption key whose profile the registrar
  // signs, all signed in.
  void set_up_people() {
    registrar = import(registrar_);
    patient = import(patient_);
    rpc = ledger_.dev_chain().url();
    must({"register", "patient", "--from", patient});
    must({"login", "--from", patient});
    doctor = new_doctor("MD-7");
    must({"login", "--from", registrar});
    must({"registrar", "profile", doctor, "--name", kAlice, "--specialty", "Cardiology",
          "--institution", "Saint-Louis", "--from", registrar});
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, patient_;
  Node node_{ledger_};
  fs::path home_ = fs::temp_directory_path() / ("medchain-cli-names-" + to_hex(random_hash()));
  CliRunner cli_{home_, {"--node", "http://" + node_.authority()}};
  std::string registrar, patient, doctor, rpc;
};

// The summary of the version `added` names, as `records list` opened it.
json listed_version(const json& listing, const json& added) {
  for (const json& record : listing.value("records", json::array())) {
    if (record.value("recordId", "") != added.value("recordId", "")) continue;
    return record["versions"].back();
  }
  return json();
}

TEST_F(CliNamesTest, ADoctorIsNamedInRequestsRecordsAuthorNamesAndTheAuditLog) {
  set_up_people();
  const fs::path lab = fs::path(MEDCHAIN_SOURCE_DIR) / "docs/examples/lab.json";

  // The request, as the patient sees it.
  must({"access", "request", patient, "--scope", "lab", "--read", "--append", "--for", "1d",
        "--reason", "follow-up", "--from", doctor});
  const json requests = must({"access", "list", "--from", patient, "--rpc-url", rpc});
  ASSERT_EQ(requests["requests"].size(), 1u) << requests.dump();
  EXPECT_EQ(requests["requests"][0]["doctorName"], kAliceLine);
  EXPECT_EQ(requests["requests"][0]["doctorNameChecked"], true);
  must({"access", "grant", doctor, "--scope", "lab", "--read", "--append", "--for", "1d", "--from",
        patient});

  // The doctor's own checked profile name goes into the summary, only with --rpc-url.
  const json by_doctor = must({"records", "add", "--resource", lab.string(), "--patient", patient,
                               "--from", doctor, "--rpc-url", rpc});
  EXPECT_EQ(by_doctor["summary"]["authorName"], kAlice) << by_doctor.dump();
  const json unchecked =
      must({"records", "add", "--resource", lab.string(), "--patient", patient, "--from", doctor});
  EXPECT_FALSE(unchecked["summary"].contains("authorName")) << unchecked.dump();
  const json none = must({"records", "add", "--resource", lab.string(), "--patient", patient,
                          "--from", doctor, "--rpc-url", rpc, "--author-name", ""});
  EXPECT_FALSE(none["summary"].contains("authorName")) << none.dump();
  const json own = must({"records", "add", "--resource", lab.string(), "--from", patient,
                         "--rpc-url", rpc, "--author-name", "Jean Dupont"});
  EXPECT_EQ(own["summary"]["authorName"], "Jean Dupont") << own.dump();
  const json patient_default =
      must({"records", "add", "--resource", lab.string(), "--from", patient, "--rpc-url", rpc});
  EXPECT_FALSE(patient_default["summary"].contains("authorName")) << patient_default.dump();

  // The patient's list: the author name opened from the summary, the author by the profile.
  const json listing = must({"records", "list", "--from", patient, "--rpc-url", rpc});
  const json version = listed_version(listing, by_doctor);
  EXPECT_EQ(version["authorName"], kAlice) << listing.dump();
  EXPECT_EQ(version["doctorName"], kAliceLine) << listing.dump();
  EXPECT_EQ(version["doctorNameChecked"], true);
  EXPECT_FALSE(listed_version(listing, own).contains("doctorName")) << listing.dump();
  EXPECT_EQ(listed_version(listing, own)["authorName"], "Jean Dupont");
  // An emergency window names its doctor too.
  must({"emergency", "policy", "--allow", "--from", patient});
  must({"emergency", "open", patient, "--for", "1h", "--reason-code", "1", "--from", doctor});
  const json windows = must({"emergency", "list", "--from", patient, "--rpc-url", rpc});
  ASSERT_EQ(windows["windows"].size(), 1u) << windows.dump();
  EXPECT_EQ(windows["windows"][0]["doctorName"], kAliceLine) << windows.dump();
  EXPECT_EQ(windows["windows"][0]["doctorNameChecked"], true);
  must({"emergency", "close", "--patient", patient, "--from", doctor});

  const ProcessResult text = medchain({"records", "list", "--from", patient, "--rpc-url", rpc});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(std::string("by ") + kAlice), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(std::string("author ") + kAliceLine + " (" + doctor + ")"),
            std::string::npos)
      << text.out;

  // The doctor's read is in the patient's audit log under the doctor's name.
  const fs::path out = home_ / "read.json";
  must({"records", "get", by_doctor["recordId"], "-o", out.string(), "--from", doctor});
  const json log = must({"audit", "list", "--from", patient, "--rpc-url", rpc});
  bool named = false;
  for (const json& entry : log["entries"]) {
    if (entry.value("actor", "") != doctor) {
      EXPECT_FALSE(entry.contains("doctorName")) << entry.dump();
      continue;
    }
    EXPECT_EQ(entry["doctorName"], kAliceLine) << entry.dump();
    EXPECT_EQ(entry["doctorNameChecked"], true);
    named = true;
  }
  EXPECT_TRUE(named) << log.dump();
  const json unchecked_log = must({"audit", "list", "--from", patient});
  for (const json& entry : unchecked_log["entries"]) {
    if (entry.value("actor", "") == doctor) {
      EXPECT_EQ(entry["doctorNameChecked"], false);
    }
  }
  const ProcessResult log_text = medchain({"audit", "list", "--from", patient, "--rpc-url", rpc});
  EXPECT_NE(log_text.out.find(std::string(kAliceLine) + " (" + doctor + ")"), std::string::npos)
      << log_text.out;

  // The signer is a registrar no more: the profile the node still holds is not the chain's word,
  // so no name is shown and none is written into a summary.
  ledger_.must_call(ledger_.admin(), "setRegistrar", {registrar_.address, false});
  const json after = must({"audit", "list", "--from", patient, "--rpc-url", rpc});
  for (const json& entry : after["entries"]) {
    EXPECT_FALSE(entry.contains("doctorName")) << entry.dump();
    if (entry.value("actor", "") == doctor) {
      EXPECT_TRUE(entry.contains("doctorProfileError")) << entry.dump();
    }
  }
  const ProcessResult after_text = medchain({"audit", "list", "--from", patient, "--rpc-url", rpc});
  EXPECT_EQ(after_text.out.find(kAlice), std::string::npos) << after_text.out;
  const json refused_name = must({"records", "add", "--resource", lab.string(), "--patient",
                                  patient, "--from", doctor, "--rpc-url", rpc});
  EXPECT_FALSE(refused_name["summary"].contains("authorName")) << refused_name.dump();
}

// A patient's demographics are a FHIR Patient record: a doctor whose grant covers it (general)
// sees the name and birth date in `access list`, one whose grant does not sees the address; the
// patient's own name goes into the summaries they write.
TEST_F(CliNamesTest, APatientIsNamedToTheDoctorsWhoMayReadTheirDetails) {
  set_up_people();
  const std::string other_doctor = new_doctor("MD-8");
  const fs::path details = home_ / "patient.json";
  std::ofstream(details) << R"({"resourceType":"Patient","name":[{"given":["Jean"],)"
                         << R"("family":"Dupont"}],"birthDate":"1970-01-02"})";
  const json written = must({"records", "add", "--resource", details.string(), "--category",
                             "general", "--from", patient});
  EXPECT_EQ(written["summary"]["kind"], "Patient") << written.dump();
  const fs::path lab = fs::path(MEDCHAIN_SOURCE_DIR) / "docs/examples/lab.json";
  const json own = must({"records", "add", "--resource", lab.string(), "--from", patient});
  EXPECT_EQ(own["summary"]["authorName"], "Jean Dupont") << own.dump();

  must({"access", "grant", doctor, "--scope", "general,lab", "--for", "1d", "--from", patient});
  must({"access", "grant", other_doctor, "--scope", "lab", "--for", "1d", "--from", patient});

  const json named = must({"access", "list", "--from", doctor, "--rpc-url", rpc});
  ASSERT_EQ(named["grants"].size(), 1u) << named.dump();
  EXPECT_EQ(named["grants"][0]["patientName"], "Jean Dupont") << named.dump();
  EXPECT_EQ(named["grants"][0]["patientBirthDate"], "1970-01-02");
  const ProcessResult text = medchain({"access", "list", "--from", doctor});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Jean Dupont (born 1970-01-02) (" + patient + ")"), std::string::npos)
      << text.out;

  const json unnamed = must({"access", "list", "--from", other_doctor, "--rpc-url", rpc});
  ASSERT_EQ(unnamed["grants"].size(), 1u) << unnamed.dump();
  EXPECT_FALSE(unnamed["grants"][0].contains("patientName")) << unnamed.dump();
  const ProcessResult address_only = medchain({"access", "list", "--from", other_doctor});
  EXPECT_EQ(address_only.out.find("Jean"), std::string::npos) << address_only.out;
  EXPECT_NE(address_only.out.find(patient), std::string::npos) << address_only.out;

  // A guardian is sealed the existing keys, so their list of wards names the patient.
  const std::string guardian = must({"keys", "new", "--scrypt-n", "1024"}).value("address", "");
  must({"register", "patient", "--from", guardian});
  must({"login", "--from", guardian});
  EXPECT_EQ(must({"guardians", "wards", "--from", guardian})["wards"], json::array());
  must({"guardians", "add", guardian, "--from", patient});
  const json wards = must({"guardians", "wards", "--from", guardian});
  ASSERT_EQ(wards["wards"].size(), 1u) << wards.dump();
  EXPECT_EQ(wards["wards"][0]["patient"], patient);
  EXPECT_EQ(wards["wards"][0]["patientName"], "Jean Dupont") << wards.dump();
  const ProcessResult ward_text = medchain({"guardians", "wards", "--from", guardian});
  ASSERT_EQ(ward_text.exit_code, 0) << ward_text.err;
  EXPECT_NE(ward_text.out.find("Jean Dupont (born 1970-01-02) (" + patient + ")"),
            std::string::npos)
      << ward_text.out;
}

}  // namespace
}  // namespace medchain::test
