// The Postman environment `medchain dev` writes beside its other state, so that the API's
// collection (docs/api/medchain.postman_collection.json) runs in Postman against the dev node:
// the node's URL and ids, and the demo accounts signed in (their SIWE session tokens), under
// the variable names the collection uses. DEVELOPMENT ONLY: the tokens are live sessions.
#pragma once

#include <filesystem>
#include <string>

#include "dev/dev_system.hpp"

namespace medchain::cli {

// The file's name in the data directory.
inline constexpr const char* kPostmanEnvironmentFile = "medchain-dev.postman_environment.json";

// Signs the demo accounts in on the node at `node_url` (patient 1 twice: one session for the
// collection's logout request; doctor 1; patient 2) and writes the environment to
// `data_dir`/kPostmanEnvironmentFile, mode 0600.
// REQUIRES: the node answers at `node_url` and has indexed `system`'s demo accounts.
Status write_postman_environment(const std::filesystem::path& data_dir, const std::string& node_url,
                                 const DevSystem& system);

}  // namespace medchain::cli
