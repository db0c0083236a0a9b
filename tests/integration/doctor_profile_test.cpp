// Doctor profiles through medchaind (docs/format.md, "Doctor profiles"): the node keeps a
// profile only when the chain's registrar signed it for a registered doctor, keeps the newest,
// audits every attempt, lists it beside the doctor, and refuses the rest with problem+json.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/doctor_profile.hpp>

#include "support/node.hpp"

namespace medchain::test {
namespace {

using nlohmann::json;

class DoctorProfileApiTest : public ::testing::Test {
 protected:
  DoctorProfileApiTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.registered_patient(/*funded=*/false);
    node_ = std::make_unique<Node>(ledger_);
  }

  records::StatementDomain domain() const {
    return {ledger_.chain_id(), ledger_.deployment().address};
  }
  records::DoctorProfile profile(std::uint64_t issued_at) const {
    return {doctor_.address, "Dr. Alice Moreau", "Cardiology", "H\xC3\xB4pital Saint-Louis",
            issued_at};
  }
  json body(const records::DoctorProfile& p, const crypto::PrivateKey& key) const {
    return {{"name", p.name},
            {"specialty", p.specialty},
            {"institution", p.institution},
            {"issuedAt", p.issued_at},
            {"signature", to_hex(records::sign_profile(p, domain(), key).value())}};
  }
  Reply put(const Address& doctor, const json& b, const std::string& token) {
    return node_->send("PUT", "/v1/doctors/" + eth::to_checksum(doctor) + "/profile", b.dump(),
                       token);
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_;
  std::unique_ptr<Node> node_;
};

TEST_F(DoctorProfileApiTest, TheRegistrarsNewestProfileIsKeptAndListed) {
  const std::string token = node_->token_for(registrar_);
  const std::string path = "/v1/doctors/" + eth::to_checksum(doctor_.address) + "/profile";
  EXPECT_EQ(node_->get(path, token).status, 404);
  const std::uint64_t now = static_cast<std::uint64_t>(std::time(nullptr));
  const Reply stored = put(doctor_.address, body(profile(now - 10), registrar_.key), token);
  ASSERT_EQ(stored.status, 200) << stored.body.dump();
  EXPECT_EQ(stored.body["signer"], eth::to_checksum(registrar_.address));

  const Reply served = node_->get(path, node_->token_for(patient_));
  ASSERT_EQ(served.status, 200) << served.body.dump();
  EXPECT_EQ(served.body["name"], "Dr. Alice Moreau");
  EXPECT_EQ(served.body["institution"], "H\xC3\xB4pital Saint-Louis");
  EXPECT_EQ(served.body["issuedAt"], now - 10);
  // What a client checks: the served signature recovers to the registrar.
  const records::DoctorProfile served_profile{doctor_.address, served.body["name"],
                                              served.body["specialty"], served.body["institution"],
                                              served.body["issuedAt"]};
  EXPECT_EQ(records::profile_signer(served_profile, domain(),
                                    from_hex(served.body["signature"].get<std::string>()).value())
                .value(),
            registrar_.address);

  // Stale: an older or equal issuedAt does not replace it.
  const Reply stale = put(doctor_.address, body(profile(now - 20), registrar_.key), token);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["code"], "stale_profile");
  EXPECT_EQ(stale.content_type, "application/problem+json");
  records::DoctorProfile renamed = profile(now);
  renamed.specialty = "Interventional cardiology";
  ASSERT_EQ(put(doctor_.address, body(renamed, registrar_.key), token).status, 200);

  const Reply doctors = node_->get("/v1/doctors", token);
  ASSERT_EQ(doctors.status, 200);
  bool listed = false;
  for (const json& row : doctors.body["doctors"]) {
    if (row["address"] != eth::to_checksum(doctor_.address)) continue;
    listed = true;
    EXPECT_EQ(row["profile"]["specialty"], "Interventional cardiology");
  }
  EXPECT_TRUE(listed);

  // Audited as the caller's own action.
  const Reply audit = node_->get("/v1/audit", token);
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  int allowed = 0, refused = 0;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] != "doctor.profile") continue;
    (entry["allowed"].get<bool>() ? allowed : refused) += 1;
  }
  EXPECT_EQ(allowed, 2);
  EXPECT_EQ(refused, 1);  // the stale one
}

TEST_F(DoctorProfileApiTest, EveryBadProfileIsRefusedWithAProblem) {
  const std::string token = node_->token_for(patient_);
  const std::uint64_t now = static_cast<std::uint64_t>(std::time(nullptr));
  const auto expect_problem = [&](const Reply& reply, int status, const char* code,
                                  const char* what) {
    EXPECT_EQ(reply.status, status) << what << ": " << reply.body.dump();
    EXPECT_EQ(reply.body["code"], code) << what;
    EXPECT_EQ(reply.content_type, "application/problem+json") << what;
  };
  // A node or anyone else forging a profile: signed by a key that is not a registrar's.
  expect_problem(put(doctor_.address, body(profile(now), doctor_.key), token), 400,
                 "invalid_signature", "signed by the doctor");
  expect_problem(put(doctor_.address, body(profile(now), patient_.key), token), 400,
                 "invalid_signature", "signed by a patient");
  // The registrar's signature over another doctor's profile does not move to this one.
  records::DoctorProfile elsewhere = profile(now);
  elsewhere.doctor = patient_.address;
  json moved = body(elsewhere, registrar_.key);
  expect_problem(put(doctor_.address, moved, token), 400, "invalid_signature", "moved");
  // The registrar, but not a doctor.
  expect_problem(put(patient_.address, body(elsewhere, registrar_.key), token), 404, "not_found",
                 "not a doctor");
  expect_problem(node_->send("PUT", "/v1/doctors/0x1234/profile",
                             body(profile(now), registrar_.key).dump(), token),
                 400, "invalid_argument", "bad address");
  records::DoctorProfile oversize = profile(now);
  oversize.name = std::string(records::kMaxProfileField + 1, 'a');
  json too_long = body(profile(now), registrar_.key);
  too_long["name"] = oversize.name;
  expect_problem(put(doctor_.address, too_long, token), 400, "invalid_argument", "oversize");
  json no_date = body(profile(now), registrar_.key);
  no_date.erase("issuedAt");
  expect_problem(put(doctor_.address, no_date, token), 400, "invalid_argument", "no issuedAt");
  json short_signature = body(profile(now), registrar_.key);
  short_signature["signature"] = "0x1234";
  expect_problem(put(doctor_.address, short_signature, token), 400, "invalid_signature",
                 "short signature");
  expect_problem(put(doctor_.address, body(profile(now + 86400), registrar_.key), token), 400,
                 "invalid_argument", "from the future");
  EXPECT_EQ(put(doctor_.address, body(profile(now), registrar_.key), "").status, 401);
  EXPECT_EQ(
      node_->get("/v1/doctors/" + eth::to_checksum(doctor_.address) + "/profile", token).status,
      404);  // nothing was kept
}

}  // namespace
}  // namespace medchain::test
