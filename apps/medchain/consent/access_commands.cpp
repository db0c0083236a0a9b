// `medchain access request | approve | deny | cancel | grant | revoke | list` (docs/cli.md,
// "Access"): consent as signed intents relayed by the node. A doctor requests; the patient
// approves (possibly narrower), denies, grants directly or revokes. Approving or granting read
// access also shares the keys of the patient's existing records in the scope with the doctor.
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <records/chain_checks.hpp>
#include <records/patient_names.hpp>
#include <records/record_keys.hpp>

#include "account/doctor_names.hpp"
#include "client_context.hpp"
#include "consent/consent_args.hpp"
#include "consent/request_reasons.hpp"

namespace medchain::cli {
namespace {

using client::json;

std::string checksum(const Address& a) {
  return eth::to_checksum(a);
}

bool shares_keys(std::uint16_t scope, std::uint8_t permissions) {
  return (permissions & 1) != 0 && scope != 0;
}

// Before a grant that will share keys is signed: the doctor's key as the node lists it must be
// the chain's, so a lying node is refused with nothing granted.
Status check_doctor_before_grant(ClientContext& context, const Address& doctor, std::uint16_t scope,
                                 std::uint8_t permissions) {
  if (!shares_keys(scope, permissions)) return {};
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  if (medchain == nullptr) return {};
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(records::Recipient listed, records::verified_doctor(*node, doctor));
  return records::check_doctor_key_on_chain(*medchain, listed);
}

// After a patient's grant with read permission: the keys of existing records, for the doctor.
Result<records::SharedKeys> share_existing_keys(ClientContext& context, const Address& doctor,
                                                std::uint16_t scope, std::uint8_t permissions) {
  if (!shares_keys(scope, permissions)) return records::SharedKeys{};
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(std::vector<medchain::records::EncryptionKeyPair> keys, context.decryption_keys());
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract_if_given());
  return records::share_record_keys(*node, keys, patient, doctor, scope, medchain);
}

struct RequestOptions {
  std::string patient;
  Terms terms;
  std::string reason;
};

Status request_access(const RequestOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, parse_address_arg(options.patient, "the patient"));
  MEDCHAIN_TRY(std::uint16_t scope, terms_scope(options.terms));
  MEDCHAIN_TRY(std::uint64_t duration, client::parse_duration(options.terms.duration));
  MEDCHAIN_TRY(Address doctor, context.account());
  // No reason is the zero hash; a reason is left with the node, sealed to the patient, before
  // the request that names its salted hash goes on chain.
  Hash32 reason_hash;
  if (!options.reason.empty()) {
    const medchain::records::SaltedText reason = medchain::records::salt_text(options.reason);
    MEDCHAIN_TRY_STATUS(leave_reason(context, doctor, patient, reason));
    reason_hash = medchain::records::salted_hash(reason);
  }
  MEDCHAIN_TRY(json answer,
               context.relay("requestAccessBySig", {{"patient", checksum(patient)},
                                                    {"scope", scope},
                                                    {"permissions", options.terms.permissions()},
                                                    {"duration", duration},
                                                    {"reasonHash", to_hex(reason_hash)}}));
  // The request's id is the contract's return value, which a relay does not see: the newest
  // pending request of this doctor to this patient, from the index the relay waited for.
  auto node = context.signed_in_node();
  if (node.ok()) {
    auto requests = (*node)->get("/v1/doctors/" + checksum(doctor) + "/requests");
    if (requests.ok()) {
      for (const json& request : requests->value("requests", json::array())) {
        if (request.value("patient", "") == checksum(patient) &&
            request.value("status", "") == "pending") {
          answer["requestId"] = request.value("requestId", "");
        }
      }
    }
  }
  // The id alone, as `records add` prints the record's, so a script can keep it.
  if (answer.contains("requestId")) {
    context.print(answer, answer["requestId"].get<std::string>());
  } else {
    context.print_relayed(answer, "requested access to " + checksum(patient));
  }
  return {};
}

// "shared the keys of 2 record versions" for the text output of approve and grant, and how
// many were not shared because the chain's parties never stated their category.
std::string shared_keys_text(const records::SharedKeys& keys) {
  const auto versions = [](std::size_t n) {
    return std::to_string(n) + " record version" + (n == 1 ? "" : "s");
  };
  std::string text = "shared the keys of " + versions(keys.shared);
  if (keys.unconfirmed > 0) {
    text += "; not " + versions(keys.unconfirmed) +
            " whose category neither its author nor you signed (the node's word alone)";
  }
  return text;
}

void add_shared_keys(json& answer, const records::SharedKeys& keys) {
  answer["sharedKeys"] = keys.shared;
  answer["unconfirmedCategories"] = keys.unconfirmed;
}

// The pending request `id` of the signed-in patient.
Result<json> pending_request(ClientContext& context, const std::string& id) {
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(json requests, node->get("/v1/patients/" + checksum(patient) + "/requests"));
  for (const json& request : requests.value("requests", json::array())) {
    if (request.value("requestId", "") == id) return request;
  }
  return Error{Errc::kNotFound, "no access request " + id + " to " + checksum(patient)};
}

struct ApproveOptions {
  std::string request_id;
  Terms terms;
};

Status approve_request(const ApproveOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(json request, pending_request(context, options.request_id));
  if (request.value("status", "") != "pending") {
    return Error{Errc::kConflict,
                 "request " + options.request_id + " is " + request.value("status", "")};
  }
  // The patient may narrow what was asked for; unset terms are the request's.
  std::uint16_t scope = request.value("scopeMask", std::uint16_t{0});
  std::uint8_t permissions = 0;
  for (const json& p : request.value("permissions", json::array())) {
    permissions |= p == "read" ? 1 : p == "append" ? 2 : 0;
  }
  std::uint64_t duration = request.value("duration", std::uint64_t{0});
  if (!options.terms.scope.empty()) {
    MEDCHAIN_TRY(scope, client::parse_scope(options.terms.scope));
  }
  if (options.terms.read || options.terms.append) permissions = options.terms.permissions();
  if (!options.terms.duration.empty()) {
    MEDCHAIN_TRY(duration, client::parse_duration(options.terms.duration));
  }
  MEDCHAIN_TRY(Address doctor,
               parse_address_arg(request.value("doctor", ""), "the request's doctor"));
  MEDCHAIN_TRY_STATUS(check_doctor_before_grant(context, doctor, scope, permissions));
  MEDCHAIN_TRY(json answer, context.relay("approveRequestBySig", {{"requestId", options.request_id},
                                                                  {"scope", scope},
                                                                  {"permissions", permissions},
                                                                  {"duration", duration}}));
  MEDCHAIN_TRY(records::SharedKeys shared,
               share_existing_keys(context, doctor, scope, permissions));
  answer["doctor"] = checksum(doctor);
  answer["scope"] = client::scope_names(scope);
  add_shared_keys(answer, shared);
  context.print_relayed(answer, "approved request " + options.request_id + " of " +
                                    checksum(doctor) + ", " + shared_keys_text(shared));
  return {};
}

Status answer_request(const std::string& function, const std::string& id, const std::string& done) {
  ClientContext context;
  MEDCHAIN_TRY(json answer, context.relay(function, {{"requestId", id}}));
  context.print_relayed(answer, done + " request " + id);
  return {};
}

struct GrantOptions {
  std::string doctor;
  Terms terms;
};

Status grant_access(const GrantOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(Address doctor, parse_address_arg(options.doctor, "the doctor"));
  MEDCHAIN_TRY(std::uint16_t scope, terms_scope(options.terms));
  MEDCHAIN_TRY(std::uint64_t duration, client::parse_duration(options.terms.duration));
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY_STATUS(
      check_doctor_before_grant(context, doctor, scope, options.terms.permissions()));
  MEDCHAIN_TRY(json answer, context.relay("grantAccessBySig",
                                          {{"patient", checksum(patient)},
                                           {"doctor", checksum(doctor)},
                                           {"scope", scope},
                                           {"permissions", options.terms.permissions()},
                                           {"expiry", std::to_string(unix_now() + duration)}}));
  MEDCHAIN_TRY(records::SharedKeys shared,
               share_existing_keys(context, doctor, scope, options.terms.permissions()));
  add_shared_keys(answer, shared);
  context.print_relayed(answer,
                        "granted " + checksum(doctor) + " access, " + shared_keys_text(shared));
  return {};
}

Status revoke_access(const std::string& doctor_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address doctor, parse_address_arg(doctor_text, "the doctor"));
  MEDCHAIN_TRY(Address patient, context.account());
  MEDCHAIN_TRY(json answer, context.relay("revokeAccessBySig", {{"patient", checksum(patient)},
                                                                {"doctor", checksum(doctor)}}));
  context.print_relayed(answer, "revoked the access of " + checksum(doctor) +
                                    " (new record versions are no longer sealed to them)");
  return {};
}

std::string grant_line(const json& grant, const std::string& other) {
  std::string scope;
  for (const json& name : grant.value("scope", json::array()))
    scope += (scope.empty() ? "" : ",") + name.get<std::string>();
  std::string permissions;
  for (const json& p : grant.value("permissions", json::array()))
    permissions += (permissions.empty() ? "" : "+") + p.get<std::string>();
  const std::string who =
      other == "doctor" ? doctor_label(grant) : records::patient_label(grant, other);
  return "grant  " + who + "  " + (scope.empty() ? "-" : scope) + "  " + permissions + "  until " +
         eth::format_rfc3339(grant.value("expiry", std::int64_t{0})) +
         (grant.value("active", false) ? "" : " (expired)");
}

// A doctor's text as one line that cannot drive the terminal: control characters (newlines,
// escape sequences) become '?'.
std::string one_printable_line(std::string text) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '?';
  }
  return text;
}

std::string request_line(const json& request, const std::string& other) {
  const std::string who =
      other == "doctor" ? doctor_label(request) : records::patient_label(request, other);
  std::string line =
      "request " + request.value("requestId", "") + "  " + who + "  " + request.value("status", "");
  if (request.contains("reason")) {
    line += "  reason: " + one_printable_line(request["reason"].get<std::string>()) +
            (request.value("reasonChecked", false) ? "" : " (hash not checked against the chain)");
  } else if (request.contains("reasonError")) {
    line += "  reason refused: " + request["reasonError"].get<std::string>();
  }
  return line;
}

Status list_access(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  const json& me = context.me();
  std::string base;
  std::string other;
  if (!patient_text.empty()) {
    MEDCHAIN_TRY(Address patient, parse_address_arg(patient_text, "--patient"));
    base = "/v1/patients/" + checksum(patient);
    other = "doctor";
  } else if (me.value("patient", false)) {
    base = "/v1/patients/" + me.value("address", "");
    other = "doctor";
  } else {
    base = "/v1/doctors/" + me.value("address", "");
    other = "patient";
  }
  MEDCHAIN_TRY(json grants, node->get(base + "/grants"));
  MEDCHAIN_TRY(json requests, node->get(base + "/requests"));
  json out{{"grants", grants.value("grants", json::array())},
           {"requests", requests.value("requests", json::array())}};
  if (other == "doctor") {
    open_reasons(context, out["requests"]);
    name_doctors(context, out["grants"]);
    name_doctors(context, out["requests"]);
  } else {
    // A doctor's patients by name where the doctor may read their Patient record.
    MEDCHAIN_TRY(Address account, parse_address_arg(me.value("address", ""), "the session"));
    records::Caller caller{context, *node, account};
    records::PatientNames names(caller);
    names.name_patients(out["grants"]);
    names.name_patients(out["requests"]);
  }
  std::string text;
  for (const json& grant : out["grants"]) text += grant_line(grant, other) + "\n";
  for (const json& request : out["requests"]) text += request_line(request, other) + "\n";
  context.print(out, text.empty() ? "no grants or requests" : text);
  return {};
}

void add_access_commands(CLI::App& app) {
  auto* access = app.add_subcommand("access", "Consent: requests, grants and revocations");
  access->require_subcommand(1);

  auto request = std::make_shared<RequestOptions>();
  auto* request_cmd = access->add_subcommand("request", "As a doctor, ask a patient for access");
  request_cmd->add_option("patient", request->patient, "The patient's address")->required();
  add_terms_options(request_cmd, request->terms, /*required=*/false);
  request_cmd->get_option("--for")->required();
  request_cmd->add_option(
      "--reason", request->reason,
      "Why, for the patient alone (sealed to their key; only a salted hash goes on chain)");
  on_run(request_cmd, [request] { return request_access(*request); });

  auto approve = std::make_shared<ApproveOptions>();
  auto* approve_cmd = access->add_subcommand(
      "approve", "As the patient, approve a request (optionally narrower) and share record keys");
  approve_cmd->add_option("request", approve->request_id, "The request id")->required();
  add_terms_options(approve_cmd, approve->terms, /*required=*/false);
  on_run(approve_cmd, [approve] { return approve_request(*approve); });

  for (const auto& [name, function, done, help] :
       {std::tuple{"deny", "denyRequestBySig", "denied", "As the patient, deny a request"},
        std::tuple{"cancel", "cancelRequestBySig", "cancelled",
                   "As the doctor, withdraw your request"}}) {
    auto id = std::make_shared<std::string>();
    auto* cmd = access->add_subcommand(name, help);
    cmd->add_option("request", *id, "The request id")->required();
    on_run(cmd, [id, function = std::string(function), done = std::string(done)] {
      return answer_request(function, *id, done);
    });
  }

  auto grant = std::make_shared<GrantOptions>();
  auto* grant_cmd = access->add_subcommand(
      "grant", "As the patient, grant a doctor access and share record keys");
  grant_cmd->add_option("doctor", grant->doctor, "The doctor's address")->required();
  add_terms_options(grant_cmd, grant->terms, /*required=*/false);
  grant_cmd->get_option("--for")->required();
  on_run(grant_cmd, [grant] { return grant_access(*grant); });

  auto revoked = std::make_shared<std::string>();
  auto* revoke_cmd = access->add_subcommand("revoke", "As the patient, end a doctor's grant");
  revoke_cmd->add_option("doctor", *revoked, "The doctor's address")->required();
  on_run(revoke_cmd, [revoked] { return revoke_access(*revoked); });

  auto listed = std::make_shared<std::string>();
  auto* list_cmd =
      access->add_subcommand("list", "Your grants and requests (as patient or doctor)");
  list_cmd->add_option("--patient", *listed, "A patient you are the guardian of");
  on_run(list_cmd, [listed] { return list_access(*listed); });
}

const bool kRegistered = register_top_level_group(&add_access_commands);

}  // namespace
}  // namespace medchain::cli
