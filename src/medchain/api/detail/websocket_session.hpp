// A WebSocket connection of HttpServer after the upgrade (private to api/).
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <medchain/api/detail/loop_stream.hpp>
#include <medchain/api/http_server.hpp>

namespace medchain::api::detail {

// Completes the handshake for `upgrade` on `stream` and runs the connection: messages from
// the peer are read (and ignored; the feed is one-way) to notice when it goes away.
void run_websocket(LoopStream stream,
                   boost::beast::http::request<boost::beast::http::empty_body> upgrade,
                   WebSocketAccept accept);
void run_websocket(boost::beast::ssl_stream<LoopStream> stream,
                   boost::beast::http::request<boost::beast::http::empty_body> upgrade,
                   WebSocketAccept accept);

}  // namespace medchain::api::detail
