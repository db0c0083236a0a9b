// NodeClient: a C++ client of medchaind (docs/api.md), what `medchain` and any other C++
// program (tests, benchmarks) talk to a node with.
//
//   MEDCHAIN_TRY(auto node, NodeClient::connect("http://127.0.0.1:8080", {.abi = abi}));
//   MEDCHAIN_TRY(SignedIn session, node.sign_in(key));      // or node.set_token(saved)
//   MEDCHAIN_TRY(json me, node.get("/v1/me"));
//   MEDCHAIN_TRY(json mined, node.relay(key, "grantAccessBySig", {{"patient", ...}, ...}));
//
// Every refusal comes back as an Error whose code tells what happened (problem.hpp:
// kUnauthenticated, kPermissionDenied, kNotFound, kConflict, kTooLarge, kReverted,
// kUnavailable) and whose message carries the node's problem `detail` and `code`. Not
// thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <medchain/chain/contract_abi.hpp>
#include <medchain/chain/http_client.hpp>
#include <medchain/chain/intents.hpp>
#include <medchain/client/transfer.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace medchain::client {

using nlohmann::json;

// What GET /v1/node says about the node.
struct NodeInfo {
  std::uint64_t chain_id = 0;
  Address contract;
  Hash32 node_id;  // zero when the node is not registered on chain
  std::string siwe_domain;
  bool relays = false;
  std::uint64_t max_blob_bytes = 0;
};

// A session from sign_in.
struct SignedIn {
  std::string token;
  Address address;
  std::int64_t expires_at = 0;    // Unix seconds: the absolute end of the session
  std::int64_t idle_timeout = 0;  // seconds unused after which the node ends it
};

struct ClientOptions {
  // The contract's ABI, needed by relay() (the intents' EIP-712 types come from it).
  std::shared_ptr<const chain::ContractAbi> abi;
  // For JSON requests; a relay waits for mining and indexing, so it is generous.
  std::chrono::milliseconds request_timeout{60'000};
  TransferOptions transfer;
};

class NodeClient {
 public:
  // Parses `node_url` (http://host:port) and reads GET /v1/node. kInvalidArgument for a
  // malformed URL, kUnavailable / kTimeout when the node does not answer, kProtocol when what
  // answers is not a medchain node.
  static Result<NodeClient> connect(std::string_view node_url, ClientOptions options = {});

  NodeClient(NodeClient&&) noexcept;
  NodeClient& operator=(NodeClient&&) noexcept;
  ~NodeClient();

  const NodeInfo& info() const noexcept { return info_; }
  const std::string& url() const noexcept { return url_; }
  chain::IntentDomain domain() const { return {info_.chain_id, info_.contract}; }

  // Signs in with Sign-In with Ethereum: a nonce from the node, an EIP-4361 message for the
  // node's domain and chain, its EIP-191 signature with `key`. Keeps the token for later calls.
  Result<SignedIn> sign_in(const crypto::PrivateKey& key);
  // Ends the session on the node (POST /v1/auth/logout) and forgets the token.
  Status sign_out();
  // Uses a token saved from an earlier sign_in ("" to call without one).
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const noexcept { return token_; }

  // JSON requests with the session's token. `path` is the request target ("/v1/me",
  // "/v1/doctors?status=verified"); a 2xx body comes back parsed (null when empty).
  Result<json> get(std::string_view path);
  Result<json> post(std::string_view path, const json& body);
  Result<json> put(std::string_view path, const json& body);
  Result<json> del(std::string_view path);
  Result<json> send(std::string_view method, std::string_view path, const json* body);

  // Waits until the node's index holds chain block `block` (GET /readyz), as after a direct
  // call the node must see before it accepts what depends on it. kTimeout after `deadline`.
  Status wait_until_indexed(std::uint64_t block,
                            std::chrono::milliseconds deadline = std::chrono::seconds(15));

  // The account's next intent nonce (GET /v1/accounts/{address}/nonce).
  Result<U256> intent_nonce(const Address& account);

  // Relays `function_name` (a *BySig function) with `message`: fills in `nonce` (from the
  // node) and `deadline` (now + valid_for) unless the message has them, signs the EIP-712
  // typed data with `signer`, POSTs /v1/relay and returns the node's answer
  // ({"transactionHash", "blockNumber", "signer", "indexed"}). REQUIRES: options.abi was set
  // (else kInvalidArgument).
  Result<json> relay(const crypto::PrivateKey& signer, std::string_view function_name, json message,
                     std::chrono::seconds valid_for = std::chrono::hours(1));

  // Uploads a blob of `size` bytes produced by `read` (POST /v1/blobs), streamed in constant
  // memory. `digest` is the SHA-256 of the bytes, which the node checks (422 → kReverted on a
  // mismatch). Returns the node's answer ({"digest", "size", "patient", "category"}).
  Result<json> upload_blob(const Address& patient, std::string_view category, const Hash32& digest,
                           std::uint64_t size, const ReadFn& read, const ProgressFn& progress = {});
  // The same for a caller that learns the digest only by producing the bytes (encrypting as it
  // sends): `digest_after` is asked once `read` has ended, and the digest follows the body as
  // a trailer (Trailer: Medchain-Digest), so the bytes are produced once, not twice. With
  // `sign_category`, the category statement it makes for that digest follows it
  // (Medchain-Category-Signature; docs/format.md, "Category statements").
  using SignCategoryFn = std::function<Bytes(const Hash32& digest)>;
  Result<json> upload_blob_digest_after(const Address& patient, std::string_view category,
                                        std::uint64_t size, const ReadFn& read,
                                        const std::function<Hash32()>& digest_after,
                                        const ProgressFn& progress = {},
                                        const SignCategoryFn& sign_category = {});

  // Downloads the blob `digest` (GET /v1/blobs/{digest}) into `write`, streamed in constant
  // memory. The caller checks the digest (it knows which one the chain recorded).
  Status download_blob(const Hash32& digest, const WriteFn& write, const ProgressFn& progress = {});

 private:
  NodeClient(std::string url, chain::HttpEndpoint endpoint, ClientOptions options);
  chain::HttpRequest request(std::string_view method, std::string_view path) const;
  // POST /v1/blobs's head without its digest, and the streamed POST of a head and body.
  chain::HttpRequest blob_upload_head(const Address& patient, std::string_view category) const;
  Result<json> post_blob(const chain::HttpRequest& head, std::uint64_t size, const ReadFn& read,
                         const ProgressFn& progress, const TrailerFn& trailer);

  std::string url_;
  chain::HttpEndpoint endpoint_;
  ClientOptions options_;
  std::unique_ptr<chain::HttpClient> http_;
  NodeInfo info_;
  std::string token_;
};

}  // namespace medchain::client
