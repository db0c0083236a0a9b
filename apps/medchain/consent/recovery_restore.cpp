// `medchain recovery restore` (docs/cli.md, "Lost-wallet recovery"; docs/format.md, "Recovery"):
// after an executed recovery of patient A, the new controller B gets A's old content keys back.
// The keys were sealed to A's lost key, so B asks A's escrow custodians, as A's controller, for
// each version's partials (sealed to A's key on chain, which B first rotates to its own), opens
// each content key, and stores it as A's copy sealed to that key. Rerunning skips what opens.
#include "consent/recovery_restore.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/encryption_key.hpp>

#include "client_context.hpp"
#include "records/record_actions.hpp"
#include "records/record_escrow.hpp"
#include "records/record_keys.hpp"

namespace medchain::cli {
namespace {

namespace format = medchain::records;
using client::json;

using eth::to_checksum;

// The patient the account restores: --patient, else the one the node says it controls.
Result<Address> restored_patient(ClientContext& context, const std::string& patient_text) {
  if (!patient_text.empty()) return parse_address_arg(patient_text, "--patient");
  MEDCHAIN_TRY(std::optional<Address> controlled, context.controlled_patient());
  if (!controlled) {
    MEDCHAIN_TRY(Address account, context.account());
    return Error{Errc::kPermissionDenied, to_checksum(account) +
                                              " controls no patient: a recovery must execute first "
                                              "(`medchain recovery execute`)"};
  }
  return *controlled;
}

// Makes the patient's key on chain the controller's: its own registered key if it has one, else
// the derivation a fresh registration would take. Rotates it (a direct transaction) when it is
// another, such as the lost one. Returns whether it rotated.
Result<bool> take_over_patient_key(ClientContext& context, const chain::Contract& medchain,
                                   const Address& patient) {
  MEDCHAIN_TRY(format::X25519PublicKey patient_key, context.key_on_chain(patient));
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  MEDCHAIN_TRY(format::Deployment deployment, context.deployment());
  // The controller's own key, or (with none) the patient's, which is what it falls back to.
  MEDCHAIN_TRY(format::X25519PublicKey registered, context.registered_key());
  format::X25519PublicKey wanted = registered;
  if (registered == patient_key || !format::find_derivation(key, deployment, registered)) {
    if (format::find_derivation(key, deployment, patient_key)) return false;
    wanted = format::derive_encryption_key(key, format::KeyDerivation::format2(deployment, 0))
                 .public_key;
  }
  if (wanted == patient_key) return false;
  const Bytes new_key(wanted.bytes.begin(), wanted.bytes.end());
  MEDCHAIN_TRY(chain::TransactionSender * sender, context.sender());
  MEDCHAIN_TRY(Bytes data, medchain.calldata("rotatePatientKey",
                                             {eth::abi::Value(patient), eth::abi::Value(new_key)}));
  MEDCHAIN_TRY(
      chain::Receipt receipt,
      sender->send({medchain.address(), std::move(data), 0, std::nullopt}, &medchain.abi()));
  MEDCHAIN_TRY_STATUS(context.wait_until_indexed(receipt.block_number));
  return true;
}

// Waits (up to the client's deadline each) until every custodian of the patient's escrow that
// answers has indexed the chain up to now: each decides from its own index whether the caller
// controls the patient and which key to seal to, and one that is behind would refuse, or seal to
// the key the controller just rotated away from. One that is down is left to the restore to
// name.
Status wait_for_custodians(client::NodeClient& node, const chain::Contract& medchain,
                           const Address& patient) {
  auto policy = records::published_escrow_policy(node, &medchain, patient);
  if (!policy.ok()) return {};  // no escrow: each version says so below
  MEDCHAIN_TRY(std::uint64_t head, medchain.client().block_number());
  for (const custody::CustodianEntry& custodian : policy->document.custodians) {
    auto custodian_node = client::NodeClient::connect(custodian.url);
    if (custodian_node.ok()) (void)custodian_node->wait_until_indexed(head);
  }
  return {};
}

struct Restored {
  std::size_t restored = 0;
  std::size_t already = 0;          // the patient's copy already opens with the controller's key
  json unrestored = json::array();  // {"recordId", "version", "reason"}
};

// Restores one version's key: kept when the patient's copy opens; else through the escrow,
// opened at the first version that needs it (`escrow` holds the reader or why there is none).
Status restore_version(records::Caller& caller, const chain::Contract& medchain,
                       const Address& patient, const format::KeyBinding& binding,
                       const format::X25519PublicKey& patient_key,
                       std::optional<Result<records::EscrowReader>>& escrow, Restored& counts) {
  auto own = records::own_key(caller, binding);
  if (own.ok()) {
    ++counts.already;
    return {};
  }
  if (own.error().code != Errc::kNotFound && own.error().code != Errc::kDecryptFailed) {
    return own.error();
  }
  if (!escrow) escrow.emplace(records::EscrowReader::open(caller, &medchain, patient));
  std::vector<std::string> skipped;
  auto key = escrow->ok() ? (*escrow)->content_key(binding, skipped)
                          : Result<format::ContentKey>(escrow->error());
  if (!key.ok()) {
    counts.unrestored.push_back({{"recordId", to_hex(binding.record_id)},
                                 {"version", binding.version},
                                 {"reason", key.error().message}});
    return {};
  }
  MEDCHAIN_TRY_STATUS(
      records::share_content_key(caller.node, binding, *key, {{patient, patient_key}}));
  ++counts.restored;
  return {};
}

Status restore(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address controller, context.account());
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  MEDCHAIN_TRY(Address patient, restored_patient(context, patient_text));
  MEDCHAIN_TRY(auto acting, medchain->call("controllerOf", {eth::abi::Value(patient)}));
  if (acting.at(0).address() != controller) {
    return Error{Errc::kPermissionDenied, to_checksum(controller) + " does not act as " +
                                              to_checksum(patient) +
                                              " on chain: no recovery of it to you executed"};
  }
  MEDCHAIN_TRY(bool rotated, take_over_patient_key(context, *medchain, patient));
  MEDCHAIN_TRY_STATUS(wait_for_custodians(*node, *medchain, patient));
  MEDCHAIN_TRY(format::EncryptionKeyPair mine, context.encryption_key());
  records::Caller caller{context, *node, controller, context.json(), false};
  MEDCHAIN_TRY(json listing, node->get("/v1/patients/" + to_checksum(patient) + "/records"));
  Restored counts;
  std::optional<Result<records::EscrowReader>> escrow;
  for (const json& record : listing.value("records", json::array())) {
    MEDCHAIN_TRY(Hash32 record_id, from_hex_fixed<Hash32>(record.value("recordId", "")));
    for (const json& version : record.value("versions", json::array())) {
      MEDCHAIN_TRY(format::KeyBinding binding, records::version_binding(record_id, version));
      MEDCHAIN_TRY_STATUS(
          restore_version(caller, *medchain, patient, binding, mine.public_key, escrow, counts));
    }
  }
  const json answer{{"patient", to_checksum(patient)},
                    {"controller", to_checksum(controller)},
                    {"keyRotated", rotated},
                    {"restored", counts.restored},
                    {"alreadyReadable", counts.already},
                    {"unrestored", counts.unrestored}};
  std::string text = "restored the keys of " + std::to_string(counts.restored) + " versions of " +
                     to_checksum(patient) + "'s records (" + std::to_string(counts.already) +
                     " already opened with your key)";
  for (const json& missed : counts.unrestored) {
    text += "\n  not restored: " + missed["recordId"].get<std::string>() + " v" +
            std::to_string(missed["version"].get<std::uint64_t>()) + ": " +
            missed["reason"].get<std::string>();
  }
  context.print(answer, text);
  if (!counts.unrestored.empty()) {
    return Error{Errc::kUnavailable,
                 std::to_string(counts.unrestored.size()) +
                     " versions were not restored (listed above); rerun "
                     "`medchain recovery restore` when their custodians answer"};
  }
  return {};
}

}  // namespace

void add_recovery_restore_command(CLI::App& recovery) {
  auto patient = std::make_shared<std::string>();
  auto* restore_cmd = recovery.add_subcommand(
      "restore",
      "As the new address after a recovery, get the patient's old record keys back through the "
      "emergency escrow's custodians");
  restore_cmd->add_option("--patient", *patient, "The patient (default: the one you control)");
  on_run(restore_cmd, [patient] { return restore(*patient); });
}

}  // namespace medchain::cli
