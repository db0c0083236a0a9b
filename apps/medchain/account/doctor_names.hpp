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

// The doctor's address as a line shows it: the name first when the row has a checked one.
std::string doctor_label(const client::json& row, const std::string& field = "doctor");

}  // namespace medchain::cli
