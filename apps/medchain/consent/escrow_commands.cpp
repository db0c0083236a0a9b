// The patient deals an emergency escrow over k of n custodians and a doctor with an open
// emergency window reads a version through it (docs/format.md, "Emergency escrow").
#include "consent/escrow_commands.hpp"

#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

#include "client_context.hpp"
#include "records/record_actions.hpp"
#include "records/record_escrow.hpp"
#include "records/record_keys.hpp"

namespace medchain::cli {
namespace {

namespace format = medchain::records;
using client::json;

struct SetOptions {
  std::vector<std::string> custodians;  // ADDRESS=URL
  std::uint8_t threshold = 0;
};

Result<custody::CustodianEntry> parse_custodian(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || equals + 1 == text.size()) {
    return Error{Errc::kInvalidArgument,
                 "--custodian takes ADDRESS=URL (the custodian's account and its node), not '" +
                     text + "'"};
  }
  custody::CustodianEntry entry;
  MEDCHAIN_TRY(entry.account, parse_address_arg(text.substr(0, equals), "--custodian"));
  entry.url = text.substr(equals + 1);
  return entry;
}

// The custodian's key as the chain holds it (custodianKeys), never the node's word.
Result<format::X25519PublicKey> custodian_key_on_chain(const chain::Contract& medchain,
                                                       const Address& custodian) {
  MEDCHAIN_TRY(auto answer, medchain.call("custodianKeys", {eth::abi::Value(custodian)}));
  const Bytes& word = answer.at(0).bytes();
  format::X25519PublicKey key;
  if (word.size() != key.bytes.size() || std::all_of(word.begin(), word.end(), [](auto b) {
        return b == 0;
      })) {
    return Error{Errc::kNotFound, eth::to_checksum(custodian) +
                                      " has no custodian key on chain (`medchain emergency "
                                      "custodian-key` sets one)"};
  }
  std::copy(word.begin(), word.end(), key.bytes.begin());
  return key;
}

// Publishes the policy at a custodian's node, once it has indexed the block that set the policy
// hash (each node indexes the chain on its own), and deposits its sealed share there.
Status deposit_share(const crypto::PrivateKey& patient_key,
                     const custody::CustodianEntry& custodian,
                     const records::PublishedPolicy& policy, std::uint64_t policy_block,
                     ByteView sealed_share) {
  MEDCHAIN_TRY(client::NodeClient node, client::NodeClient::connect(custodian.url));
  MEDCHAIN_TRY_STATUS(node.wait_until_indexed(policy_block));
  MEDCHAIN_TRY(client::SignedIn session, node.sign_in(patient_key));
  const std::string path = "/v1/patients/" + eth::to_checksum(policy.document.policy.patient);
  MEDCHAIN_TRY(json published, node.put(path + "/escrow-policy", {{"document", policy.text}}));
  MEDCHAIN_TRY(json deposited,
               node.put(path + "/escrow-share",
                        {{"policyHash", to_hex(policy.hash)}, {"sealedShare", to_hex(sealed_share)}}));
  (void)node.sign_out();
  return {};
}

struct Wrapped {
  std::size_t wrapped = 0;
  std::size_t without_key = 0;  // versions the patient holds no sealed key of
};

// Wraps the content key of every existing version of the patient's records to the new escrow,
// so records added before it are covered too.
Result<Wrapped> wrap_existing_versions(records::Caller& caller,
                                       const records::PublishedPolicy& policy) {
  // The plain listing: own_key reads each version's key itself, and every key served is audited.
  MEDCHAIN_TRY(json listing,
               caller.node.get("/v1/patients/" + eth::to_checksum(caller.account) + "/records"));
  Wrapped counts;
  for (const json& record : listing.value("records", json::array())) {
    MEDCHAIN_TRY(Hash32 record_id, from_hex_fixed<Hash32>(record.value("recordId", "")));
    for (const json& version : record.value("versions", json::array())) {
      MEDCHAIN_TRY(format::KeyBinding binding, records::version_binding(record_id, version));
      auto key = records::own_key(caller, binding);
      if (!key.ok()) {
        if (key.error().code != Errc::kNotFound) return key.error();
        ++counts.without_key;
        continue;
      }
      MEDCHAIN_TRY_STATUS(records::store_escrow_key(caller.node, policy, binding, *key));
      ++counts.wrapped;
    }
  }
  return counts;
}

Status set_escrow(const SetOptions& options) {
  std::vector<custody::CustodianEntry> custodians;
  for (const std::string& text : options.custodians) {
    MEDCHAIN_TRY(custody::CustodianEntry entry, parse_custodian(text));
    custodians.push_back(std::move(entry));
  }
  if (options.threshold < 1 || options.threshold > custodians.size()) {
    return Error{Errc::kInvalidArgument, "--threshold must be between 1 and the number of "
                                         "custodians (" + std::to_string(custodians.size()) + ")"};
  }
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  std::vector<format::X25519PublicKey> keys;
  for (custody::CustodianEntry& custodian : custodians) {
    MEDCHAIN_TRY(custodian.encryption_key, custodian_key_on_chain(*medchain, custodian.account));
    keys.push_back(custodian.encryption_key);
  }
  MEDCHAIN_TRY(format::EscrowDealing dealing,
               format::deal_escrow(patient, options.threshold, keys));
  records::PublishedPolicy policy;
  policy.document = {dealing.policy, custodians};
  policy.text = custody::policy_document_text(policy.document);
  policy.hash = custody::policy_hash(policy.text);

  // The chain first: every node checks a published document against it.
  MEDCHAIN_TRY(chain::TransactionSender * sender, context.sender());
  const Bytes word(policy.hash.bytes.begin(), policy.hash.bytes.end());
  MEDCHAIN_TRY(Bytes data, medchain->calldata("setEscrowPolicy", {eth::abi::Value(word)}));
  MEDCHAIN_TRY(
      chain::Receipt receipt,
      sender->send({medchain->address(), std::move(data), 0, std::nullopt}, &medchain->abi()));
  MEDCHAIN_TRY_STATUS(context.wait_until_indexed(receipt.block_number));
  const std::string retry = " (running `medchain emergency escrow set` again deals a new "
                            "escrow and is safe)";
  const std::string path = "/v1/patients/" + eth::to_checksum(patient);
  auto published = node->put(path + "/escrow-policy", {{"document", policy.text}});
  if (!published.ok()) {
    return Error{published.error().code,
                 "the policy is set on chain but your node refused it: " +
                     published.error().message + retry};
  }
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  for (std::size_t i = 0; i < custodians.size(); ++i) {
    const Status deposited =
        deposit_share(key, custodians[i], policy, receipt.block_number, dealing.sealed_shares[i]);
    if (!deposited.ok()) {
      return Error{deposited.error().code,
                   "the share of custodian " + std::to_string(i + 1) + " (" +
                       eth::to_checksum(custodians[i].account) + " at " + custodians[i].url +
                       ") was not deposited: " + deposited.error().message + retry};
    }
  }
  records::Caller caller{context, *node, patient, context.json(), false};
  auto wrapped = wrap_existing_versions(caller, policy);
  if (!wrapped.ok()) {
    return Error{wrapped.error().code, "the escrow is set, but wrapping the keys of your existing "
                                       "records failed: " +
                                           wrapped.error().message + retry};
  }
  json custodian_list = json::array();
  for (const custody::CustodianEntry& c : custodians) {
    custodian_list.push_back({{"account", eth::to_checksum(c.account)}, {"url", c.url}});
  }
  const json answer{{"patient", eth::to_checksum(patient)},
                    {"policyHash", to_hex(policy.hash)},
                    {"threshold", options.threshold},
                    {"custodians", custodian_list},
                    {"versionsWrapped", wrapped->wrapped},
                    {"versionsWithoutKey", wrapped->without_key},
                    {"transactionHash", to_hex(receipt.transaction_hash)},
                    {"blockNumber", receipt.block_number}};
  std::string text = "emergency escrow set: any " + std::to_string(options.threshold) + " of " +
                     std::to_string(custodians.size()) +
                     " custodians can open your records for a doctor with an open emergency "
                     "window; the keys of " +
                     std::to_string(wrapped->wrapped) + " existing versions are wrapped to it";
  if (wrapped->without_key > 0) {
    text += " (" + std::to_string(wrapped->without_key) +
            " versions hold no key of yours and are not covered)";
  }
  context.print(answer, text);
  return {};
}

Status show_escrow(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  if (!patient_text.empty()) {
    MEDCHAIN_TRY(patient, parse_address_arg(patient_text, "--patient"));
  }
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  MEDCHAIN_TRY(records::PublishedPolicy policy,
               records::published_escrow_policy(*node, medchain, patient));
  json custodians = json::array();
  std::string text = "emergency escrow of " + eth::to_checksum(patient) + ": any " +
                     std::to_string(policy.document.policy.threshold) + " of " +
                     std::to_string(policy.document.custodians.size()) + " custodians (" +
                     (medchain != nullptr ? "checked against the chain" : "the node's word") +
                     ")";
  for (const custody::CustodianEntry& c : policy.document.custodians) {
    custodians.push_back({{"account", eth::to_checksum(c.account)},
                          {"encryptionKey", to_hex(c.encryption_key)},
                          {"url", c.url}});
    text += "\n  " + eth::to_checksum(c.account) + "  " + c.url;
  }
  context.print({{"patient", eth::to_checksum(patient)},
                 {"policyHash", to_hex(policy.hash)},
                 {"threshold", policy.document.policy.threshold},
                 {"custodians", custodians},
                 {"chainChecked", medchain != nullptr}},
                text);
  return {};
}

Status emergency_read(records::GetOptions options) {
  options.through_escrow = true;
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address account, context.account());
  records::Caller caller{context, *node, account, context.json(), false};
  return records::get_record(caller, options);
}

}  // namespace

void add_escrow_commands(CLI::App& emergency) {
  auto* escrow = emergency.add_subcommand(
      "escrow", "As the patient, let k of n custodians open your records in an emergency");
  escrow->require_subcommand(1);

  auto set = std::make_shared<SetOptions>();
  auto* set_cmd = escrow->add_subcommand(
      "set", "Deal a new escrow, set it on chain (--rpc-url), deposit the custodians' shares");
  set_cmd
      ->add_option("--custodian", set->custodians,
                   "ADDRESS=URL: a custodian's account (with a custodian key on chain) and its node")
      ->required();
  set_cmd->add_option("--threshold", set->threshold, "How many custodians together open a key")
      ->required();
  on_run(set_cmd, [set] { return set_escrow(*set); });

  auto shown = std::make_shared<std::string>();
  auto* show_cmd = escrow->add_subcommand("show", "A patient's escrow policy");
  show_cmd->add_option("--patient", *shown, "The patient (default: you)");
  on_run(show_cmd, [shown] { return show_escrow(*shown); });

  auto read = std::make_shared<records::GetOptions>();
  auto* read_cmd = emergency.add_subcommand(
      "read", "As a doctor with an open emergency window, read a version through the escrow");
  read_cmd->add_option("record", read->record_id, "The record id")->required();
  read_cmd->add_option("--version", read->version, "The version (default: the newest)");
  read_cmd->add_option("--out", read->out, "Where to write it (\"-\": stdout)")->required();
  on_run(read_cmd, [read] { return emergency_read(*read); });
}

}  // namespace medchain::cli
