// The reason of an access request (docs/format.md, "Reasons and licences"). The doctor's client
// salts it, seals it to the patient's encryption key and leaves it with the node before the
// request naming its hash goes on chain; the patient's client opens it and checks it against
// that hash, so the node can neither read a reason nor show a patient one of its own.
#pragma once

#include <medchain/records/salted_text.hpp>

#include "client_context.hpp"

namespace medchain::cli {

// Seals `reason` to `patient`'s encryption key (the chain's with --rpc-url, else as the node
// lists it) and stores it with the node (PUT /v1/doctors/{doctor}/reasons/{hash}).
Status leave_reason(ClientContext& context, const Address& doctor, const Address& patient,
                    const medchain::records::SaltedText& reason);

// For the signed-in patient's listing of requests: adds to each request that carries a sealed
// reason either "reason" (the text, opened and matching the request's hash, which with --rpc-url
// is the chain's AccessRequested event's rather than the node's) or "reasonError" (why not).
// "reasonChecked" says whether the hash came from the chain.
void open_reasons(ClientContext& context, client::json& requests);

}  // namespace medchain::cli
