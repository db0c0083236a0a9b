// HttpServer's threading: a handler that waits long (Handlers::waits) runs on a worker thread,
// so the event loop it came from keeps answering its other connections.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <medchain/api/http_server.hpp>
#include <medchain/chain/http_client.hpp>
#include <mutex>

namespace medchain::api {
namespace {

using namespace std::chrono_literals;

// A gate the slow handler waits at until the test opens it.
class Gate {
 public:
  void open() {
    const std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  bool wait_for(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return opened_.wait_for(lock, limit, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

Response text(std::string body) {
  Response response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class HttpServerTest : public testing::Test {
 protected:
  // One event loop: without the worker threads, a waiting handler would stall every request.
  void start(bool offload) {
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    Handlers handlers;
    handlers.respond = [this](const Request& request) {
      if (request.path != "/slow") return text("fast");
      return text(gate_.wait_for(10s) ? "slow" : "gate never opened");
    };
    if (offload) handlers.waits = [](const Request& head) { return head.path == "/slow"; };
    server_ = HttpServer::start(options, std::move(handlers)).value();
  }

  Result<chain::HttpResponse> get(const std::string& path, std::chrono::milliseconds limit) {
    chain::HttpClient client(
        chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(server_->port())).value());
    return client.send({"GET", path, {}, "", ""}, limit);
  }

  void TearDown() override {
    gate_.open();  // whatever the test did, the slow handler ends
    server_.reset();
  }

  Gate gate_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AWaitingHandlerDoesNotHoldUpItsLoop) {
  start(/*offload=*/true);
  auto slow = std::async(std::launch::async, [this] { return get("/slow", 10s); });
  std::this_thread::sleep_for(100ms);  // the slow request is in its handler by now
  const auto fast = get("/fast", 2s);
  ASSERT_TRUE(fast.ok()) << fast.error().message;
  EXPECT_EQ(fast->body, "fast");
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);  // still waiting at the gate

  gate_.open();
  const auto answered = slow.get();
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(answered->body, "slow");
}

// The control: the same waiting handler on the loop itself holds up the other request, which
// is what the worker threads are for.
TEST_F(HttpServerTest, OnTheLoopAWaitingHandlerWouldHoldUpTheOthers) {
  start(/*offload=*/false);
  auto slow = std::async(std::launch::async, [this] { return get("/slow", 10s); });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(get("/fast", 500ms).ok());
  gate_.open();
  ASSERT_TRUE(slow.get().ok());
}

}  // namespace
}  // namespace medchain::api
