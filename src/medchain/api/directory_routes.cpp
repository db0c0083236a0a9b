// Who is who: registered patients (their public encryption keys, for sealing record keys to
// them) and doctors. All of it is public on chain already; the node serves it from its index.
#include <medchain/api/detail/routes.hpp>

namespace medchain::api::detail {

Response patient(NodeContext& node, const Call& call) {
  auto address = address_param(call, "address");
  if (!address.ok()) return problem_for(address.error());
  auto row = node.index().patient(*address);
  if (!row.ok()) return problem_for(row.error());
  if (!*row)
    return problem(404, "not_found", "Not found", "no patient is registered at that address");
  json guardians = json::array();
  for (const Address& guardian : (*row)->guardians) guardians.push_back(to_json(guardian));
  return ok({{"address", to_json((*row)->address)},
             {"encryptionKey", to_json((*row)->encryption_key)},
             {"emergencyPolicy",
              {{"allowed", (*row)->emergency_allowed},
               {"maxWindow", (*row)->max_emergency_window},
               {"cooldown", (*row)->emergency_cooldown}}},
             {"guardians", guardians}});
}

Response doctors(NodeContext& node, const Call& call) {
  const std::string status = query_param(call.request, "status");
  if (!status.empty() && status != "verified" && status != "suspended") {
    return bad_request("status is verified or suspended");
  }
  auto rows = node.index().doctors(status);
  if (!rows.ok()) return problem_for(rows.error());
  json list = json::array();
  for (const store::DoctorRow& doctor : *rows) {
    auto profile = doctor_profile_json(node, doctor.address);
    if (!profile.ok()) return problem_for(profile.error());
    list.push_back({{"address", to_json(doctor.address)},
                    {"status", doctor.status},
                    {"licenseHash", to_json(doctor.license_hash)},
                    {"encryptionKey", to_json(doctor.encryption_key)},
                    {"profile", *profile}});
  }
  return ok({{"doctors", list}});
}

}  // namespace medchain::api::detail
