#include "dev/demo_profiles.hpp"

#include <ctime>
#include <medchain/client/node_client.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/doctor_profile.hpp>

namespace medchain::cli {
namespace {

struct DemoProfile {
  const char* label;
  const char* name;
  const char* specialty;
  const char* institution;
};

constexpr DemoProfile kDemoProfiles[] = {
    {"doctor 1", "Dr. Alice Moreau", "Cardiology", "Saint-Louis Hospital"},
    {"doctor 2", "Dr. Bruno Okafor", "Radiology", "Lakeside Clinic"},
};

}  // namespace

Status publish_demo_profiles(const DevSystem& system, const std::string& node_url,
                             std::uint64_t provisioned) {
  const DemoAccount* registrar = nullptr;
  for (const DemoAccount& account : system.accounts) {
    if (account.label == "registrar") registrar = &account;
  }
  if (registrar == nullptr) return Error{Errc::kNotFound, "the demo has no registrar"};
  MEDCHAIN_TRY(client::NodeClient node, client::NodeClient::connect(node_url));
  MEDCHAIN_TRY_STATUS(node.wait_until_indexed(provisioned, std::chrono::seconds(60)));
  MEDCHAIN_TRY_STATUS(node.sign_in(registrar->key));
  const records::StatementDomain domain{system.deployment.chain_id, system.deployment.address};
  for (const DemoProfile& demo : kDemoProfiles) {
    for (const DemoAccount& account : system.accounts) {
      if (account.label != demo.label) continue;
      records::DoctorProfile profile{account.address, demo.name, demo.specialty, demo.institution,
                                     static_cast<std::uint64_t>(std::time(nullptr))};
      MEDCHAIN_TRY(Bytes signature, records::sign_profile(profile, domain, registrar->key));
      auto put = node.put("/v1/doctors/" + eth::to_checksum(account.address) + "/profile",
                          {{"name", profile.name},
                           {"specialty", profile.specialty},
                           {"institution", profile.institution},
                           {"issuedAt", profile.issued_at},
                           {"signature", to_hex(signature)}});
      if (!put.ok() && put.error().code != Errc::kConflict) return put.error();
    }
  }
  return node.sign_out();
}

}  // namespace medchain::cli
