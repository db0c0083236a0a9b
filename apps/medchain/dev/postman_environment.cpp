#include "dev/postman_environment.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <medchain/client/node_client.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<const DemoAccount*> demo_account(const DevSystem& system, std::string_view label) {
  const auto found = std::find_if(system.accounts.begin(), system.accounts.end(),
                                  [&](const DemoAccount& a) { return a.label == label; });
  if (found == system.accounts.end()) {
    return Error{Errc::kNotFound, "no demo account \"" + std::string(label) + "\""};
  }
  return &*found;
}

// Postman matches an imported environment to an earlier import by its id: one id per
// deployment, so re-importing after a restart replaces the old tokens rather than adding a copy.
std::string environment_id(const DevSystem& system) {
  const Hash32 digest = crypto::keccak256(system.deployment.address);
  std::string hex = to_hex(digest).substr(2, 32);
  for (std::size_t at : {8u, 13u, 18u, 23u}) hex.insert(at, "-");
  return hex;
}

json variable(std::string key, std::string value, bool secret = false) {
  return {{"key", std::move(key)},
          {"value", std::move(value)},
          {"type", secret ? "secret" : "default"},
          {"enabled", true}};
}

}  // namespace

Status write_postman_environment(const fs::path& data_dir, const std::string& node_url,
                                 const DevSystem& system) {
  MEDCHAIN_TRY(const DemoAccount* patient, demo_account(system, "patient 1"));
  MEDCHAIN_TRY(const DemoAccount* doctor, demo_account(system, "doctor 1"));
  MEDCHAIN_TRY(const DemoAccount* other_patient, demo_account(system, "patient 2"));
  MEDCHAIN_TRY(client::NodeClient node, client::NodeClient::connect(node_url));
  const auto token_of = [&node](const DemoAccount& account) -> Result<std::string> {
    MEDCHAIN_TRY(client::SignedIn session, node.sign_in(account.key));
    return session.token;
  };
  MEDCHAIN_TRY(std::string patient_token, token_of(*patient));
  MEDCHAIN_TRY(std::string logout_token, token_of(*patient));
  MEDCHAIN_TRY(std::string doctor_token, token_of(*doctor));
  MEDCHAIN_TRY(std::string other_patient_token, token_of(*other_patient));
  // An address nobody registered: a key made for this file and thrown away.
  const Address stranger = crypto::address_of(crypto::generate_private_key());

  const json environment{{"id", environment_id(system)},
                         {"name", "medchain dev"},
                         {"values",
                          {variable("baseUrl", node_url),
                           variable("chainId", std::to_string(system.deployment.chain_id)),
                           variable("nodeId", to_hex(system.node_id)),
                           variable("patient", eth::to_checksum(patient->address)),
                           variable("patientToken", patient_token, /*secret=*/true),
                           variable("encryptionKey", to_hex(patient->encryption_key)),
                           variable("doctor", eth::to_checksum(doctor->address)),
                           variable("doctorToken", doctor_token, /*secret=*/true),
                           variable("otherPatient", eth::to_checksum(other_patient->address)),
                           variable("otherPatientToken", other_patient_token, /*secret=*/true),
                           variable("logoutToken", logout_token, /*secret=*/true),
                           variable("stranger", eth::to_checksum(stranger))}},
                         {"_postman_variable_scope", "environment"}};
  const fs::path path = data_dir / kPostmanEnvironmentFile;
  std::ofstream file(path, std::ios::trunc);
  file << environment.dump(2) << "\n";
  file.close();
  if (!file) return Error{Errc::kIo, "cannot write " + path.string()};
  ::chmod(path.c_str(), 0600);
  return {};
}

}  // namespace medchain::cli
