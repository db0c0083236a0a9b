// Consent as the index knows it: grants, access requests and emergency windows. A patient
// (or a guardian) sees everything about the patient; a doctor sees their own.
#include <medchain/api/detail/routes.hpp>

namespace medchain::api::detail {
namespace {

json grants_json(const std::vector<store::GrantView>& grants, std::uint64_t now) {
  json list = json::array();
  for (const store::GrantView& grant : grants) {
    list.push_back({{"patient", to_json(grant.patient)},
                    {"doctor", to_json(grant.doctor)},
                    {"scope", scope_json(grant.scope)},
                    {"scopeMask", grant.scope},
                    {"permissions", permissions_json(grant.permissions)},
                    {"expiry", grant.expiry},
                    {"active", grant.expiry > now}});
  }
  return list;
}

json requests_json(const std::vector<store::RequestRow>& requests) {
  json list = json::array();
  for (const store::RequestRow& request : requests) {
    list.push_back({{"requestId", request.request_id},
                    {"patient", to_json(request.patient)},
                    {"doctor", to_json(request.doctor)},
                    {"scope", scope_json(request.scope)},
                    {"scopeMask", request.scope},
                    {"permissions", permissions_json(request.permissions)},
                    {"duration", request.duration},
                    {"reasonHash", to_json(request.reason_hash)},
                    {"status", request.status}});
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
  return ok({{"grants", grants_json(*grants, *now)}});
}

Response patient_requests(NodeContext& node, const Call& call) {
  auto patient = managed_patient(node, call);
  if (!patient.ok()) return refuse(patient.error());
  auto requests = node.index().requests_of_patient(*patient);
  if (!requests.ok()) return problem_for(requests.error());
  return ok({{"requests", requests_json(*requests)}});
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
    list.push_back({{"doctor", to_json(window.doctor)},
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
  return ok({{"grants", grants_json(*grants, *now)}});
}

Response doctor_requests(NodeContext& node, const Call& call) {
  auto doctor = own_doctor_address(call);
  if (!doctor.ok()) return refuse(doctor.error());
  auto requests = node.index().requests_of_doctor(*doctor);
  if (!requests.ok()) return problem_for(requests.error());
  return ok({{"requests", requests_json(*requests)}});
}

}  // namespace medchain::api::detail
