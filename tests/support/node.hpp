// medchaind as a process for integration tests: started on a free loopback port against a
// Ledger's chain (relaying through a funded account of its own), with a small HTTP client
// that signs in with SIWE and relays intents signed by test parties. Failures in setup throw.
#pragma once

#include <medchain/chain/http_client.hpp>
#include <medchain/core/process.hpp>
#include <medchain/eth/siwe.hpp>
#include <nlohmann/json.hpp>

#include "support/ledger.hpp"

namespace medchain::test {

struct Reply {
  int status = 0;  // 0: no answer (the message is in `body`)
  nlohmann::json body;
  std::string content_type;
  std::string raw;
  chain::HttpResponse response;
};

// The SHA-256 of `content`: a blob's digest as the node names it.
Hash32 sha256_of(const std::string& content);

class Node {
 public:
  // Starts medchaind for `ledger` and waits until its index is ready.
  explicit Node(Ledger& ledger, std::vector<std::string> extra_args = {});
  ~Node();  // stops the node; a test fails if it did not exit cleanly
  // Stops the node and starts it again on the same data directory, database and port, as an
  // operator's restart would; returns once it is ready.
  void restart();
  // Kills the node with SIGKILL, as a crash or a pulled plug would; start_again() brings it back
  // on the same data directory, database and port.
  void crash();
  void start_again();

  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = "",
             std::vector<std::pair<std::string, std::string>> headers = {},
             const std::string& content_type = "application/json");
  Reply get(const std::string& path, const std::string& token = "");
  // A GET expected to answer 5xx: the node reporting a peer's failure (502, 504). send() and
  // get() fail the test on any 5xx, which is otherwise a bug.
  Reply get_failing(const std::string& path, const std::string& token);
  // The newest block the node has indexed, as its /metrics say (0 before the first): asked
  // without a session, so that a read by a party cannot start a peer fetch.
  std::uint64_t indexed_block();

  std::string nonce();
  eth::SiweMessage siwe_for(const Party& party, const std::string& nonce) const;
  Reply sign_in(const eth::SiweMessage& message, const crypto::PrivateKey& key);
  // A session token for `party` (fails the test when sign-in fails).
  std::string token_for(const Party& party);

  // Signs `function_name` with `message` (its nonce and deadline filled in) as `signer` and
  // relays it through POST /v1/relay.
  Reply relay(const Party& signer, std::string_view function_name, nlohmann::json message);

  // Uploads `content` as a blob of `patient` in `category`, declaring its SHA-256.
  Reply upload(const std::string& token, const Address& patient, std::string_view category,
               const std::string& content);

  const std::string& authority() const { return authority_; }
  const Hash32& node_id() const { return node_id_; }
  const std::filesystem::path& dir() const { return dir_; }
  // Where the node keeps the blob of `digest` on its disk (the disk blob store's layout).
  std::filesystem::path blob_file(const Hash32& digest) const;
  ChildProcess& process() { return process_; }

 private:
  void start(const std::filesystem::path& log);

  Ledger& ledger_;
  std::vector<std::string> argv_;
  int restarts_ = 0;
  bool crashed_ = false;
  bool server_error_expected_ = false;  // get_failing() under way
  std::filesystem::path dir_;
  std::string authority_;
  Hash32 node_id_;
  ChildProcess process_;
  std::unique_ptr<chain::HttpClient> http_;
};

}  // namespace medchain::test
