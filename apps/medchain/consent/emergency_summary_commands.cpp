// The patient keeps an emergency summary (an IPS document) as the record whose id derives from
// their address, a new version per change; the patient, a doctor the summary was shared with, or
// a doctor with an open emergency window (through the escrow) reads the newest version the
// patient or a guardian wrote (docs/format.md, "Emergency summary").
#include "consent/emergency_summary_commands.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/emergency_summary.hpp>
#include <medchain/records/fhir.hpp>
#include <medchain/records/fhir_summary.hpp>
#include <sstream>

#include "client_context.hpp"
#include "records/chain_checks.hpp"
#include "records/record_actions.hpp"
#include "records/record_content.hpp"
#include "records/record_escrow.hpp"
#include "records/record_io.hpp"
#include "records/record_keys.hpp"
#include "records/temp_files.hpp"

namespace medchain::cli {
namespace {

namespace format = medchain::records;
namespace emergency = medchain::records::emergency;
using client::json;

struct SetOptions {
  std::string file;
  emergency::Facts facts;
};

json facts_json(const emergency::Facts& facts) {
  return {{"allergies", facts.allergies},
          {"medications", facts.medications},
          {"conditions", facts.conditions},
          {"bloodType", facts.blood_type}};
}

std::string facts_text(const emergency::Facts& facts) {
  const auto joined = [](const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : "; ") + item;
    return text.empty() ? std::string("none stated") : text;
  };
  return "  blood type:  " + (facts.blood_type.empty() ? "not stated" : facts.blood_type) +
         "\n  allergies:   " + joined(facts.allergies) +
         "\n  medications: " + joined(facts.medications) +
         "\n  conditions:  " + joined(facts.conditions) + "\n";
}

// The Bundle to store: the file's, checked as an IPS document, or one built from the facts.
Result<json> bundle_to_store(const SetOptions& options, const Address& patient) {
  const emergency::Facts& facts = options.facts;
  const bool stated = !facts.allergies.empty() || !facts.medications.empty() ||
                      !facts.conditions.empty() || !facts.blood_type.empty();
  if (!options.file.empty() && stated) {
    return Error{Errc::kInvalidArgument,
                 "give --file or --allergy/--medication/--condition/--blood-type, not both"};
  }
  if (!options.file.empty()) {
    MEDCHAIN_TRY(std::string text, read_input(options.file));
    auto bundle = emergency::parse_bundle(text);
    if (!bundle.ok()) {
      return Error{bundle.error().code, options.file + ": " + bundle.error().message};
    }
    return *bundle;
  }
  if (!stated) {
    return Error{Errc::kInvalidArgument,
                 "give --file BUNDLE.json, or at least one of --allergy, --medication, "
                 "--condition, --blood-type"};
  }
  MEDCHAIN_TRY_STATUS(emergency::check_facts(facts));
  return emergency::make_bundle(patient, facts, eth::format_rfc3339(std::time(nullptr)));
}

// The record version that holds `bundle`: a file record whose DocumentReference describes the
// Bundle's JSON, in the general category (an emergency window covers every category).
Result<records::NewContent> summary_content(const json& bundle, const records::TempFile& file) {
  const std::string text = bundle.dump();
  {
    std::ofstream out(file.path(), std::ios::binary);
    out << text;
    if (!out.good()) return Error{Errc::kIo, "cannot write " + file.path().string()};
  }
  records::NewContent content;
  const format::Attachment attachment{emergency::kContentType, text.size(), emergency::kTitle};
  content.record.manifest = {emergency::document_reference(text.size()), attachment};
  content.record.attachment_file = file.path();
  MEDCHAIN_TRY_STATUS(format::fhir::validate_manifest(content.record.manifest));
  content.category = *format::parse_category("general");
  content.summary = format::summary_of_resource(content.record.manifest.resource, attachment);
  content.summary.title = emergency::kTitle;
  content.summary.date = bundle.value("timestamp", "");
  if (!format::encode_summary(content.summary).ok()) content.summary.date.clear();
  return content;
}

Status set_summary(const SetOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(json bundle, bundle_to_store(options, patient));
  records::TempFile file(std::filesystem::temp_directory_path() /
                         (".medchain-summary-" + records::random_name_tag()));
  MEDCHAIN_TRY(records::NewContent content, summary_content(bundle, file));
  records::Caller caller{context, *node, patient, context.json(), false};
  const Hash32 record_id = emergency::record_id(patient);
  auto existing = node->get("/v1/records/" + to_hex(record_id));
  if (!existing.ok() && existing.error().code != Errc::kNotFound) return existing.error();
  MEDCHAIN_TRY(json written,
               existing.ok() ? records::append_version(caller, *existing, content)
                             : records::add_record_with_id(caller, patient, record_id, content));
  const emergency::Facts facts = emergency::facts_of(bundle);
  written["facts"] = facts_json(facts);
  context.print(written, "emergency summary v" + std::to_string(written.value("version", 0)) +
                             " stored (record " + to_hex(record_id) +
                             (written.value("escrowed", false)
                                  ? ", escrowed"
                                  : ", not escrowed: no emergency escrow is set") +
                             ")\n" + facts_text(facts));
  return {};
}

// The newest version the patient or one of the patient's guardians wrote, as the node lists it:
// a doctor with append permission can add a version to any record of the patient, and must not
// be the one who says what the patient is allergic to.
Result<json> newest_own_version(client::NodeClient& node, const json& record,
                                const Address& patient) {
  MEDCHAIN_TRY(json patient_row, node.get("/v1/patients/" + eth::to_checksum(patient)));
  const json& versions = record["versions"];
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    auto author = eth::parse_address(it->value("author", ""));
    if (!author) continue;
    if (*author == patient) return *it;
    for (const json& guardian : patient_row.value("guardians", json::array())) {
      if (!guardian.is_string()) continue;
      auto listed = eth::parse_address(guardian.get<std::string>());
      if (listed && *listed == *author) return *it;
    }
  }
  return Error{Errc::kNotFound,
               "no version of the emergency summary was written by the patient "
               "or a guardian"};
}

Status show_summary(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address me, context.account());
  Address patient = me;
  if (!patient_text.empty()) {
    MEDCHAIN_TRY(patient, parse_address_arg(patient_text, "--patient"));
  }
  const Hash32 record_id = emergency::record_id(patient);
  auto record = node->get("/v1/records/" + to_hex(record_id));
  if (!record.ok() && record.error().code == Errc::kNotFound) {
    return Error{Errc::kNotFound, eth::to_checksum(patient) + " has no emergency summary"};
  }
  if (!record.ok()) return record.error();
  if (!record->contains("versions") || !(*record)["versions"].is_array()) {
    return Error{Errc::kProtocol, "the node listed the emergency summary without its versions"};
  }
  MEDCHAIN_TRY(json version, newest_own_version(*node, *record, patient));
  MEDCHAIN_TRY(format::KeyBinding binding, records::version_binding(record_id, version));
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  if (medchain != nullptr) {
    MEDCHAIN_TRY_STATUS(records::check_version_on_chain(*medchain, binding, version));
  }
  records::Caller caller{context, *node, me, context.json(), false};
  bool through_escrow = false;
  std::vector<std::string> skipped;
  auto key = records::own_key(caller, binding);
  if (!key.ok() && key.error().code == Errc::kNotFound && me != patient) {
    // No key was sealed to this doctor: an emergency window opens it through the escrow.
    through_escrow = true;
    key = records::content_key_through_escrow(caller, medchain, patient, binding, skipped);
  }
  for (const std::string& custodian : skipped) std::cerr << "warning: " << custodian << "\n";
  if (!key.ok()) return key.error();
  records::TempFile file(std::filesystem::temp_directory_path() /
                         (".medchain-summary-" + records::random_name_tag()));
  MEDCHAIN_TRY(
      format::Manifest manifest,
      records::download_and_decrypt(*node, binding.digest, *key, file.path().string(), false));
  if (!manifest.attachment || manifest.attachment->content_type != emergency::kContentType) {
    return Error{Errc::kInvalidResource,
                 "the emergency summary's version does not hold an IPS document"};
  }
  MEDCHAIN_TRY(std::string text, read_input(file.path().string()));
  auto parsed = emergency::parse_bundle(text);
  if (!parsed.ok()) {
    return Error{Errc::kCheckFailed,
                 "the stored emergency summary does not check out: " + parsed.error().message};
  }
  const json& bundle = *parsed;
  const emergency::Facts facts = emergency::facts_of(bundle);
  json out{{"patient", eth::to_checksum(patient)}, {"recordId", to_hex(record_id)},
           {"version", binding.version},           {"author", version.value("author", "")},
           {"facts", facts_json(facts)},           {"bundle", bundle},
           {"throughEscrow", through_escrow},      {"chainChecked", medchain != nullptr}};
  if (through_escrow) out["custodiansSkipped"] = skipped;
  context.print(out, "emergency summary of " + eth::to_checksum(patient) + " (v" +
                         std::to_string(binding.version) + ", " +
                         bundle.value("timestamp", std::string("undated")) +
                         (through_escrow ? ", opened through the escrow" : "") + ")\n" +
                         facts_text(facts));
  return {};
}

}  // namespace

void add_emergency_summary_commands(CLI::App& emergency_app) {
  auto* summary = emergency_app.add_subcommand(
      "summary", "The emergency summary (allergies, medications, conditions, blood type)");
  summary->require_subcommand(1);

  auto set = std::make_shared<SetOptions>();
  auto* set_cmd = summary->add_subcommand(
      "set", "As the patient, store a new version of your emergency summary");
  set_cmd->add_option("--file", set->file, "An IPS document Bundle (JSON; \"-\": stdin)");
  // One value per occurrence: "--allergy A --allergy B", never "--allergy A B".
  set_cmd->add_option("--allergy", set->facts.allergies, "An allergy or intolerance (repeatable)")
      ->allow_extra_args(false);
  set_cmd->add_option("--medication", set->facts.medications, "A medication taken now (repeatable)")
      ->allow_extra_args(false);
  set_cmd->add_option("--condition", set->facts.conditions, "A condition or problem (repeatable)")
      ->allow_extra_args(false);
  set_cmd->add_option("--blood-type", set->facts.blood_type, "A+, A-, B+, B-, AB+, AB-, O+ or O-");
  on_run(set_cmd, [set] { return set_summary(*set); });

  auto shown = std::make_shared<std::string>();
  auto* show_cmd = summary->add_subcommand(
      "show", "A patient's emergency summary (through the escrow in an emergency window)");
  show_cmd->add_option("--patient", *shown, "The patient (default: you)");
  on_run(show_cmd, [shown] { return show_summary(*shown); });
}

}  // namespace medchain::cli
