// `medchain guardians add | remove | list | wards` (docs/cli.md, "Emergency access and guardians"):
// the patient appoints or removes a guardian with a signed intent relayed by the node. A guardian
// reads what the patient reads, so adding one also seals the content key of every existing
// version to the guardian's own encryption key; removing one is like a revoke: the node refuses
// their reads from then on and versions written afterwards are not sealed to them.
#include <iostream>
#include <medchain/eth/address.hpp>
#include <records/patient_names.hpp>
#include <records/record_keys.hpp>

#include "client_context.hpp"

namespace medchain::cli {
namespace {

using client::json;

std::string checksum(const Address& a) {
  return eth::to_checksum(a);
}

std::string versions_text(std::size_t n) {
  return std::to_string(n) + " record version" + (n == 1 ? "" : "s");
}

Status add_guardian(const std::string& guardian_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address guardian, parse_address_arg(guardian_text, "the guardian"));
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(json answer, context.relay("addGuardianBySig", {{"patient", checksum(patient)},
                                                               {"guardian", checksum(guardian)}}));
  // The relay waited for the node's index, which now names the guardian; the chain, with
  // --rpc-url, confirms it and the guardian's key before any key is sealed to them.
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(std::vector<medchain::records::EncryptionKeyPair> keys, context.decryption_keys());
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  auto shared = records::share_keys_with_guardian(*node, keys, patient, guardian, medchain);
  const bool keyless = !shared.ok() && shared.error().code == Errc::kNotFound;
  if (!shared.ok() && !keyless) {
    return Error{shared.error().code,
                 "added guardian " + checksum(guardian) +
                     ", but sharing the record keys failed: " + shared.error().message};
  }
  answer["guardian"] = checksum(guardian);
  answer["guardianHasKey"] = !keyless;
  answer["sharedKeys"] = keyless ? 0 : shared->shared;
  answer["chainChecked"] = medchain != nullptr;
  std::string text = "added guardian " + checksum(guardian);
  if (keyless) {
    std::cerr << "warning: guardian " << checksum(guardian)
              << " has registered no encryption key: no record key is sealed to them\n";
  } else {
    text += ", shared the keys of " + versions_text(shared->shared);
  }
  context.print_relayed(answer, text);
  if (!keyless && medchain == nullptr && !context.json()) {
    std::cerr << "note: the guardian's key was the node's word, unchecked: give --rpc-url to "
                 "check it against the chain\n";
  }
  return {};
}

Status remove_guardian(const std::string& guardian_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address guardian, parse_address_arg(guardian_text, "the guardian"));
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(json answer,
               context.relay("removeGuardianBySig",
                             {{"patient", checksum(patient)}, {"guardian", checksum(guardian)}}));
  answer["guardian"] = checksum(guardian);
  context.print_relayed(answer, "removed guardian " + checksum(guardian) +
                                    "; the node refuses their reads and new versions are not "
                                    "sealed to them");
  return {};
}

Status list_guardians(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  Address patient;
  if (patient_text.empty()) {
    MEDCHAIN_TRY(patient, context.account());
  } else {
    MEDCHAIN_TRY(patient, parse_address_arg(patient_text, "--patient"));
  }
  MEDCHAIN_TRY(json record, node->get("/v1/patients/" + checksum(patient)));
  const json guardians = record.value("guardians", json::array());
  std::string text;
  for (const json& guardian : guardians) text += guardian.get<std::string>() + "\n";
  context.print({{"patient", checksum(patient)}, {"guardians", guardians}},
                text.empty() ? "no guardians" : text);
  return {};
}

// The patients the caller is guardian of (the node's /v1/me, from its index of the chain), by
// name and birth date where the caller can read the ward's Patient record: a guardian is
// sealed the ward's keys, so they see the ward's details as the ward wrote them.
Status list_wards() {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(json me, node->get("/v1/me"));
  MEDCHAIN_TRY(Address account, context.account());
  json wards = json::array();
  for (const json& ward : me.value("guardianOf", json::array())) {
    wards.push_back({{"patient", ward}});
  }
  records::Caller caller{context, *node, account};
  records::PatientNames names(caller);
  names.name_patients(wards);
  std::string text;
  for (const json& ward : wards) text += records::patient_label(ward) + "\n";
  context.print({{"wards", wards}}, text.empty() ? "no wards" : text);
  return {};
}

void add_guardian_commands(CLI::App& app) {
  auto* guardians = app.add_subcommand(
      "guardians", "Who may manage a patient's consent and read their records with them");
  guardians->require_subcommand(1);

  auto added = std::make_shared<std::string>();
  auto* add_cmd = guardians->add_subcommand(
      "add", "As the patient, add a guardian and share the existing record keys with them");
  add_cmd->add_option("guardian", *added, "The guardian's address")->required();
  on_run(add_cmd, [added] { return add_guardian(*added); });

  auto removed = std::make_shared<std::string>();
  auto* remove_cmd = guardians->add_subcommand("remove", "As the patient, remove a guardian");
  remove_cmd->add_option("guardian", *removed, "The guardian's address")->required();
  on_run(remove_cmd, [removed] { return remove_guardian(*removed); });

  auto whose = std::make_shared<std::string>();
  auto* list_cmd = guardians->add_subcommand("list", "A patient's guardians");
  list_cmd->add_option("--patient", *whose, "The patient (default: you)");
  on_run(list_cmd, [whose] { return list_guardians(*whose); });

  auto* wards_cmd =
      guardians->add_subcommand("wards", "The patients you are guardian of, by name where known");
  on_run(wards_cmd, [] { return list_wards(); });
}

const bool kRegistered = register_top_level_group(&add_guardian_commands);

}  // namespace
}  // namespace medchain::cli
