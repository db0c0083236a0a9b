#include "s3_client.hpp"

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>

#include "sigv4.hpp"

namespace medchain::store::detail {
namespace {

// Connections kept open between requests; more concurrent requests open more, then close them.
constexpr std::size_t kMaxIdleConnections = 8;

}  // namespace

S3Client::S3Client(chain::HttpEndpoint endpoint, std::string bucket, std::string region,
                   S3Credentials credentials, std::chrono::milliseconds request_timeout)
    : endpoint_(std::move(endpoint)),
      bucket_(std::move(bucket)),
      region_(std::move(region)),
      credentials_(std::move(credentials)),
      request_timeout_(request_timeout) {}

std::string S3Client::path_of(std::string_view key) const {
  std::string path = endpoint_.target;
  while (!path.empty() && path.back() == '/') path.pop_back();
  path += "/" + bucket_;
  if (!key.empty()) path += "/" + std::string(key);
  return path;
}

std::string S3Client::describe() const {
  return "s3://" + bucket_ + " at http://" + endpoint_.host + ":" + endpoint_.port;
}

std::unique_ptr<chain::HttpClient> S3Client::take_connection() const {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return std::make_unique<chain::HttpClient>(endpoint_);
}

void S3Client::give_back(std::unique_ptr<chain::HttpClient> connection) const {
  std::lock_guard lock(pool_mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

Result<chain::HttpResponse> S3Client::send(S3Call call) const {
  if (call.payload_hash.empty())
    call.payload_hash = to_hex(crypto::sha256(as_bytes(call.body)), false);
  SigV4Request signing;
  signing.method = call.method;
  signing.path = path_of(call.key);
  signing.query = call.query;
  signing.payload_hash = call.payload_hash;
  signing.amz_date = sigv4_amz_date(std::chrono::system_clock::now());
  signing.region = region_;
  signing.headers = std::move(call.headers);
  // The Host header goes on the wire exactly as signed (with the port, as HTTP/1.1 wants it).
  signing.headers.emplace_back(
      "host", endpoint_.port == "80" ? endpoint_.host : endpoint_.host + ":" + endpoint_.port);
  signing.headers.emplace_back("x-amz-date", signing.amz_date);
  signing.headers.emplace_back("x-amz-content-sha256", signing.payload_hash);

  chain::HttpRequest request;
  request.method = call.method;
  request.target = sigv4_uri_encode(signing.path, true);
  const std::string query = sigv4_canonical_query(signing.query);
  if (!query.empty()) request.target += "?" + query;
  request.headers = signing.headers;
  request.headers.emplace_back("authorization", sigv4_authorization(signing, credentials_));
  request.body = std::move(call.body);

  auto connection = take_connection();
  auto response =
      connection->send(request, call.timeout.count() > 0 ? call.timeout : request_timeout_);
  if (response.ok()) give_back(std::move(connection));
  return response;
}

std::string xml_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return {};
  const auto end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return {};
  return std::string(xml.substr(start + open.size(), end - start - open.size()));
}

Error s3_failure(const chain::HttpResponse& response, std::string_view what) {
  const Errc code = response.status == 404   ? Errc::kNotFound
                    : response.status == 403 ? Errc::kPermissionDenied
                    : response.status >= 500 ? Errc::kUnavailable
                                             : Errc::kProtocol;
  std::string message =
      std::string(what) + ": object store answered HTTP " + std::to_string(response.status);
  const std::string s3_code = xml_text(response.body, "Code");
  if (!s3_code.empty()) message += " " + s3_code;
  const std::string s3_message = xml_text(response.body, "Message");
  if (!s3_message.empty()) message += " (" + s3_message + ")";
  return Error{code, message};
}

}  // namespace medchain::store::detail
