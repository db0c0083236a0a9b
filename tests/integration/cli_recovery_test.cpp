// `medchain recovery` (docs/cli.md): the real binary against anvil + medchaind. Two guardians
// of three approve a new address for a patient whose wallet is lost, the delay passes (anvil
// time travel), anyone executes, and the new address acts as the patient on chain and at the
// node while the old key has no power; a recovery the patient's key cancels within the delay
// does not happen. Each refusal is the contract's named error with exit 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "cli_runner.hpp"
#include "support/node.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kDelay = 48 * 3600;

class CliRecoveryTest : public ::testing::Test {
 protected:
  CliRecoveryTest() {
    patient_ = ledger_.registered_patient();
    for (Party* guardian : {&guardian1_, &guardian2_, &guardian3_}) {
      *guardian = ledger_.party();
      ledger_.must_call(patient_, "addGuardian", {patient_.address, guardian->address});
    }
    new_address_ = ledger_.party();
    fs::create_directories(home_);
  }
  ~CliRecoveryTest() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }

  ProcessResult medchain(std::vector<std::string> args) {
    args.insert(args.end(), {"--rpc-url", ledger_.dev_chain().url()});
    return cli_.run(std::move(args));
  }
  json must(std::vector<std::string> args) {
    args.insert(args.end(), {"--rpc-url", ledger_.dev_chain().url()});
    return cli_.must(std::move(args));
  }
  void travel(std::int64_t seconds) {
    ASSERT_TRUE(ledger_.client().rpc().call("evm_increaseTime", json::array({seconds})).ok());
    ASSERT_TRUE(ledger_.client().rpc().call("evm_mine", json::array()).ok());
  }
  // The kinds in `account`'s inbox (signed in), newest first, once the node shows `expected`
  // (each step is indexed a moment after its transaction).
  std::vector<std::string> inbox_kinds(const std::string& account, const std::string& expected) {
    std::vector<std::string> kinds;
    for (int attempt = 0; attempt < 50; ++attempt) {
      kinds.clear();
      const json inbox = must({"inbox", "--from", account});
      for (const json& item : inbox["items"]) kinds.push_back(item.value("kind", ""));
      if (std::find(kinds.begin(), kinds.end(), expected) != kinds.end()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return kinds;
  }
  Address controller_of(const Party& patient) {
    return ledger_.view("controllerOf", {patient.address})[0].address();
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party patient_, guardian1_, guardian2_, guardian3_, new_address_;
  Node node_{ledger_};
  fs::path home_ = fs::temp_directory_path() / ("medchain-cli-recovery-" + to_hex(random_hash()));
  CliRunner cli_{home_, {"--node", "http://" + node_.authority()}};
};

TEST_F(CliRecoveryTest, TwoGuardiansRecoverALostWalletAfterTheDelay) {
  const std::string patient = cli_.import(patient_.key);
  const std::string g1 = cli_.import(guardian1_.key);
  const std::string g2 = cli_.import(guardian2_.key);
  const std::string b = cli_.import(new_address_.key);

  const json policy = must({"recovery", "policy", "2", "--from", patient});
  EXPECT_EQ(policy["threshold"], 2) << policy.dump();
  EXPECT_EQ(policy["delay"], kDelay) << policy.dump();
  // The patient's key file is gone from here on: only the guardians and B act.
  ASSERT_TRUE(fs::remove(home_ / "keys" / (patient + ".json")));

  // Not a guardian: refused with the contract's error.
  const ProcessResult stranger = medchain({"recovery", "approve", patient, b, "--from", b});
  EXPECT_EQ(stranger.exit_code, 1) << stranger.err;
  EXPECT_NE(stranger.err.find("RecoveryNotGuardian"), std::string::npos) << stranger.err;

  must({"login", "--from", g2});
  const json proposed = must({"recovery", "propose", patient, b, "--from", g1});
  // The other guardians hear of it at once (and so would the patient's key, were it not lost).
  const std::vector<std::string> told = inbox_kinds(g2, "recovery_proposed");
  EXPECT_NE(std::find(told.begin(), told.end(), "recovery_proposed"), told.end());
  EXPECT_EQ(proposed["approvals"], 1);
  EXPECT_EQ(proposed["readyAt"], 0);
  const ProcessResult twice = medchain({"recovery", "approve", patient, b, "--from", g1});
  EXPECT_EQ(twice.exit_code, 1) << twice.err;
  EXPECT_NE(twice.err.find("RecoveryAlreadyApproved"), std::string::npos) << twice.err;
  const json approved = must({"recovery", "approve", patient, b, "--from", g2});
  EXPECT_EQ(approved["approvals"], 2);
  EXPECT_GT(approved["readyAt"].get<std::int64_t>(), 0);

  // Within the delay: not yet.
  const ProcessResult early = medchain({"recovery", "execute", patient, b, "--from", b});
  EXPECT_EQ(early.exit_code, 1) << early.err;
  EXPECT_NE(early.err.find("RecoveryNotReady"), std::string::npos) << early.err;
  EXPECT_EQ(controller_of(patient_), Address{});

  travel(kDelay);
  const json executed = must({"recovery", "execute", patient, b, "--from", b});
  EXPECT_EQ(executed["controller"], b) << executed.dump();
  EXPECT_EQ(controller_of(patient_), new_address_.address);
  const json status = must({"recovery", "status", patient, b, "--from", b});
  EXPECT_EQ(status["executed"], true) << status.dump();

  // The node follows the chain: B, signed in as B, controls the patient.
  must({"login", "--from", b});
  const std::vector<std::string> b_told = inbox_kinds(b, "recovery_executed");
  EXPECT_NE(std::find(b_told.begin(), b_told.end(), "recovery_executed"), b_told.end());
  const json me = must({"whoami", "--from", b});
  ASSERT_TRUE(me["controllerOf"].is_array()) << me.dump();
  ASSERT_EQ(me["controllerOf"].size(), 1u) << me.dump();
  EXPECT_EQ(me["controllerOf"][0], patient) << me.dump();

  // B acts as the patient on chain: it sets the patient's recovery policy; the old key cannot.
  must({"recovery", "policy", "3", "--patient", patient, "--from", b});
  EXPECT_FALSE(
      ledger_.call(patient_, "addGuardian", {patient_.address, new_address_.address}).ok());
}

TEST_F(CliRecoveryTest, ARecoveryThePatientsKeyCancelsWithinTheDelayDoesNotHappen) {
  const std::string patient = cli_.import(patient_.key);
  const std::string g1 = cli_.import(guardian1_.key);
  const std::string g3 = cli_.import(guardian3_.key);
  const std::string b = cli_.import(new_address_.key);
  must({"recovery", "policy", "2", "--from", patient});
  must({"login", "--from", patient});
  must({"recovery", "propose", patient, b, "--from", g1});
  must({"recovery", "approve", patient, b, "--from", g3});
  // The patient's inbox says what is coming and when: its chance to cancel.
  const std::vector<std::string> warned = inbox_kinds(patient, "recovery_ready");
  EXPECT_NE(std::find(warned.begin(), warned.end(), "recovery_proposed"), warned.end());
  EXPECT_NE(std::find(warned.begin(), warned.end(), "recovery_ready"), warned.end());

  // Only the patient's key cancels.
  const ProcessResult guardian_cancel =
      medchain({"recovery", "cancel", "--patient", patient, "--from", g1});
  EXPECT_EQ(guardian_cancel.exit_code, 1) << guardian_cancel.err;
  EXPECT_NE(guardian_cancel.err.find("RecoveryNotPatient"), std::string::npos)
      << guardian_cancel.err;

  travel(kDelay - 3600);
  const json cancelled = must({"recovery", "cancel", "--from", patient});
  EXPECT_EQ(cancelled["patient"], patient);
  const std::vector<std::string> after_cancel = inbox_kinds(patient, "recovery_cancelled");
  ASSERT_FALSE(after_cancel.empty());
  EXPECT_EQ(after_cancel.front(), "recovery_cancelled");
  travel(2 * 3600);
  const ProcessResult execute = medchain({"recovery", "execute", patient, b, "--from", b});
  EXPECT_EQ(execute.exit_code, 1) << execute.err;
  EXPECT_NE(execute.err.find("RecoveryNotPending"), std::string::npos) << execute.err;
  EXPECT_EQ(controller_of(patient_), Address{});
  const json status = must({"recovery", "status", patient, b, "--from", b});
  EXPECT_EQ(status["approvals"], 0) << status.dump();
  EXPECT_EQ(status["executed"], false);
  // B cannot act as the patient: the contract still takes only the patient's key.
  ASSERT_FALSE(
      ledger_.call(new_address_, "addGuardian", {patient_.address, guardian1_.address}).ok());
}

}  // namespace
}  // namespace medchain::test
