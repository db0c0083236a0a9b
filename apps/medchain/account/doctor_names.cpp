#include "account/doctor_names.hpp"

#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>
#include <medchain/records/doctor_profile.hpp>

namespace medchain::cli {
namespace {

using client::json;

// Control characters (which could drive the terminal) were refused by the signature check's
// field rules, so what is left is shown as it is.
std::string display_name(const records::DoctorProfile& profile) {
  std::string text = profile.name;
  if (!profile.specialty.empty()) text += " \xC2\xB7 " + profile.specialty;
  if (!profile.institution.empty()) text += " \xC2\xB7 " + profile.institution;
  return text;
}

struct Checked {
  std::string name;
  bool registrar_checked = false;
  std::string error;
};

Checked check(ClientContext& context, const json& served, const Address& doctor,
              std::map<Address, bool>& registrars) {
  if (!served.is_object()) return {"", false, "the node's profile is not an object"};
  records::DoctorProfile profile;
  profile.doctor = doctor;
  try {
    profile.name = served.at("name").get<std::string>();
    profile.specialty = served.at("specialty").get<std::string>();
    profile.institution = served.at("institution").get<std::string>();
    profile.issued_at = served.at("issuedAt").get<std::uint64_t>();
  } catch (const json::exception&) {
    return {"", false, "the node's profile lacks a field"};
  }
  auto signature = from_hex(served.value("signature", ""));
  auto deployment = context.deployment();
  if (!signature || !deployment.ok()) return {"", false, "the profile's signature is unreadable"};
  auto signer =
      records::profile_signer(profile, {deployment->chain_id, deployment->contract}, *signature);
  if (!signer.ok()) return {"", false, "the profile is not signed: " + signer.error().message};
  auto medchain = context.contract_if_given();
  if (!medchain.ok() || *medchain == nullptr) return {display_name(profile), false, ""};
  auto known = registrars.find(*signer);
  if (known == registrars.end()) {
    auto answer = (*medchain)->call("isRegistrar", {eth::abi::Value(*signer)});
    if (!answer.ok()) return {"", false, "could not ask the chain: " + answer.error().message};
    known = registrars.emplace(*signer, answer->at(0).flag()).first;
  }
  if (!known->second) {
    return {"", false, "the profile is not signed by a registrar of the chain for this doctor"};
  }
  return {display_name(profile), true, ""};
}

}  // namespace

void name_doctors(ClientContext& context, json& rows, const std::string& field,
                  const std::string& profile_field) {
  std::map<Address, bool> registrars;
  for (json& row : rows) {
    if (!row.is_object() || !row.contains(profile_field) || row[profile_field].is_null()) continue;
    auto doctor = from_hex_fixed<Address>(row.value(field, ""));
    if (!doctor) continue;
    const Checked checked = check(context, row[profile_field], *doctor, registrars);
    if (!checked.error.empty()) {
      row["doctorProfileError"] = checked.error;
      continue;
    }
    row["doctorName"] = checked.name;
    row["doctorNameChecked"] = checked.registrar_checked;
  }
}

void look_up_and_name_doctors(ClientContext& context, client::NodeClient& node, json& rows,
                              const std::string& field) {
  std::map<std::string, json> profiles;
  for (json& row : rows) {
    if (!row.is_object()) continue;
    auto address = from_hex_fixed<Address>(row.value(field, ""));
    if (!address) continue;
    const std::string key = to_hex(ByteView(address->bytes));
    auto known = profiles.find(key);
    if (known == profiles.end()) {
      auto served = node.get("/v1/doctors/" + key + "/profile");
      known = profiles.emplace(key, served.ok() ? *served : json(nullptr)).first;
    }
    if (!known->second.is_null()) row["doctorProfile"] = known->second;
  }
  name_doctors(context, rows, field, "doctorProfile");
}

std::string registrar_checked_name(ClientContext& context, client::NodeClient& node,
                                   const Address& doctor) {
  json rows = json::array({json{{"doctor", to_hex(ByteView(doctor.bytes))}}});
  look_up_and_name_doctors(context, node, rows, "doctor");
  if (!rows[0].value("doctorNameChecked", false)) return "";
  return rows[0]["doctorProfile"].value("name", "");
}

std::string doctor_label(const json& row, const std::string& field) {
  const std::string address = row.value(field, "");
  if (row.contains("doctorName")) {
    return row["doctorName"].get<std::string>() + " (" + address + ")" +
           (row.value("doctorNameChecked", false) ? "" : " [registrar not checked: no --rpc-url]");
  }
  if (row.contains("doctorProfileError")) {
    return address + " [warning: profile refused: " + row["doctorProfileError"].get<std::string>() +
           "]";
  }
  return address;
}

}  // namespace medchain::cli
