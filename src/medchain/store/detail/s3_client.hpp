// Signed requests to one bucket of an S3-compatible object store, path-style
// (http://endpoint/bucket/key), over a small pool of keep-alive connections so that the node's
// request threads can each have one. Private to store/.
#pragma once

#include <chrono>
#include <medchain/chain/http_client.hpp>
#include <medchain/store/s3_credentials.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medchain::store::detail {

struct S3Call {
  S3Call(std::string method_, std::string key_,
         std::vector<std::pair<std::string, std::string>> query_ = {},
         std::vector<std::pair<std::string, std::string>> headers_ = {}, std::string body_ = {},
         std::string payload_hash_ = {}, std::chrono::milliseconds timeout_ = {})
      : method(std::move(method_)),
        key(std::move(key_)),
        query(std::move(query_)),
        headers(std::move(headers_)),
        body(std::move(body_)),
        payload_hash(std::move(payload_hash_)),
        timeout(timeout_) {}

  std::string method;
  std::string key;  // the object key; empty for the bucket itself
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // signed too
  std::string body;
  // The hex SHA-256 of `body`, signed as x-amz-content-sha256 so that the server rejects a
  // body changed in flight; computed here when empty.
  std::string payload_hash;
  // The deadline when not the client's request timeout: for the calls whose work on the server
  // grows with the blob (completing a multipart upload, the server-side copy).
  std::chrono::milliseconds timeout;
};

// The deadline of those calls: S3 may take minutes to assemble or copy gigabytes.
inline constexpr std::chrono::milliseconds kWholeObjectTimeout{10 * 60 * 1000};

class S3Client {
 public:
  S3Client(chain::HttpEndpoint endpoint, std::string bucket, std::string region,
           S3Credentials credentials, std::chrono::milliseconds request_timeout);

  // Sends a signed request and returns the response whatever its status; an error only when
  // no response came (kUnavailable, kTimeout, kProtocol from chain::HttpClient). Every call
  // has the client's request timeout as its deadline, unless the call names its own.
  Result<chain::HttpResponse> send(S3Call call) const;

  const std::string& bucket() const noexcept { return bucket_; }
  // The request path of a key, unencoded: "/bucket/key".
  std::string path_of(std::string_view key) const;
  std::string describe() const;  // "s3://bucket at http://host:port"

 private:
  std::unique_ptr<chain::HttpClient> take_connection() const;
  void give_back(std::unique_ptr<chain::HttpClient> connection) const;

  chain::HttpEndpoint endpoint_;
  std::string bucket_;
  std::string region_;
  S3Credentials credentials_;
  std::chrono::milliseconds request_timeout_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<chain::HttpClient>> idle_;
};

// The text of the first <tag>...</tag> in an XML answer, or "" (S3's answers are flat enough
// for this: UploadId, Code, Message).
std::string xml_text(std::string_view xml, std::string_view tag);

// An error for a response that is not the success the caller wanted: 404 is kNotFound, 403
// kPermissionDenied, 5xx kUnavailable, anything else kProtocol; the message names `what`, the
// status and S3's error code and message.
Error s3_failure(const chain::HttpResponse& response, std::string_view what);

}  // namespace medchain::store::detail
