#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <medchain/api/detail/websocket_session.hpp>

namespace medchain::api::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

// Messages queued beyond this mean the client is not reading: it is cut off.
constexpr std::size_t kMaxQueued = 1'024;

template <class NextLayer>
class WebSocketSession : public WebSocketPeer,
                         public std::enable_shared_from_this<WebSocketSession<NextLayer>> {
 public:
  WebSocketSession(NextLayer stream, WebSocketAccept accept)
      : ws_(std::move(stream)), accept_(std::move(accept)) {}
  ~WebSocketSession() override = default;

  void start(http::request<http::empty_body> upgrade) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, "medchaind");
    }));
    upgrade_ = std::move(upgrade);
    ws_.async_accept(upgrade_, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      if (self->accept_.on_open) self->accept_.on_open(self);
      self->read();
    });
  }

  void send(std::string text) override {
    boost::asio::post(ws_.get_executor(),
                      [self = this->shared_from_this(), text = std::move(text)]() mutable {
                        if (self->closed_) return;
                        if (self->queue_.size() >= kMaxQueued) return self->close_now();
                        self->queue_.push_back(std::move(text));
                        if (self->queue_.size() == 1) self->write_next();
                      });
  }

  void close() override {
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
  }

 private:
  void read() {
    ws_.async_read(incoming_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->gone();
      self->incoming_.consume(self->incoming_.size());
      self->read();
    });
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->gone();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->write_next();
                    });
  }

  void close_now() {
    if (closed_) return;
    ws_.async_close(websocket::close_code::policy_error,
                    [self = this->shared_from_this()](beast::error_code) { self->gone(); });
    closed_ = true;
  }

  // Runs on_close once, whichever way the connection ended.
  void gone() {
    closed_ = true;
    queue_.clear();
    if (!reported_gone_ && accept_.on_close) accept_.on_close();
    reported_gone_ = true;
  }

  websocket::stream<NextLayer> ws_;
  WebSocketAccept accept_;
  http::request<http::empty_body> upgrade_;
  beast::flat_buffer incoming_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  bool reported_gone_ = false;
};

}  // namespace

void run_websocket(LoopStream stream, http::request<http::empty_body> upgrade,
                   WebSocketAccept accept) {
  std::make_shared<WebSocketSession<LoopStream>>(std::move(stream), std::move(accept))
      ->start(std::move(upgrade));
}

void run_websocket(beast::ssl_stream<LoopStream> stream, http::request<http::empty_body> upgrade,
                   WebSocketAccept accept) {
  std::make_shared<WebSocketSession<beast::ssl_stream<LoopStream>>>(std::move(stream),
                                                                    std::move(accept))
      ->start(std::move(upgrade));
}

}  // namespace medchain::api::detail
