// Streaming HTTP transfers for blobs, in constant memory: the request body is pulled from a
// callback piece by piece, the response body pushed to one. Each network operation has its own
// deadline (an idle timeout), so a transfer of any size runs as long as it makes progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <medchain/chain/http_client.hpp>
#include <medchain/core/bytes.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace medchain::client {

// Fills the span with the next body bytes and returns how many it wrote; 0 only at the end.
using ReadFn = std::function<Result<std::size_t>(std::span<std::uint8_t>)>;
// Takes the next piece of a body; an Error stops the transfer.
using WriteFn = std::function<Status(ByteView)>;
// Bytes done so far and the total (0 when the total is not known), called after each piece.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Header fields to send after the body (a trailer), asked for once the body has been read.
using TrailerFn = std::function<std::vector<std::pair<std::string, std::string>>()>;

struct TransferOptions {
  std::chrono::milliseconds idle_timeout{30'000};  // per connect, write or read
  std::size_t piece_size = 256 * 1024;             // bytes held in memory at a time
};

// Sends `request` (its body ignored) with a body of exactly `size` bytes from `read`, on a
// connection of its own. With a `trailer`, the body goes chunked (RFC 9112 section 7.1) and
// the trailer's fields follow it (`request` should name them in a Trailer header); without,
// it has a Content-Length. Returns the node's answer, whose body is read into memory (answers to
// uploads are small). If the node refuses early and closes while the body is still being
// sent, its refusal is still returned. kInvalidArgument if `read` ends before `size` bytes
// or would go past them; kUnavailable / kTimeout for the network.
Result<chain::HttpResponse> send_streamed(const chain::HttpEndpoint& endpoint,
                                          const chain::HttpRequest& request, std::uint64_t size,
                                          const ReadFn& read, const ProgressFn& progress,
                                          const TransferOptions& options = {},
                                          const TrailerFn& trailer = {});

// Sends `request` on a connection of its own. A 2xx answer's body goes to `write` piece by
// piece (and the returned response has an empty body); any other answer is returned whole.
Result<chain::HttpResponse> receive_streamed(const chain::HttpEndpoint& endpoint,
                                             const chain::HttpRequest& request,
                                             const WriteFn& write, const ProgressFn& progress,
                                             const TransferOptions& options = {});

}  // namespace medchain::client
