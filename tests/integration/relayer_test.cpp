// The chain gateway against real development chains, anvil and ganache alike: the contract
// deployed from its artifact, the access story through direct calls and relayed intents,
// decoded reverts, batches, and concurrent submitters sharing one relayer account.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <mutex>
#include <thread>

#include "support/ledger.hpp"

namespace medchain::test {
namespace {

using chain::DevChainKind;
using nlohmann::json;

constexpr std::uint16_t kLab = 1 << 1;
constexpr std::uint16_t kImaging = 1 << 2;
constexpr std::uint8_t kMentalHealth = 8;
constexpr std::uint8_t kRead = 1;
constexpr std::uint8_t kAppend = 2;

std::string address_text(const Party& party) {
  return eth::to_checksum(party.address);
}

class RelayerTest : public ::testing::TestWithParam<DevChainKind> {
 protected:
  Ledger ledger{GetParam()};

  bool can_read(const Party& patient, const Party& doctor, std::uint8_t category) {
    return ledger.view("canRead", {patient.address, doctor.address, word(category)})[0].flag();
  }
  bool can_append(const Party& patient, const Party& doctor) {
    return ledger.view("canAppend", {patient.address, doctor.address})[0].flag();
  }
  std::uint64_t now() { return ledger.client().latest_block().value()->timestamp; }
};

TEST_P(RelayerTest, DeploysAndRecordsTheDeployment) {
  const chain::Deployment& deployment = ledger.deployment();
  EXPECT_EQ(deployment.admin, ledger.admin().address);
  EXPECT_TRUE(chain::check_deployment(ledger.client(), deployment).ok());
  EXPECT_EQ(ledger.view("admin", {})[0].address(), ledger.admin().address);

  const auto dir =
      std::filesystem::temp_directory_path() / ("medchain-deploy-" + to_hex(random_hash()));
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(chain::write_deployment(dir, deployment).ok());
  EXPECT_EQ(chain::read_deployment(dir).value(), deployment);

  chain::Deployment elsewhere = deployment;
  elsewhere.chain_id += 1;
  EXPECT_EQ(chain::check_deployment(ledger.client(), elsewhere).error().code, Errc::kWrongChain);
  elsewhere = deployment;
  elsewhere.address = ledger.admin().address;  // no code there
  EXPECT_EQ(chain::check_deployment(ledger.client(), elsewhere).error().code, Errc::kNotFound);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(chain::read_deployment(dir).error().code, Errc::kNotFound);
}

TEST_P(RelayerTest, AccessStoryThroughDirectCallsAndRelayedIntents) {
  Party registrar = ledger.registrar();
  Party doctor = ledger.verified_doctor(registrar);
  Party patient = ledger.registered_patient();  // registered by a relayed intent
  const Hash32 node = ledger.storage_node(registrar);
  EXPECT_EQ(ledger.view("doctors", {doctor.address})[0].word(), 1u);  // verified

  // The doctor asks for lab results; the patient approves through a relayed intent.
  chain::Receipt requested = ledger.must_call(
      doctor, "requestAccess",
      {patient.address, word(kLab), word(kRead), word(86'400), bytes32(random_hash())});
  const auto requests = ledger.events(requested, "AccessRequested");
  ASSERT_EQ(requests.size(), 1u);
  const U256 request_id = requests[0].values[0].word();
  EXPECT_EQ(ledger.view("requester", {request_id})[0].address(), doctor.address);
  EXPECT_FALSE(can_read(patient, doctor, 1));
  const json approval{{"requestId", to_decimal(request_id)},
                      {"scope", kLab},
                      {"permissions", kRead},
                      {"duration", 86'400}};
  chain::Receipt approved =
      ledger.relayer().relay(ledger.intent(patient, "approveRequestBySig", approval)).value();
  EXPECT_EQ(ledger.events(approved, "RequestApproved").size(), 1u);
  EXPECT_TRUE(can_read(patient, doctor, 1));
  EXPECT_FALSE(can_read(patient, doctor, 2));

  // A direct grant widens the scope and adds append; the doctor writes and updates a record.
  ledger.must_call(patient, "grantAccess",
                   {patient.address, doctor.address, word(kLab | kImaging), word(kRead | kAppend),
                    word(now() + 86'400)});
  EXPECT_TRUE(can_read(patient, doctor, 2));
  EXPECT_TRUE(can_append(patient, doctor));
  const Hash32 record = random_hash();
  const Hash32 digest1 = random_hash();
  const Hash32 content1 = random_hash();
  chain::Receipt added = ledger.must_call(
      doctor, "addRecord",
      {patient.address, bytes32(record), bytes32(digest1), bytes32(node), bytes32(content1)});
  const auto additions = ledger.events(added, "RecordAdded");
  ASSERT_EQ(additions.size(), 1u);
  EXPECT_EQ(additions[0].values[2].address(), doctor.address);  // the author
  const eth::abi::Value version1(eth::abi::Value::Items{patient.address, doctor.address, word(1),
                                                        bytes32(digest1), bytes32(node),
                                                        bytes32(content1), bytes32(Hash32{})});
  const Hash32 digest2 = random_hash();
  chain::Receipt updated = ledger.must_call(
      doctor, "updateRecord",
      {bytes32(record), version1, bytes32(digest2), bytes32(node), bytes32(random_hash())});
  const auto updates = ledger.events(updated, "RecordUpdated");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].values[3].word(), 2u);  // version
  EXPECT_EQ(updates[0].values[4].bytes(), Bytes(digest1.bytes.begin(), digest1.bytes.end()));
  EXPECT_EQ(ledger.view("recordHeads", {bytes32(record)})[0].bytes(), updates[0].values[8].bytes());
  // Updating from the old version again is refused: history only grows.
  auto stale = ledger.call(
      doctor, "updateRecord",
      {bytes32(record), version1, bytes32(random_hash()), bytes32(node), bytes32(random_hash())});
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.error().message.find("StaleRecordVersion"), std::string::npos);

  // The patient revokes through a relayed intent: nothing remains.
  const json revoke{{"patient", address_text(patient)}, {"doctor", address_text(doctor)}};
  ledger.relayer().relay(ledger.intent(patient, "revokeAccessBySig", revoke)).value();
  EXPECT_FALSE(can_read(patient, doctor, 1));
  EXPECT_FALSE(can_append(patient, doctor));

  // Emergency access: refused until the patient's policy allows it, then everything for the
  // window, until the patient ends it.
  auto refused = ledger.call(doctor, "openEmergencyAccess", {patient.address, word(600), word(1)});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kReverted);
  EXPECT_NE(refused.error().message.find("EmergencyNotAllowed"), std::string::npos);
  ledger.must_call(patient, "setEmergencyPolicy", {patient.address, true, word(3600), word(0)});
  chain::Receipt opened =
      ledger.must_call(doctor, "openEmergencyAccess", {patient.address, word(600), word(1)});
  EXPECT_EQ(ledger.events(opened, "EmergencyAccessOpened").size(), 1u);
  EXPECT_TRUE(can_read(patient, doctor, kMentalHealth));
  ledger.must_call(patient, "endEmergencyAccess", {patient.address, doctor.address});
  EXPECT_FALSE(can_read(patient, doctor, kMentalHealth));
}

TEST_P(RelayerTest, RevertsComeBackAsNamedCustomErrors) {
  Party stranger = ledger.party();
  Party patient = ledger.registered_patient();
  auto unverified =
      ledger.call(stranger, "requestAccess",
                  {patient.address, word(kLab), word(kRead), word(3600), bytes32(random_hash())});
  ASSERT_FALSE(unverified.ok());
  EXPECT_EQ(unverified.error().code, Errc::kReverted);
  EXPECT_NE(unverified.error().message.find("NotVerifiedDoctor(" + to_hex(stranger.address)),
            std::string::npos)
      << unverified.error().message;
  auto not_admin = ledger.call(stranger, "setRegistrar", {stranger.address, true});
  ASSERT_FALSE(not_admin.ok());
  EXPECT_NE(not_admin.error().message.find("NotAdmin"), std::string::npos);
}

TEST_P(RelayerTest, TheSameMessageSignedByTwoAccountsIsTwoIntents) {
  Party registrar = ledger.registrar();
  Party first = ledger.verified_doctor(registrar);
  Party second = ledger.verified_doctor(registrar);
  Party patient = ledger.registered_patient();
  // A RequestAccess does not name its doctor (the signer is the doctor): two doctors asking for
  // the same terms at their first nonce, with the same deadline, sign the very same message.
  const json message{{"patient", address_text(patient)},
                     {"scope", kLab},
                     {"permissions", kRead},
                     {"duration", 3600},
                     {"reasonHash", to_hex(random_hash())},
                     {"nonce", "0"},
                     {"deadline", std::to_string(now() + 3600)}};
  const auto signed_by = [&](const Party& doctor) {
    return chain::sign_intent(ledger.medchain().abi(), ledger.domain(), "requestAccessBySig",
                              message, doctor.key)
        .value();
  };
  const chain::SignedIntent by_first = signed_by(first);
  const chain::SignedIntent by_second = signed_by(second);
  ASSERT_EQ(by_first.digest, by_second.digest);
  ASSERT_TRUE(ledger.relayer().relay(by_first).ok());
  auto relayed = ledger.relayer().relay(by_second);
  ASSERT_TRUE(relayed.ok()) << relayed.error().message;
  EXPECT_EQ(ledger.events(*relayed, "AccessRequested").size(), 1u);
  EXPECT_EQ(ledger.relayer().relay(by_second).error().code, Errc::kConflict);  // each one once
}

TEST_P(RelayerTest, AnIntentIsSubmittedOnceAndOnlyWhileValid) {
  Party patient = ledger.party(/*funded=*/false);
  const json message{{"patient", address_text(patient)}, {"encryptionKey", to_hex(random_hash())}};
  const chain::SignedIntent intent = ledger.intent(patient, "registerPatientBySig", message);
  ASSERT_TRUE(ledger.relayer().relay(intent).ok());
  auto again = ledger.relayer().relay(intent);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::kConflict);

  // Another relayer trying the same signature is stopped by the contract's nonce.
  chain::Relayer other(*ledger.admin().sender, ledger.medchain());
  auto replayed = other.relay(intent);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.error().code, Errc::kReverted);
  EXPECT_NE(replayed.error().message.find("InvalidAccountNonce"), std::string::npos)
      << replayed.error().message;

  // Past its deadline, and signed for another chain: refused, named.
  json policy{
      {"patient", address_text(patient)}, {"allowed", true}, {"maxWindow", 3600}, {"cooldown", 0}};
  chain::SignedIntent late = ledger.intent(patient, "setEmergencyPolicyBySig", policy);
  policy["nonce"] = "1";
  policy["deadline"] = std::to_string(now() - 1);
  late = chain::sign_intent(ledger.medchain().abi(), ledger.domain(), "setEmergencyPolicyBySig",
                            policy, patient.key)
             .value();
  auto expired = ledger.relayer().relay(late);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("IntentExpired"), std::string::npos);

  policy["deadline"] = std::to_string(now() + 3600);
  chain::IntentDomain foreign = ledger.domain();
  foreign.chain_id += 1;
  auto wrong_chain = chain::sign_intent(ledger.medchain().abi(), foreign, "setEmergencyPolicyBySig",
                                        policy, patient.key)
                         .value();
  auto refused = ledger.relayer().relay(wrong_chain);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kReverted);
  // The signature recovers to some other account, whose nonce does not match.
  EXPECT_NE(refused.error().message.find("InvalidAccountNonce"), std::string::npos)
      << refused.error().message;
  EXPECT_FALSE(ledger.view("patients", {patient.address})[1].flag());  // policy unchanged
}

TEST_P(RelayerTest, ABatchReportsEachEntry) {
  std::vector<Party> patients;
  std::vector<chain::SignedIntent> intents;
  for (int i = 0; i < 6; ++i) {
    patients.push_back(ledger.party(/*funded=*/false));
    const json message{{"patient", address_text(patients.back())},
                       {"encryptionKey", to_hex(random_hash())}};
    intents.push_back(ledger.intent(patients.back(), "registerPatientBySig", message));
  }
  // Entry 3 carries a zero key, which the contract refuses.
  const json bad{{"patient", address_text(patients[3])}, {"encryptionKey", to_hex(Hash32{})}};
  intents[3] = ledger.intent(patients[3], "registerPatientBySig", bad);
  chain::BatchOutcome outcome = ledger.relayer().relay_batch(intents).value();
  ASSERT_EQ(outcome.entries.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    const bool registered = ledger.view("patients", {patients[i].address})[0].flag();
    if (i == 3) {
      ASSERT_TRUE(outcome.entries[i].has_value());
      EXPECT_NE(outcome.entries[i]->message.find("InvalidKey"), std::string::npos);
      EXPECT_FALSE(registered);
    } else {
      EXPECT_FALSE(outcome.entries[i].has_value()) << outcome.entries[i]->message;
      EXPECT_TRUE(registered);
    }
  }
  EXPECT_EQ(ledger.relayer().relay_batch(intents).error().code, Errc::kConflict);
}

TEST_P(RelayerTest, AnAllGrantBatchGoesThroughRelayGrantBatch) {
  constexpr std::size_t kGrants = 20;
  Party registrar = ledger.registrar();
  Party patient = ledger.registered_patient();
  Party stranger = ledger.party(/*funded=*/false);
  std::vector<Party> doctors;
  std::vector<chain::SignedIntent> intents;
  const std::uint64_t expiry = now() + 86'400;
  for (std::size_t i = 0; i < kGrants; ++i) {
    doctors.push_back(ledger.verified_doctor(registrar));
    json grant{{"patient", address_text(patient)}, {"doctor", address_text(doctors.back())},
               {"scope", kLab}, {"permissions", kRead}, {"expiry", expiry}};
    // Entry 10 is signed by a stranger, neither patient nor guardian: it alone must fail, and
    // the patient's entries keep consecutive nonces around it.
    const bool bad = i == 10;
    const std::uint64_t offset = i < 10 ? i : i - 1;
    intents.push_back(bad ? ledger.intent(stranger, "grantAccessBySig", grant)
                          : ledger.intent(patient, "grantAccessBySig", grant, offset));
  }
  chain::BatchOutcome outcome = ledger.relayer().relay_batch(intents).value();
  ASSERT_EQ(outcome.entries.size(), kGrants);
  for (std::size_t i = 0; i < kGrants; ++i) {
    if (i == 10) {
      ASSERT_TRUE(outcome.entries[i].has_value());
      EXPECT_EQ(outcome.entries[i]->code, Errc::kReverted);
      EXPECT_FALSE(can_read(patient, doctors[i], 1));
    } else {
      EXPECT_FALSE(outcome.entries[i].has_value()) << outcome.entries[i]->message;
      EXPECT_TRUE(can_read(patient, doctors[i], 1));
    }
  }
  // relayBatch costs about 41,000 a grant; only relayGrantBatch comes in under 36,000.
  EXPECT_LT(outcome.receipt.gas_used / (kGrants - 1), 36'000u) << outcome.receipt.gas_used;
}

TEST_P(RelayerTest, ConcurrentSubmittersShareOneNonceSequence) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 4;
  std::vector<Party> patients;
  std::vector<chain::SignedIntent> intents;
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    patients.push_back(ledger.party(/*funded=*/false));
    const json message{{"patient", address_text(patients.back())},
                       {"encryptionKey", to_hex(random_hash())}};
    intents.push_back(ledger.intent(patients.back(), "registerPatientBySig", message));
  }
  const std::uint64_t nonce_before =
      ledger.client().transaction_count(ledger.admin().address).value();
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto relayed = ledger.relayer().relay(intents[t * kPerThread + i]);
        if (relayed.ok()) continue;
        std::lock_guard lock(mutex);
        failures.push_back(relayed.error().message);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  EXPECT_EQ(ledger.client().transaction_count(ledger.admin().address).value(),
            nonce_before + kThreads * kPerThread);
  for (const Party& patient : patients) {
    EXPECT_TRUE(ledger.view("patients", {patient.address})[0].flag());
  }
}

INSTANTIATE_TEST_SUITE_P(Chains, RelayerTest,
                         ::testing::Values(DevChainKind::kAnvil, DevChainKind::kGanache),
                         [](const auto& param_info) {
                           return param_info.param == DevChainKind::kAnvil ? "anvil" : "ganache";
                         });

}  // namespace
}  // namespace medchain::test
