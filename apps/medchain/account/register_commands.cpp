// `medchain register patient | doctor` and `medchain registrar verify | suspend | reinstate`
// (docs/cli.md, "Registration"). A patient registers with a relayed signed intent. A doctor
// cannot register themself: the contract lets only a registrar verify a doctor, so
// `register doctor` prints what the registrar needs, and the registrar's commands are direct
// calls (verifyDoctor, suspendDoctor, reinstateDoctor have no *BySig variants) sent from the
// registrar's own account over --rpc-url.
#include <ctime>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/doctor_profile.hpp>
#include <medchain/records/salted_text.hpp>

#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

// A licence goes on chain as keccak256(salt ‖ licence) (docs/format.md, "Reasons and licences"):
// the salt keeps a licence number from being found by hashing guesses, and whoever holds it can
// show that the hash names this licence.
struct LicenseOptions {
  std::string license;       // the license as text
  std::string license_salt;  // its 32-byte salt: new for `register doctor` unless given
  std::string license_hash;  // or the hash itself
};

Result<medchain::records::SaltedText> salted_license(const LicenseOptions& options,
                                                     bool new_salt_allowed) {
  if (options.license_salt.empty()) {
    if (!new_salt_allowed) {
      return Error{Errc::kInvalidArgument,
                   "give --license-salt with --license (the salt `medchain register doctor` "
                   "printed): the chain holds keccak256(salt ‖ license)"};
    }
    return medchain::records::salt_text(options.license);
  }
  auto salt = from_hex_fixed<medchain::records::Salt>(options.license_salt);
  if (!salt) return Error{Errc::kInvalidArgument, "--license-salt is not 32 bytes of hex"};
  return medchain::records::SaltedText{*salt, options.license};
}

// The hash, and the salt when the license was given as text.
struct License {
  Hash32 hash;
  std::optional<medchain::records::Salt> salt;
};

Result<License> license_of(const LicenseOptions& options, bool new_salt_allowed) {
  if (options.license.empty() == options.license_hash.empty()) {
    return Error{Errc::kInvalidArgument, "give one of --license or --license-hash"};
  }
  if (!options.license.empty()) {
    MEDCHAIN_TRY(medchain::records::SaltedText salted, salted_license(options, new_salt_allowed));
    return License{medchain::records::salted_hash(salted), salted.salt};
  }
  if (!options.license_salt.empty()) {
    return Error{Errc::kInvalidArgument, "--license-salt goes with --license, not --license-hash"};
  }
  auto hash = from_hex_fixed<Hash32>(options.license_hash);
  if (!hash) return Error{Errc::kInvalidArgument, "--license-hash is not 32 bytes of hex"};
  return License{*hash, std::nullopt};
}

std::string mined_text(const client::json& answer) {
  return "transaction " + answer.value("transactionHash", std::string()) + " in block " +
         std::to_string(answer.value("blockNumber", std::uint64_t{0}));
}

// The key a new registration uses: format 2, generation 0, bound to the node's deployment as
// this home trusts it (docs/format.md, "Encryption key").
Result<medchain::records::EncryptionKeyPair> new_encryption_key(ClientContext& context) {
  MEDCHAIN_TRY(medchain::records::Deployment deployment, context.deployment());
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  return medchain::records::derive_encryption_key(
      key, medchain::records::KeyDerivation::format2(deployment, 0));
}

Status register_patient() {
  ClientContext context;
  MEDCHAIN_TRY(Address account, context.account());
  MEDCHAIN_TRY(medchain::records::EncryptionKeyPair keys, new_encryption_key(context));
  MEDCHAIN_TRY(client::json answer,
               context.relay("registerPatientBySig", {{"patient", eth::to_checksum(account)},
                                                      {"encryptionKey", to_hex(keys.public_key)}}));
  answer["patient"] = eth::to_checksum(account);
  answer["encryptionKey"] = to_hex(keys.public_key);
  context.print(
      answer, "registered patient " + eth::to_checksum(account) + " (" + mined_text(answer) + ")");
  return {};
}

Status register_doctor(const LicenseOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(Address account, context.account());
  MEDCHAIN_TRY(License license, license_of(options, /*new_salt_allowed=*/true));
  MEDCHAIN_TRY(medchain::records::EncryptionKeyPair keys, new_encryption_key(context));
  client::json request{{"address", eth::to_checksum(account)},
                       {"licenseHash", to_hex(license.hash)},
                       {"encryptionKey", to_hex(keys.public_key)}};
  std::string keep;
  if (license.salt) {
    request["licenseSalt"] = to_hex(*license.salt);
    keep = "Keep the license salt " + to_hex(*license.salt) +
           ": with it you (and whoever you show it to) can prove which license the hash names.\n";
  }
  context.print(
      request, keep +
                   "Send this to a registrar, who verifies you with\n  medchain registrar verify " +
                   eth::to_checksum(account) + " --license-hash " + to_hex(license.hash) +
                   " --encryption-key " + to_hex(keys.public_key) + "\n" + request.dump());
  return {};
}

// Calls `function_name` on the contract from the account (a registrar) and waits until the
// node has indexed it, so the next command sees the doctor's new status.
Status registrar_call(ClientContext& context, std::string_view function_name,
                      const std::vector<eth::abi::Value>& args, const std::string& done) {
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  MEDCHAIN_TRY(chain::TransactionSender * sender, context.sender());
  MEDCHAIN_TRY(Bytes data, medchain->calldata(function_name, args));
  MEDCHAIN_TRY(
      chain::Receipt receipt,
      sender->send({medchain->address(), std::move(data), 0, std::nullopt}, &medchain->abi()));
  MEDCHAIN_TRY_STATUS(context.wait_until_indexed(receipt.block_number));
  const client::json answer{{"transactionHash", to_hex(receipt.transaction_hash)},
                            {"blockNumber", receipt.block_number}};
  context.print(answer, done + " (" + mined_text(answer) + ")");
  return {};
}

// Signs the doctor's profile with the account's key (a registrar's, or the node refuses it) and
// publishes it with PUT /v1/doctors/{address}/profile (docs/format.md, "Doctor profiles").
Status publish_profile(const std::string& doctor_text, records::DoctorProfile profile) {
  ClientContext context;
  MEDCHAIN_TRY(profile.doctor, parse_address_arg(doctor_text, "the doctor"));
  if (profile.issued_at == 0) profile.issued_at = static_cast<std::uint64_t>(std::time(nullptr));
  MEDCHAIN_TRY_STATUS(records::check_profile_fields(profile));
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(records::Deployment deployment, context.deployment());
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  MEDCHAIN_TRY(Bytes signature,
               records::sign_profile(profile, {deployment.chain_id, deployment.contract}, key));
  const std::string doctor = eth::to_checksum(profile.doctor);
  MEDCHAIN_TRY(client::json answer, node->put("/v1/doctors/" + doctor + "/profile",
                                              {{"name", profile.name},
                                               {"specialty", profile.specialty},
                                               {"institution", profile.institution},
                                               {"issuedAt", profile.issued_at},
                                               {"signature", to_hex(signature)}}));
  context.print(answer, "attested " + doctor + " as " + profile.name);
  return {};
}

eth::abi::Value word(const Hash32& hash) {
  return eth::abi::Value(Bytes(hash.bytes.begin(), hash.bytes.end()));
}

void add_register_commands(CLI::App& app) {
  auto* reg = app.add_subcommand("register", "Register the account as a patient or a doctor");
  reg->require_subcommand(1);
  on_run(reg->add_subcommand("patient", "Register as a patient, with your derived encryption key"),
         register_patient);
  auto doctor_license = std::make_shared<LicenseOptions>();
  auto* doctor_cmd = reg->add_subcommand(
      "doctor", "Print what a registrar needs to verify you as a doctor (as JSON)");
  doctor_cmd->add_option("--license", doctor_license->license,
                         "Your license, as text (only a salted hash goes on chain)");
  doctor_cmd->add_option("--license-salt", doctor_license->license_salt,
                         "The license's 32-byte salt (a new one when not given)");
  doctor_cmd->add_option("--license-hash", doctor_license->license_hash, "Or its 32-byte hash");
  on_run(doctor_cmd, [doctor_license] { return register_doctor(*doctor_license); });

  auto* registrar =
      app.add_subcommand("registrar", "A registrar's direct calls (need --rpc-url and gas)");
  registrar->require_subcommand(1);

  struct VerifyOptions {
    std::string doctor;
    LicenseOptions license;
    std::string encryption_key;
  };
  auto verify = std::make_shared<VerifyOptions>();
  auto* verify_cmd = registrar->add_subcommand("verify", "Verify a doctor (verifyDoctor)");
  verify_cmd->add_option("doctor", verify->doctor, "The doctor's address")->required();
  verify_cmd->add_option("--license", verify->license.license, "The doctor's license, as text");
  verify_cmd->add_option("--license-salt", verify->license.license_salt,
                         "Its salt, from `medchain register doctor`");
  verify_cmd->add_option("--license-hash", verify->license.license_hash, "Or its 32-byte hash");
  verify_cmd
      ->add_option("--encryption-key", verify->encryption_key,
                   "The doctor's X25519 key (from `medchain register doctor`)")
      ->required();
  on_run(verify_cmd, [verify]() -> Status {
    ClientContext context;
    MEDCHAIN_TRY(Address doctor, parse_address_arg(verify->doctor, "the doctor"));
    MEDCHAIN_TRY(License license, license_of(verify->license, /*new_salt_allowed=*/false));
    auto key = from_hex_fixed<Hash32>(verify->encryption_key);
    if (!key) return Error{Errc::kInvalidArgument, "--encryption-key is not 32 bytes of hex"};
    return registrar_call(context, "verifyDoctor", {doctor, word(license.hash), word(*key)},
                          "verified doctor " + eth::to_checksum(doctor));
  });

  struct ProfileOptions {
    std::string doctor;
    records::DoctorProfile profile;
  };
  auto profile = std::make_shared<ProfileOptions>();
  auto* profile_cmd = registrar->add_subcommand(
      "profile", "Attest a doctor's name, specialty and institution (signed, kept by the node)");
  profile_cmd->add_option("doctor", profile->doctor, "The doctor's address")->required();
  profile_cmd->add_option("--name", profile->profile.name, "As patients should see it")->required();
  profile_cmd->add_option("--specialty", profile->profile.specialty, "e.g. Cardiology");
  profile_cmd->add_option("--institution", profile->profile.institution, "e.g. the hospital");
  profile_cmd->add_option("--issued-at", profile->profile.issued_at,
                          "Unix seconds (default now); the node keeps the newest");
  on_run(profile_cmd, [profile] { return publish_profile(profile->doctor, profile->profile); });

  for (const auto& [name, function, done] :
       {std::tuple{"suspend", "suspendDoctor", "suspended doctor "},
        std::tuple{"reinstate", "reinstateDoctor", "reinstated doctor "}}) {
    auto target = std::make_shared<std::string>();
    auto* cmd = registrar->add_subcommand(name, std::string("A doctor: ") + function);
    cmd->add_option("doctor", *target, "The doctor's address")->required();
    on_run(cmd, [target, function = std::string(function), done = std::string(done)]() -> Status {
      ClientContext context;
      MEDCHAIN_TRY(Address doctor, parse_address_arg(*target, "the doctor"));
      return registrar_call(context, function, {doctor}, done + eth::to_checksum(doctor));
    });
  }
}

const bool kRegistered = register_top_level_group(&add_register_commands);

}  // namespace
}  // namespace medchain::cli
