// The operations docs/api/openapi.yaml describes, read line by line: a path at two spaces of
// indent under `paths:`, its operations at four, an operation's `x-cross-origin: true` at six.
// Tests hold the description to what the node serves and answers.
#pragma once

#include <string>
#include <vector>

namespace medchain::test {

struct DescribedOperation {
  std::string method;  // upper case: GET, POST, ...
  std::string path;    // the path template: /v1/patients/{address}/records
  bool cross_origin = false;  // marked as answering pages of other origins (CORS)
};

// The operations of the repository's docs/api/openapi.yaml, in the file's order.
std::vector<DescribedOperation> described_operations();

}  // namespace medchain::test
