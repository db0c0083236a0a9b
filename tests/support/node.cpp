#include "support/node.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <medchain/chain/intents.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <thread>

namespace medchain::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

void write_private_file(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace

Node::Node(Ledger& ledger, std::vector<std::string> extra_args) : ledger_(ledger) {
  dir_ = fs::temp_directory_path() / ("medchain-node-" + to_hex(random_hash()));
  fs::create_directories(dir_);
  if (!chain::write_deployment(dir_, ledger.deployment()).ok())
    throw std::runtime_error("cannot write deployment.json");
  const Party relayer = ledger.party(/*funded=*/true);
  write_private_file(dir_ / "relayer.key", to_hex(relayer.key.bytes));
  const auto port = pick_free_loopback_port();
  if (!port.ok()) throw std::runtime_error("no free port");
  authority_ = "127.0.0.1:" + std::to_string(*port);
  // Registered as a storage node operated by its relayer account, which anchors its audit log.
  node_id_ = random_hash();
  Party registrar = ledger.registrar();
  ledger.must_call(registrar, "registerStorageNode",
                   {bytes32(node_id_), relayer.address, "http://" + authority_});
  std::vector<std::string> argv{MEDCHAIN_NODE_PATH,
                                "--listen",
                                authority_,
                                "--rpc-url",
                                ledger.dev_chain().url(),
                                "--data-dir",
                                dir_.string(),
                                "--relayer-key-file",
                                (dir_ / "relayer.key").string(),
                                "--node-id",
                                to_hex(node_id_)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv_ = std::move(argv);
  http_ = std::make_unique<chain::HttpClient>(
      chain::HttpEndpoint::parse("http://" + authority_).value());
  start(dir_ / "node.log");
}

void Node::restart() {
  if (process_.stop() != 0) throw std::runtime_error("medchaind did not stop cleanly");
  start(dir_ / ("node-" + std::to_string(++restarts_) + ".log"));
}

void Node::crash() {
  process_.kill_hard();
  crashed_ = true;
}

void Node::start_again() {
  start(dir_ / ("node-" + std::to_string(++restarts_) + ".log"));
  crashed_ = false;
}

void Node::start(const fs::path& log) {
  auto spawned = ChildProcess::spawn(argv_, log);
  if (!spawned.ok()) throw std::runtime_error(spawned.error().message);
  process_ = std::move(*spawned);
  for (int i = 0; i < 300; ++i) {
    auto ready = http_->send({"GET", "/readyz", {}, "", ""}, 1s);
    if (ready.ok() && ready->status == 200) return;
    if (!process_.running()) throw std::runtime_error("medchaind exited; see its node.log");
    std::this_thread::sleep_for(50ms);
  }
  throw std::runtime_error("medchaind never became ready");
}

Node::~Node() {
  if (!crashed_) {
    EXPECT_EQ(process_.stop(), 0) << "medchaind did not stop cleanly";
  }
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

Reply Node::send(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& token, std::vector<std::pair<std::string, std::string>> headers,
                 const std::string& content_type) {
  chain::HttpRequest request{method, path, std::move(headers), body,
                             body.empty() ? "" : content_type};
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  auto response = http_->send(request, 30s);
  if (!response.ok()) return Reply{0, json(response.error().message), "", "", {}};
  if (!server_error_expected_) {
    EXPECT_LT(response->status, 500) << method << " " << path << ": " << response->body;
  }
  json parsed = response->content_type.find("json") != std::string::npos
                    ? json::parse(response->body, nullptr, false)
                    : json();
  return Reply{response->status, parsed.is_discarded() ? json() : parsed, response->content_type,
               response->body, *response};
}

Reply Node::get(const std::string& path, const std::string& token) {
  return send("GET", path, "", token);
}

Reply Node::get_failing(const std::string& path, const std::string& token) {
  server_error_expected_ = true;
  Reply reply = send("GET", path, "", token);
  server_error_expected_ = false;
  EXPECT_GE(reply.status, 500) << "GET " << path << ": " << reply.raw;
  return reply;
}

std::filesystem::path Node::blob_file(const Hash32& digest) const {
  const std::string name = to_hex(digest, false);
  return dir_ / "blobs" / "blobs" / name.substr(0, 2) / name.substr(2, 2) / name;
}

std::uint64_t Node::indexed_block() {
  const std::string metrics = get("/metrics").response.body;
  const auto at = metrics.find("\nmedchaind_indexed_block ");
  return at == std::string::npos ? 0 : std::stoull(metrics.substr(at + 25));
}

std::string Node::nonce() {
  const Reply reply = send("POST", "/v1/auth/nonce");
  EXPECT_EQ(reply.status, 201);
  return reply.body.value("nonce", "");
}

eth::SiweMessage Node::siwe_for(const Party& party, const std::string& nonce) const {
  eth::SiweMessage message;
  message.domain = authority_;
  message.address = party.address;
  message.statement = "Sign in to medchain.";
  message.uri = "http://" + authority_;
  message.chain_id = ledger_.chain_id();
  message.nonce = nonce;
  message.issued_at = eth::format_rfc3339(std::time(nullptr));
  return message;
}

Reply Node::sign_in(const eth::SiweMessage& message, const crypto::PrivateKey& key) {
  const std::string text = eth::format_siwe(message);
  const auto signature =
      eth::sign_personal_message(
          key, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()))
          .to_rsv();
  return send("POST", "/v1/auth/verify",
              json{{"message", text}, {"signature", to_hex(signature)}}.dump());
}

std::string Node::token_for(const Party& party) {
  const Reply reply = sign_in(siwe_for(party, nonce()), party.key);
  EXPECT_EQ(reply.status, 201) << reply.body.dump();
  return reply.body.value("token", "");
}

Reply Node::relay(const Party& signer, std::string_view function_name, json message) {
  const U256 nonce = ledger_.view("nonces", {signer.address})[0].word();
  const auto latest = ledger_.client().latest_block().value();
  message["nonce"] = to_decimal(nonce);
  message["deadline"] = std::to_string(latest->timestamp + 3600);
  const auto typed =
      chain::intent_typed_data(ledger_.medchain().abi(), ledger_.domain(), function_name, message)
          .value();
  const Hash32 digest = eth::eip712::signing_hash(typed).value();
  const auto signature = crypto::sign_hash(signer.key, digest).to_rsv();
  return send(
      "POST", "/v1/relay",
      json{{"function", function_name}, {"message", message}, {"signature", to_hex(signature)}}
          .dump());
}

Hash32 sha256_of(const std::string& content) {
  return crypto::sha256(
      ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
}

Reply Node::upload(const std::string& token, const Address& patient, std::string_view category,
                   const std::string& content) {
  const Hash32 digest = sha256_of(content);
  return send("POST", "/v1/blobs", content, token,
              {{"Medchain-Patient", to_hex(patient)},
               {"Medchain-Category", std::string(category)},
               {"Medchain-Digest", to_hex(digest)}},
              "application/octet-stream");
}

}  // namespace medchain::test
