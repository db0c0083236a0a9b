// One client connection of HttpServer (private to api/).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <medchain/api/http_server.hpp>
#include <thread>

namespace medchain::api {

struct HttpServer::State {
  ServerOptions options;
  Handlers handlers;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::optional<boost::asio::ssl::context> tls;  // set when serving HTTPS
};

namespace detail {

// Reads requests from `socket` and answers them until the client goes away or keep-alive ends.
void serve_connection(boost::asio::ip::tcp::socket socket, HttpServer::State& state);

}  // namespace detail
}  // namespace medchain::api
