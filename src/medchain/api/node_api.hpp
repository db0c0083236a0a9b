// medchaind's routes (the HTTP API, docs/api.md): health and readiness, Sign-In with Ethereum
// sessions, and the caller's roles from the index. Every answer is JSON; every failure an RFC
// 9457 problem. Thread-safe: the database connection it is given is used under a lock.
#pragma once

#include <chrono>
#include <medchain/api/http_server.hpp>
#include <medchain/store/index_store.hpp>
#include <medchain/store/node_store.hpp>
#include <mutex>

namespace medchain::api {

struct NodeApiConfig {
  std::string siwe_domain;  // the authority sign-in messages must name, e.g. "127.0.0.1:8080"
  std::uint64_t chain_id = 0;
  std::chrono::seconds nonce_lifetime{300};
  std::chrono::seconds session_idle{1'800};       // logged out after this long unused
  std::chrono::seconds session_lifetime{43'200};  // and after this long in any case
};

class NodeApi {
 public:
  // `index` and `node` share one database connection, used by this API alone.
  NodeApi(NodeApiConfig config, store::IndexStore& index, store::NodeStore& node)
      : config_(std::move(config)), index_(&index), node_(&node) {}

  Response handle(const Request& request);

  // Every route the API serves: what docs/api/openapi.yaml must describe, no more, no less.
  struct Route {
    const char* method;
    const char* path;
    Response (*serve)(NodeApi& api, const Request& request);
  };
  static const std::vector<Route>& routes();

  // Unix seconds; tests may move time.
  std::function<std::uint64_t()> clock = [] {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  };

 private:
  Response ready();
  Response issue_nonce();
  Response sign_in(const Request& request);
  Response sign_out(const Request& request);
  Response me(const Request& request);
  // The session of the request's bearer token, or the 401 problem to answer.
  Result<store::Session> authenticate(const Request& request);

  NodeApiConfig config_;
  store::IndexStore* index_;
  store::NodeStore* node_;
  std::mutex mutex_;  // guards the database connection
};

}  // namespace medchain::api
