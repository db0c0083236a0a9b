// The demo doctors' profiles (docs/format.md, "Doctor profiles"), attested by the demo
// registrar once the node is up, so that the demo shows people by name.
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <string>

#include "dev/dev_system.hpp"

namespace medchain::cli {

// Signs each demo doctor's profile with the registrar's key and PUTs it to the node at
// `node_url` (a profile the node already holds for that doctor stays: 409 is not an error),
// once the node has indexed chain block `provisioned` (the block by which the registrar was
// appointed: the node refuses a profile whose signer it does not yet know as a registrar).
Status publish_demo_profiles(const DevSystem& system, const std::string& node_url,
                             std::uint64_t provisioned);

}  // namespace medchain::cli
