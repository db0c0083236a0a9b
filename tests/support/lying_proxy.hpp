// A node operator who lies: an HTTP proxy in front of medchaind that passes every request
// through and lets a test rewrite the answers (a swapped key, digest or sealed key), and counts
// the requests that would have written something. For the attack suite.
#pragma once

#include <functional>
#include <medchain/chain/http_client.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace medchain::test {

class LyingProxy {
 public:
  // Rewrites the upstream answer to `method target` in place.
  using Lie = std::function<void(const std::string& method, const std::string& target,
                                 chain::HttpResponse& answer)>;

  // Listens on a free loopback port and forwards to http://<upstream_authority>.
  explicit LyingProxy(std::string upstream_authority);
  ~LyingProxy();
  LyingProxy(const LyingProxy&) = delete;
  LyingProxy& operator=(const LyingProxy&) = delete;

  // From now on, answers pass through `lie` (replacing any earlier one); tell_truth() stops it.
  void lie(Lie lie);
  void tell_truth();

  // The requests forwarded so far other than GET and HEAD, as "METHOD target", and forgetting
  // them: what a client did to the node's state.
  std::vector<std::string> take_writes();

  std::string url() const;

 private:
  struct Server;
  Lie current_lie() const;
  void record(const std::string& method, const std::string& target);

  std::string upstream_;
  mutable std::mutex mutex_;
  Lie lie_;
  std::vector<std::string> writes_;
  std::unique_ptr<Server> server_;
};

}  // namespace medchain::test
