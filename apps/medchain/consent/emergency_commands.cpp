// `medchain emergency open | close | policy | list` (docs/cli.md, "Emergency access and
// guardians"), as signed intents relayed by the node. Guardians: consent/guardian_commands.cpp.
#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>

#include "account/doctor_names.hpp"
#include "client_context.hpp"
#include "consent/consent_args.hpp"
#include "consent/emergency_summary_commands.hpp"
#include "consent/escrow_commands.hpp"

namespace medchain::cli {
namespace {

using client::json;

std::string checksum(const Address& a) {
  return eth::to_checksum(a);
}

struct OpenOptions {
  std::string patient;
  std::string duration;
  std::uint16_t reason_code = 0;
};

Status open_emergency(const OpenOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, parse_address_arg(options.patient, "the patient"));
  MEDCHAIN_TRY(std::uint64_t duration, client::parse_duration(options.duration));
  MEDCHAIN_TRY(json answer,
               context.relay("openEmergencyAccessBySig", {{"patient", checksum(patient)},
                                                          {"duration", duration},
                                                          {"reasonCode", options.reason_code}}));
  context.print_relayed(answer, "opened emergency access to " + checksum(patient) + " for " +
                                    options.duration + " (the patient and guardians are told)");
  return {};
}

struct CloseOptions {
  std::string patient;  // default: you (the patient closing a doctor's window)
  std::string doctor;   // default: you (the doctor closing their own window)
};

Status close_emergency(const CloseOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(Address me, context.account());
  Address patient = me;
  Address doctor = me;
  if (!options.patient.empty()) {
    MEDCHAIN_TRY(patient, parse_address_arg(options.patient, "--patient"));
  }
  if (!options.doctor.empty()) {
    MEDCHAIN_TRY(doctor, parse_address_arg(options.doctor, "--doctor"));
  }
  if (patient == doctor) {
    return Error{Errc::kInvalidArgument,
                 "give --patient (as the doctor) or --doctor (as the patient)"};
  }
  MEDCHAIN_TRY(json answer,
               context.relay("endEmergencyAccessBySig",
                             {{"patient", checksum(patient)}, {"doctor", checksum(doctor)}}));
  context.print_relayed(
      answer, "closed the emergency access of " + checksum(doctor) + " to " + checksum(patient));
  return {};
}

struct PolicyOptions {
  bool allow = false;
  bool forbid = false;
  std::string max_window = "24h";
  std::string cooldown = "0";
};

Status set_policy(const PolicyOptions& options) {
  if (options.allow == options.forbid) {
    return Error{Errc::kInvalidArgument, "give one of --allow or --forbid"};
  }
  ClientContext context;
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(std::uint64_t window, client::parse_duration(options.max_window));
  if (window > 0xffffffffu) return Error{Errc::kOverflow, "--max-window is at most 136 years"};
  std::uint64_t cooldown = 0;  // "0": none (parse_duration refuses zero)
  if (options.cooldown != "0") {
    MEDCHAIN_TRY(cooldown, client::parse_duration(options.cooldown));
  }
  MEDCHAIN_TRY(json answer,
               context.relay("setEmergencyPolicyBySig", {{"patient", checksum(patient)},
                                                         {"allowed", options.allow},
                                                         {"maxWindow", options.allow ? window : 0},
                                                         {"cooldown", cooldown}}));
  context.print_relayed(answer, options.allow
                                    ? "emergency access allowed for at most " + options.max_window
                                    : "emergency access forbidden");
  return {};
}

// The patient named, or the signed-in account.
Result<Address> patient_or_me(ClientContext& context, const std::string& text) {
  if (!text.empty()) return parse_address_arg(text, "--patient");
  return context.account();
}

Status list_emergency(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, patient_or_me(context, patient_text));
  MEDCHAIN_TRY(json windows, node->get("/v1/patients/" + checksum(patient) + "/emergency"));
  MEDCHAIN_TRY(json record, node->get("/v1/patients/" + checksum(patient)));
  json out{{"policy", record.value("emergencyPolicy", json::object())},
           {"windows", windows.value("windows", json::array())}};
  name_doctors(context, out["windows"]);
  std::string text =
      out["policy"].value("allowed", false)
          ? "allowed, at most " + std::to_string(out["policy"].value("maxWindow", 0)) +
                " s, cooldown " + std::to_string(out["policy"].value("cooldown", 0)) + " s\n"
          : "forbidden\n";
  for (const json& window : out["windows"]) {
    text += doctor_label(window) + " until " +
            eth::format_rfc3339(window.value("until", std::int64_t{0})) +
            (window.value("open", false) ? " (open)" : " (closed)") + "\n";
  }
  context.print(out, text);
  return {};
}

// Makes an escrow custodian key in `out` (mode 0600, for medchaind --custodian-key) and sets
// its public half as the account's custodianKeys on chain: a direct call (--rpc-url), the
// account paying the gas. The file is written first, so a key on chain always has its secret.
Status make_custodian_key(const std::string& out) {
  ClientContext context;
  MEDCHAIN_TRY(Address account, context.account());
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  MEDCHAIN_TRY(chain::TransactionSender * sender, context.sender());
  MEDCHAIN_TRY(records::EncryptionKeyPair key, custody::create_custodian_key(out));
  const Bytes word(key.public_key.bytes.begin(), key.public_key.bytes.end());
  MEDCHAIN_TRY(Bytes data, medchain->calldata("setCustodianKey", {eth::abi::Value(word)}));
  MEDCHAIN_TRY(
      chain::Receipt receipt,
      sender->send({medchain->address(), std::move(data), 0, std::nullopt}, &medchain->abi()));
  const json answer{{"custodian", checksum(account)},
                    {"encryptionKey", to_hex(key.public_key)},
                    {"keyFile", out},
                    {"transactionHash", to_hex(receipt.transaction_hash)},
                    {"blockNumber", receipt.block_number}};
  context.print(answer, "custodian key of " + checksum(account) + " set on chain (" +
                            to_hex(key.public_key) + "); its secret is in " + out +
                            ": start medchaind with --custodian-key " + out);
  return {};
}

void add_emergency_commands(CLI::App& app) {
  auto* emergency = app.add_subcommand("emergency", "Break-glass access to a patient's records");
  emergency->require_subcommand(1);

  auto opened = std::make_shared<OpenOptions>();
  auto* open_cmd =
      emergency->add_subcommand("open", "As a verified doctor, open an emergency window");
  open_cmd->add_option("patient", opened->patient, "The patient's address")->required();
  open_cmd->add_option("--for", opened->duration, "How long, within the patient's policy (e.g. 2h)")
      ->required();
  open_cmd
      ->add_option("--reason-code", opened->reason_code,
                   "Why: 1 unconscious patient, 2 life-threatening condition, 3 patient cannot "
                   "communicate, 4 imminent risk to others, 5 other (docs/contracts.md)")
      ->required()
      ->check(CLI::Range(1, 5));
  on_run(open_cmd, [opened] { return open_emergency(*opened); });

  auto closed = std::make_shared<CloseOptions>();
  auto* close_cmd =
      emergency->add_subcommand("close", "End an emergency window (the doctor's or the patient's)");
  close_cmd->add_option("--patient", closed->patient, "As the doctor: whose window to end");
  close_cmd->add_option("--doctor", closed->doctor, "As the patient: whose window to end");
  on_run(close_cmd, [closed] { return close_emergency(*closed); });

  auto policy = std::make_shared<PolicyOptions>();
  auto* policy_cmd =
      emergency->add_subcommand("policy", "As the patient, allow or forbid emergency access");
  policy_cmd->add_flag("--allow", policy->allow, "Allow emergency windows");
  policy_cmd->add_flag("--forbid", policy->forbid, "Forbid them");
  policy_cmd->add_option("--max-window", policy->max_window, "The longest window allowed")
      ->capture_default_str();
  policy_cmd
      ->add_option("--cooldown", policy->cooldown,
                   "How long a doctor whose window ended waits before opening another")
      ->capture_default_str();
  on_run(policy_cmd, [policy] { return set_policy(*policy); });

  auto listed = std::make_shared<std::string>();
  auto* list_cmd =
      emergency->add_subcommand("list", "The policy and emergency windows of a patient");
  list_cmd->add_option("--patient", *listed, "The patient (default: you)");
  on_run(list_cmd, [listed] { return list_emergency(*listed); });

  auto key_file = std::make_shared<std::string>();
  auto* key_cmd = emergency->add_subcommand(
      "custodian-key",
      "Make an emergency escrow custodian key for medchaind and set it on chain (--rpc-url)");
  key_cmd
      ->add_option("--out", *key_file, "Where to write the secret (mode 0600; never overwritten)")
      ->required();
  on_run(key_cmd, [key_file] { return make_custodian_key(*key_file); });

  add_escrow_commands(*emergency);
  add_emergency_summary_commands(*emergency);
}

const bool kRegistered = register_top_level_group(&add_emergency_commands);

}  // namespace
}  // namespace medchain::cli
