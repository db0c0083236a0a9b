// Doctors by name (docs/format.md, "Doctor profiles"): the node lists a registrar-signed profile
// beside a doctor, and this checks it before the command line shows it. The signature must
// recover to an address the chain names a registrar (isRegistrar, read on --rpc-url) and be over
// the doctor the line is about; a profile that fails is not shown, the address is, with why.
#pragma once

#include <medchain/client/node_client.hpp>
#include <string>

#include "client_context.hpp"

namespace medchain::cli {

// Adds to each row of `rows` that names a doctor in `field` (with the node's profile in
// `profile_field`): "doctorName" ("Dr. A · Cardiology · Hospital") and "doctorNameChecked"
// (false when no --rpc-url let the registrar be checked), or "doctorProfileError" when the
// profile is not the registrar's for that doctor. Rows without a profile are left as they are.
void name_doctors(ClientContext& context, client::json& rows, const std::string& field = "doctor",
                  const std::string& profile_field = "doctorProfile");

// For rows the node lists without a profile (the audit log's actors): asks the node for the
// profile of each distinct address in `field` once (GET /v1/doctors/{address}/profile; 404,
// the usual answer for someone not a doctor, leaves the row as it is), then name_doctors.
void look_up_and_name_doctors(ClientContext& context, client::NodeClient& node, client::json& rows,
                              const std::string& field);

// The name of `doctor`'s own profile ("Dr. A", without specialty or institution) when the node
// holds one and it checks against the chain's registrar (so only with --rpc-url); else empty.
std::string registrar_checked_name(ClientContext& context, client::NodeClient& node,
                                   const Address& doctor);

// The doctor's address as a line shows it: the name first when the row has a checked one.
std::string doctor_label(const client::json& row, const std::string& field = "doctor");

}  // namespace medchain::cli
