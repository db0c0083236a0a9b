// `medchain registrar profile` and doctors by name in `medchain access list` (docs/cli.md): the
// real binary against anvil + medchaind. A profile the registrar signs is shown by name, checked
// against the chain with --rpc-url; one signed by anyone else is refused by the node.
#include <gtest/gtest.h>

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

class CliProfileTest : public ::testing::Test {
 protected:
  CliProfileTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.registered_patient(/*funded=*/false);
    fs::create_directories(home_);
  }
  ~CliProfileTest() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }

  ProcessResult medchain(std::vector<std::string> args) { return cli_.run(std::move(args)); }
  json must(std::vector<std::string> args) { return cli_.must(std::move(args)); }
  std::string import(const Party& party) { return cli_.import(party.key); }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_;
  Node node_{ledger_};
  fs::path home_ = fs::temp_directory_path() / ("medchain-cli-profile-" + to_hex(random_hash()));
  CliRunner cli_{home_, {"--node", "http://" + node_.authority()}};
};

TEST_F(CliProfileTest, TheRegistrarsProfileNamesTheDoctorInTheAccessList) {
  const std::string registrar = import(registrar_);
  const std::string patient = import(patient_);
  const std::string doctor = eth::to_checksum(doctor_.address);
  const std::string rpc = ledger_.dev_chain().url();
  must({"login", "--from", registrar});
  must({"login", "--from", patient});

  // Not a registrar: the node refuses the profile's signature (its 400, exit 2, in one line).
  const ProcessResult forged = medchain(
      {"registrar", "profile", doctor, "--name", "Dr. Mallory", "--from", patient});
  EXPECT_EQ(forged.exit_code, 2) << forged.err;
  EXPECT_NE(forged.err.find("registrar"), std::string::npos) << forged.err;
  // A field no one should be shown: refused before signing (exit 2).
  const ProcessResult oversize = medchain(
      {"registrar", "profile", doctor, "--name", std::string(129, 'a'), "--from", registrar});
  EXPECT_EQ(oversize.exit_code, 2) << oversize.err;

  const json attested = must({"registrar", "profile", doctor, "--name", "Dr. Alice Moreau",
                              "--specialty", "Cardiology", "--institution", "Saint-Louis",
                              "--from", registrar});
  EXPECT_EQ(attested["signer"], registrar) << attested.dump();

  ASSERT_EQ(node_
                .relay(patient_, "grantAccessBySig",
                       {{"patient", eth::to_checksum(patient_.address)},
                        {"doctor", doctor},
                        {"scope", 2},
                        {"permissions", 1},
                        {"expiry", std::time(nullptr) + 3600}})
                .status,
            200);
  const json checked = must({"access", "list", "--from", patient, "--rpc-url", rpc});
  ASSERT_EQ(checked["grants"].size(), 1u) << checked.dump();
  EXPECT_EQ(checked["grants"][0]["doctorName"],
            "Dr. Alice Moreau \xC2\xB7 Cardiology \xC2\xB7 Saint-Louis");
  EXPECT_EQ(checked["grants"][0]["doctorNameChecked"], true);
  const json unchecked = must({"access", "list", "--from", patient});
  EXPECT_EQ(unchecked["grants"][0]["doctorNameChecked"], false);
  const ProcessResult text = medchain({"access", "list", "--from", patient, "--rpc-url", rpc});
  EXPECT_NE(text.out.find("Dr. Alice Moreau"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(doctor), std::string::npos) << text.out;
}

}  // namespace
}  // namespace medchain::test
