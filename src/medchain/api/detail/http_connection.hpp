// One client connection of HttpServer (private to api/).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <medchain/api/detail/loop_stream.hpp>
#include <medchain/api/http_server.hpp>
#include <thread>

namespace medchain::api {

struct HttpServer::State {
  ServerOptions options;
  Handlers handlers;
  // One event loop per serving thread, run by that thread alone: a connection stays on the
  // loop it was accepted onto, so its steps never wait for a lock another thread holds or hop
  // from one thread to another. The acceptor is on the first loop.
  std::vector<std::unique_ptr<boost::asio::io_context>> loops;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  std::size_t next_loop = 0;  // the loop for the next connection (the acceptor's thread only)
  // Where the requests go whose handler may wait long (Handlers::waits).
  std::unique_ptr<boost::asio::thread_pool> workers;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::optional<boost::asio::ssl::context> tls;  // set when serving HTTPS
};

namespace detail {

// Reads requests from `socket` and answers them until the client goes away or keep-alive ends.
void serve_connection(LoopSocket socket, HttpServer::State& state);

}  // namespace detail
}  // namespace medchain::api
