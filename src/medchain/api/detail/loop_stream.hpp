// The socket and stream types of a connection (private to api/). Each is bound to the concrete
// executor of the event loop the connection lives on: Asio's default, the type-erased
// any_io_executor, is copied and compared by every operation, which showed in the profile.
#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>

namespace medchain::api::detail {

using LoopExecutor = boost::asio::io_context::executor_type;
using LoopSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, LoopExecutor>;
using LoopStream = boost::beast::basic_stream<boost::asio::ip::tcp, LoopExecutor>;

}  // namespace medchain::api::detail
