// Consent as the index knows it: grants, access requests and emergency windows. A patient
// (or a guardian) sees everything about the patient; a doctor sees their own. Beside a request
// the node keeps the doctor's reason, sealed to the patient, which it can neither read nor forge
// (docs/format.md, "Reasons and licences").
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/salted_text.hpp>

namespace medchain::api::detail {
namespace {

// Each listed doctor's profile (docs/format.md, "Doctor profiles") rides along as
// "doctorProfile", signature included, so that a client names the doctor without another call.
Result<json> grants_json(NodeContext& node, const std::vector<store::GrantView>& grants,
                         std::uint64_t now) {
  json list = json::array();
  for (const store::GrantView& grant : grants) {
    MEDCHAIN_TRY(json profile, doctor_profile_json(node, grant.doctor));
    list.push_back({{"patient", to_json(grant.patient)},
                    {"doctor", to_json(grant.doctor)},
                    {"doctorProfile", profile},
                    {"scope", scope_json(grant.scope)},
                    {"scopeMask", grant.scope},
                    {"permissions", permissions_json(grant.permissions)},
                    {"expiry", grant.expiry},
                    {"active", grant.expiry > now}});
  }
  return list;
}

// The smallest and largest sealed reason: crypto_box_seal of "MCN1" ‖ salt ‖ 0 to 1,024 bytes.
constexpr std::size_t kMinSealedReason = 48 + 4 + 32;
constexpr std::size_t kMaxSealedReason = kMinSealedReason + records::kMaxReasonBytes;

Result<json> requests_json(NodeContext& node, const std::vector<store::RequestRow>& requests) {
  json list = json::array();
  for (const store::RequestRow& request : requests) {
    json entry = {
        {"requestId", request.request_id},   {"patient", to_json(request.patient)},
        {"doctor", to_json(request.doctor)}, {"scope", scope_json(request.scope)},
        {"scopeMask", request.scope},        {"permissions", permissions_json(request.permissions)},
        {"duration", request.duration},      {"reasonHash", to_json(request.reason_hash)},
        {"status", request.status}};
    MEDCHAIN_TRY(entry["doctorProfile"], doctor_profile_json(node, request.doctor));
    MEDCHAIN_TRY(std::optional<store::ReasonNote> note,
                 node.node_store().reason_note(request.doctor, request.reason_hash));
    // A note the doctor addressed to another patient is not this request's.
    if (note && note->patient == request.patient) {
      entry["sealedReason"] = to_hex(note->sealed_note);
    }
    list.push_back(std::move(entry));
  }
  return list;
}

// The patient of the path, if the caller is that patient or a guardian; else the problem.
Result<Address> managed_patient(NodeContext& node, const Call& call) {
  MEDCHAIN_TRY(Address patient, address_param(call, "address"));
  MEDCHAIN_TRY(bool allowed, node.manages(patient, call.caller()));
  if (!allowed) {
    return Error{Errc::kPermissionDenied, "only the patient or a guardian sees this"};
  }
  return patient;
}

Result<Address> own_doctor_address(const Call& call) {
  MEDCHAIN_TRY(Address doctor, address_param(call, "address"));
  if (doctor != call.caller()) {
    return Error{Errc::kPermissionDenied, "a doctor sees only their own grants and requests"};
  }
  return doctor;
}

Response refuse(const Error& error) {
  return error.code == Errc::kPermissionDenied ? forbidden(error.message) : problem_for(error);
}

}  // namespace

Response patient_grants(NodeContext& node, const Call& call) {
  auto patient = managed_patient(node, call);
  if (!patient.ok()) return refuse(patient.error());
  auto grants = node.index().grants_of_patient(*patient);
  auto now = node.now();
  if (!grants.ok()) return problem_for(grants.error());
  if (!now.ok()) return problem_for(now.error());
  auto list = grants_json(node, *grants, *now);
  if (!list.ok()) return problem_for(list.error());
  return ok({{"grants", *list}});
}

Response patient_requests(NodeContext& node, const Call& call) {
  auto patient = managed_patient(node, call);
  if (!patient.ok()) return refuse(patient.error());
  auto requests = node.index().requests_of_patient(*patient);
  if (!requests.ok()) return problem_for(requests.error());
  auto list = requests_json(node, *requests);
  if (!list.ok()) return problem_for(list.error());
  return ok({{"requests", *list}});
}

Response patient_emergency(NodeContext& node, const Call& call) {
  auto patient = managed_patient(node, call);
  if (!patient.ok()) return refuse(patient.error());
  auto windows = node.index().emergency_windows_of_patient(*patient);
  auto now = node.now();
  if (!windows.ok()) return problem_for(windows.error());
  if (!now.ok()) return problem_for(now.error());
  json list = json::array();
  for (const store::EmergencyRow& window : *windows) {
    auto profile = doctor_profile_json(node, window.doctor);
    if (!profile.ok()) return problem_for(profile.error());
    list.push_back({{"doctor", to_json(window.doctor)},
                    {"doctorProfile", *profile},
                    {"until", window.until},
                    {"reasonCode", window.reason_code},
                    {"open", window.until > *now}});
  }
  return ok({{"windows", list}});
}

Response doctor_grants(NodeContext& node, const Call& call) {
  auto doctor = own_doctor_address(call);
  if (!doctor.ok()) return refuse(doctor.error());
  auto grants = node.index().grants_of_doctor(*doctor);
  auto now = node.now();
  if (!grants.ok()) return problem_for(grants.error());
  if (!now.ok()) return problem_for(now.error());
  auto list = grants_json(node, *grants, *now);
  if (!list.ok()) return problem_for(list.error());
  return ok({{"grants", *list}});
}

Response doctor_requests(NodeContext& node, const Call& call) {
  auto doctor = own_doctor_address(call);
  if (!doctor.ok()) return refuse(doctor.error());
  auto requests = node.index().requests_of_doctor(*doctor);
  if (!requests.ok()) return problem_for(requests.error());
  auto list = requests_json(node, *requests);
  if (!list.ok()) return problem_for(list.error());
  return ok({{"requests", *list}});
}

// PUT /v1/doctors/{address}/reasons/{reasonHash}: a doctor leaves the reason of a request they
// are about to make, sealed to the patient. Before the request, so that a request never goes on
// chain without its reason; only verified doctors, so strangers cannot fill the table.
Response put_reason(NodeContext& node, const Call& call) {
  auto doctor = own_doctor_address(call);
  if (!doctor.ok()) return refuse(doctor.error());
  auto reason_hash = hash_param(call, "reasonHash");
  if (!reason_hash.ok()) return problem_for(reason_hash.error());
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  const json& patient_text = (*body)["patient"];
  const json& sealed_text = (*body)["sealedReason"];
  if (!patient_text.is_string() || !sealed_text.is_string()) {
    return bad_request(R"(expected {"patient": <address>, "sealedReason": <0x hex>})");
  }
  auto patient = from_hex_fixed<Address>(patient_text.get<std::string>());
  auto sealed = from_hex(sealed_text.get<std::string>());
  if (!patient) return bad_request("patient is not a 0x address");
  if (!sealed || sealed->size() < kMinSealedReason || sealed->size() > kMaxSealedReason) {
    return bad_request("sealedReason is not " + std::to_string(kMinSealedReason) + " to " +
                       std::to_string(kMaxSealedReason) + " bytes of 0x hex");
  }
  auto roles = node.index().roles(*doctor);
  if (!roles.ok()) return problem_for(roles.error());
  const bool verified = roles->doctor == "verified";
  auto audited = node.audit(*doctor, "request.reason", to_hex(*reason_hash), *patient, verified);
  if (!audited.ok()) return problem_for(audited.error());
  if (!verified) return forbidden("only a verified doctor leaves a reason for a request");
  const store::ReasonNote note{*doctor, *reason_hash, *patient, std::move(*sealed), node.clock()};
  if (auto put = node.node_store().put_reason_note(note); !put.ok()) {
    return problem_for(put.error());
  }
  return ok({{"doctor", to_json(*doctor)},
             {"reasonHash", to_json(*reason_hash)},
             {"patient", to_json(*patient)}});
}

}  // namespace medchain::api::detail
