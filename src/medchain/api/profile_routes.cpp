// Doctor profiles (docs/format.md, "Doctor profiles"): the registrar's signed statement of who a
// registered doctor is. Not on chain; the node keeps the newest by issuedAt, checked against its
// index (the signer must be a registrar, the doctor registered), and serves it with the
// signature so that clients check it again instead of trusting the node.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/doctor_profile.hpp>

namespace medchain::api::detail {
namespace {

// How far ahead of the node's clock an issuedAt may be: a profile dated far ahead would block
// every later correction until that date.
constexpr std::uint64_t kMaxIssuedAhead = 600;

json row_json(const store::DoctorProfileRow& row) {
  return {{"doctor", to_json(row.doctor)}, {"name", row.name},
          {"specialty", row.specialty},    {"institution", row.institution},
          {"issuedAt", row.issued_at},     {"signature", to_hex(row.signature)},
          {"signer", to_json(row.signer)}};
}

// The profile and its signature from a PUT body, for the doctor of the path.
Result<std::pair<records::DoctorProfile, Bytes>> profile_of(const json& body,
                                                            const Address& doctor) {
  const auto text = [&](const char* key) -> Result<std::string> {
    if (!body.contains(key) || !body.at(key).is_string()) {
      return Error{Errc::kInvalidArgument, std::string(key) + " is not a string"};
    }
    return body.at(key).get<std::string>();
  };
  records::DoctorProfile profile;
  profile.doctor = doctor;
  MEDCHAIN_TRY(profile.name, text("name"));
  MEDCHAIN_TRY(profile.specialty, text("specialty"));
  MEDCHAIN_TRY(profile.institution, text("institution"));
  MEDCHAIN_TRY(std::string signature_text, text("signature"));
  if (!body.contains("issuedAt") || !body.at("issuedAt").is_number_unsigned()) {
    return Error{Errc::kInvalidArgument, "issuedAt is not Unix seconds"};
  }
  profile.issued_at = body.at("issuedAt").get<std::uint64_t>();
  const auto names_the_doctor = [&] {
    if (!body.at("doctor").is_string()) return false;
    auto named = from_hex_fixed<Address>(body.at("doctor").get<std::string>());
    return named.ok() && *named == doctor;
  };
  if (body.contains("doctor") && !names_the_doctor()) {
    return Error{Errc::kInvalidArgument, "doctor in the body is not the doctor of the path"};
  }
  MEDCHAIN_TRY_STATUS(records::check_profile_fields(profile));
  auto signature = from_hex(signature_text);
  if (!signature || signature->size() != 65) {
    return Error{Errc::kInvalidSignature, "signature is not 65 bytes of 0x hex"};
  }
  return std::pair{std::move(profile), std::move(*signature)};
}

// Why the node refuses to keep `profile`, signed by `signer`, as the index knows the chain now.
Status check_against_index(NodeContext& node, const records::DoctorProfile& profile,
                           const Address& signer, std::uint64_t now) {
  MEDCHAIN_TRY(store::Roles signer_roles, node.index().roles(signer));
  if (!signer_roles.registrar) {
    return Error{Errc::kInvalidSignature, "the profile is not signed by a registrar"};
  }
  MEDCHAIN_TRY(store::Roles doctor_roles, node.index().roles(profile.doctor));
  if (doctor_roles.doctor.empty()) {
    return Error{Errc::kNotFound, "no doctor is registered at that address"};
  }
  if (profile.issued_at > now + kMaxIssuedAhead) {
    return Error{Errc::kInvalidArgument, "issuedAt is in the future"};
  }
  return {};
}

}  // namespace

Result<json> doctor_profile_json(NodeContext& node, const Address& doctor) {
  MEDCHAIN_TRY(std::optional<store::DoctorProfileRow> row,
               node.node_store().doctor_profile(doctor));
  if (!row) return json(nullptr);
  return row_json(*row);
}

Response doctor_profile(NodeContext& node, const Call& call) {
  auto doctor = address_param(call, "address");
  if (!doctor.ok()) return problem_for(doctor.error());
  auto profile = doctor_profile_json(node, *doctor);
  if (!profile.ok()) return problem_for(profile.error());
  if (profile->is_null()) {
    return problem(404, "not_found", "Not found", "the node holds no profile of that doctor");
  }
  return ok(*profile);
}

Response put_doctor_profile(NodeContext& node, const Call& call) {
  auto doctor = address_param(call, "address");
  if (!doctor.ok()) return problem_for(doctor.error());
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  auto parsed = profile_of(*body, *doctor);
  if (!parsed.ok()) return problem_for(parsed.error());
  const auto& [profile, signature] = *parsed;
  auto signer =
      records::profile_signer(profile, {node.config.chain_id, node.config.contract}, signature);
  auto now = node.now();
  if (!now.ok()) return problem_for(now.error());
  const Status allowed =
      signer.ok() ? check_against_index(node, profile, *signer, *now) : Status(signer.error());
  if (!allowed.ok()) {
    auto audited = node.audit(call.caller(), "doctor.profile", to_hex(*doctor), Address{}, false);
    if (!audited.ok()) return problem_for(audited.error());
    return problem_for(allowed.error());
  }
  const store::DoctorProfileRow row{
      profile.doctor,    profile.name, profile.specialty, profile.institution,
      profile.issued_at, signature,    *signer,           node.clock()};
  auto stored = node.node_store().put_doctor_profile(row);
  if (!stored.ok()) return problem_for(stored.error());
  auto audited = node.audit(call.caller(), "doctor.profile", to_hex(*doctor), Address{}, *stored);
  if (!audited.ok()) return problem_for(audited.error());
  if (!*stored) {
    return problem(409, "stale_profile", "Conflict",
                   "the node holds a profile of this doctor issued at or after this one");
  }
  return ok(row_json(row));
}

}  // namespace medchain::api::detail
