// medchaind as a process against anvil: health, readiness, Sign-In with Ethereum (and every way
// a sign-in must fail), sessions, the caller's roles from the index, and problem+json for bad
// requests. The node must never answer 5xx here.
#include <gtest/gtest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>
#include <thread>

#include "support/api_description.hpp"
#include "support/node.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

class NodeApiTest : public ::testing::Test {
 protected:
  NodeApiTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.registered_patient(/*funded=*/false);
    node_ = std::make_unique<Node>(ledger_);
  }

  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = "") {
    return node_->send(method, path, body, token);
  }
  Reply get(const std::string& path, const std::string& token = "") {
    return node_->get(path, token);
  }
  std::string nonce() { return node_->nonce(); }
  eth::SiweMessage message_for(const Party& party, const std::string& nonce) {
    return node_->siwe_for(party, nonce);
  }
  Reply sign_in(const eth::SiweMessage& message, const crypto::PrivateKey& key) {
    return node_->sign_in(message, key);
  }
  std::string token_for(const Party& party) { return node_->token_for(party); }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeApiTest, SignedInCallersSeeTheirRolesFromTheIndex) {
  EXPECT_EQ(get("/healthz").body["status"], "ok");
  const Reply patient = get("/v1/me", token_for(patient_));
  ASSERT_EQ(patient.status, 200) << patient.body.dump();
  EXPECT_EQ(patient.body["address"], eth::to_checksum(patient_.address));
  EXPECT_EQ(patient.body["patient"], true);
  EXPECT_TRUE(patient.body["doctor"].is_null());
  const Reply doctor = get("/v1/me", token_for(doctor_));
  EXPECT_EQ(doctor.body["doctor"], "verified");
  EXPECT_EQ(doctor.body["patient"], false);
  EXPECT_EQ(get("/v1/me", token_for(registrar_)).body["registrar"], true);
}

TEST_F(NodeApiTest, ADoctorsOwnNewKeyIsWhatTheNodeServes) {
  const std::string token = token_for(patient_);
  const std::string doctor = eth::to_checksum(doctor_.address);
  const auto served_key = [&] {
    const Reply doctors = get("/v1/doctors", token);
    EXPECT_EQ(doctors.status, 200) << doctors.body.dump();
    for (const json& row : doctors.body["doctors"]) {
      if (row["address"] == doctor) return row["encryptionKey"].get<std::string>();
    }
    return std::string("none");
  };
  const std::string fresh = to_hex(random_hash());
  EXPECT_NE(served_key(), fresh);
  const Reply rotated =
      node_->relay(doctor_, "setDoctorKeyBySig", {{"doctor", doctor}, {"encryptionKey", fresh}});
  ASSERT_EQ(rotated.status, 200) << rotated.body.dump();
  ASSERT_EQ(rotated.body["indexed"], true);
  EXPECT_EQ(served_key(), fresh) << "records would be sealed to the old key";
  EXPECT_EQ(get("/v1/me", token_for(doctor_)).body["doctor"], "verified");
}

TEST_F(NodeApiTest, EveryBadSignInIsRefusedWith401) {
  const std::string good_nonce = nonce();
  struct Case {
    const char* name;
    std::function<void(eth::SiweMessage&)> change;
    bool other_key;
  };
  const Case cases[] = {
      {"wrong domain", [](eth::SiweMessage& m) { m.domain = "evil.example"; }, false},
      {"wrong chain", [](eth::SiweMessage& m) { m.chain_id = 1; }, false},
      {"unknown nonce", [](eth::SiweMessage& m) { m.nonce = "abcdefgh12345678"; }, false},
      {"expired",
       [](eth::SiweMessage& m) {
         m.expiration_time = eth::format_rfc3339(std::time(nullptr) - 60);
       },
       false},
      {"issued in the future",
       [](eth::SiweMessage& m) { m.issued_at = eth::format_rfc3339(std::time(nullptr) + 3600); },
       false},
      {"not yet valid",
       [](eth::SiweMessage& m) { m.not_before = eth::format_rfc3339(std::time(nullptr) + 3600); },
       false},
      {"signed by someone else", [](eth::SiweMessage&) {}, true},
  };
  for (const Case& c : cases) {
    eth::SiweMessage message = message_for(patient_, good_nonce);
    c.change(message);
    const Reply reply = sign_in(message, c.other_key ? doctor_.key : patient_.key);
    EXPECT_EQ(reply.status, 401) << c.name << ": " << reply.body.dump();
    EXPECT_EQ(reply.content_type, "application/problem+json") << c.name;
    EXPECT_EQ(reply.body["code"], "unauthenticated") << c.name;
  }
  // None of those burnt the nonce; the good message takes it, and only once.
  const eth::SiweMessage good = message_for(patient_, good_nonce);
  EXPECT_EQ(sign_in(good, patient_.key).status, 201);
  EXPECT_EQ(sign_in(good, patient_.key).status, 401);  // replay
}

TEST_F(NodeApiTest, SessionsEndAtLogoutAndBadTokensAreRefused) {
  const std::string token = token_for(patient_);
  EXPECT_EQ(get("/v1/me", token).status, 200);
  EXPECT_EQ(send("POST", "/v1/auth/logout", "", token).status, 204);
  EXPECT_EQ(get("/v1/me", token).status, 401);
  EXPECT_EQ(get("/v1/me").status, 401);
  EXPECT_EQ(get("/v1/me", "nothex").status, 401);
  EXPECT_EQ(get("/v1/me", std::string(64, 'a')).status, 401);
}

TEST_F(NodeApiTest, BadRequestsGetProblemsNotCrashes) {
  const Reply not_json = send("POST", "/v1/auth/verify", "{not json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body["code"], "invalid_json");
  EXPECT_EQ(send("POST", "/v1/auth/verify", R"({"message": 1})").status, 400);
  EXPECT_EQ(send("POST", "/v1/auth/verify", R"({"message": "x", "signature": "0xzz"})").status,
            400);
  EXPECT_EQ(send("POST", "/v1/auth/verify", R"({"message": "x", "signature": "0x00"})").status,
            401);
  const Reply too_big = send("POST", "/v1/auth/verify", std::string(2 << 20, 'x'));
  EXPECT_TRUE(too_big.status == 413 || too_big.status == 0) << too_big.body.dump();
  EXPECT_EQ(get("/healthz").status, 200);           // still serving
  EXPECT_EQ(get("/v1/no/such/route").status, 404);  // outside /v1/ the web app may answer
  EXPECT_EQ(send("DELETE", "/v1/me").status, 405);
}

// A browser served by another node calls this one: a doctor's page at a custodian's node, and a
// page whose own node stopped answering (docs/api.md, "Other origins"). Every client route answers
// other origins (CORS, preflight included), refusals too so the page can read the problem; the
// peer API, for nodes only, and the probes do not.
TEST_F(NodeApiTest, EveryClientRouteAndNoPeerRouteAnswersOtherOrigins) {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  const Headers origin{{"Origin", "http://127.0.0.1:1"}};
  const auto allowed = [](const Reply& reply) {
    return reply.response.header("Access-Control-Allow-Origin");
  };
  const std::string partials =
      "/v1/patients/" + eth::to_checksum(patient_.address) + "/escrow-partials";
  const Reply preflight =
      node_->send("OPTIONS", partials, "", "",
                  {{"Origin", "http://127.0.0.1:1"},
                   {"Access-Control-Request-Method", "POST"},
                   {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(allowed(preflight), "*");
  EXPECT_EQ(preflight.response.header("Access-Control-Allow-Methods"), "POST");
  EXPECT_EQ(preflight.response.header("Access-Control-Allow-Headers"),
            "Authorization, Content-Type, Medchain-Patient, Medchain-Category, Medchain-Digest, "
            "Medchain-Category-Signature");
  const Reply nonce = node_->send("POST", "/v1/auth/nonce", "", "", origin);
  EXPECT_EQ(nonce.status, 201);
  EXPECT_EQ(allowed(nonce), "*");
  const Reply info = node_->send("GET", "/v1/node", "", "", origin);
  EXPECT_EQ(allowed(info), "*");
  EXPECT_TRUE(info.body["storageNodes"].is_array()) << info.body.dump();
  const Reply refused = node_->send("POST", partials, "{}", token_for(patient_), origin);
  EXPECT_GE(refused.status, 400) << refused.body.dump();
  EXPECT_EQ(allowed(refused), "*");

  // A page whose node is down reads the patient's own data here.
  const Reply me = node_->send("GET", "/v1/me", "", token_for(patient_), origin);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(allowed(me), "*");
  const Reply blob_preflight =
      node_->send("OPTIONS", "/v1/blobs", "", "",
                  {{"Origin", "http://127.0.0.1:1"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(blob_preflight.status, 204);
  // A preflight names the method it asks for: another is not allowed.
  const Reply wrong_method =
      node_->send("OPTIONS", "/v1/me", "", "",
                  {{"Origin", "http://127.0.0.1:1"}, {"Access-Control-Request-Method", "DELETE"}});
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(allowed(wrong_method), "");
  // No Origin: not a cross-origin call.
  EXPECT_EQ(allowed(node_->send("POST", "/v1/auth/nonce")), "");
  // The peer API and the probes answer no page of another origin.
  const std::string peer_blob = "/v1/peer/blobs/0x" + std::string(64, '1');
  const Reply peer =
      node_->send("OPTIONS", peer_blob, "", "",
                  {{"Origin", "http://127.0.0.1:1"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(peer.status, 405);
  EXPECT_EQ(allowed(node_->send("GET", peer_blob, "", "", origin)), "");
  EXPECT_EQ(allowed(node_->send("GET", "/healthz", "", "", origin)), "");
}

// The API description names the routes open to other origins, and it is right: a preflight for
// every described operation, its path parameters filled in, is answered (204) exactly for the
// operations marked `x-cross-origin: true`.
TEST_F(NodeApiTest, TheApiDescriptionMarksExactlyTheRoutesOpenToOtherOrigins) {
  const std::string hash = "0x" + std::string(64, '1');
  const std::map<std::string, std::string> fill{{"{address}", eth::to_checksum(patient_.address)},
                                                {"{recordId}", hash},
                                                {"{digest}", hash},
                                                {"{reasonHash}", hash},
                                                {"{version}", "1"},
                                                {"{seq}", "1"}};
  const auto operations = described_operations();
  ASSERT_GT(operations.size(), 20u);
  std::size_t marked = 0;
  for (const DescribedOperation& operation : operations) {
    std::string path = operation.path;
    for (const auto& [parameter, value] : fill) {
      for (auto at = path.find(parameter); at != std::string::npos; at = path.find(parameter)) {
        path.replace(at, parameter.size(), value);
      }
    }
    ASSERT_EQ(path.find('{'), std::string::npos) << "no value for a parameter of " << path;
    const Reply preflight = node_->send(
        "OPTIONS", path, "", "",
        {{"Origin", "http://127.0.0.1:1"}, {"Access-Control-Request-Method", operation.method}});
    EXPECT_EQ(preflight.status == 204, operation.cross_origin)
        << operation.method << " " << operation.path << ": preflight answered " << preflight.status;
    marked += operation.cross_origin ? 1 : 0;
  }
  EXPECT_EQ(marked, operations.size() - 5);  // all but the two peer routes and three probes
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// The relayer pays for every intent, whoever posts it: one signer's intents are limited, with or
// without a session, and another signer is not held up by them.
TEST(NodeOperations, RelayedIntentsAreLimitedPerSigner) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party busy = ledger.registered_patient(/*funded=*/false);
  const Party other = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--relay-rate-signer", "0.01"});  // a burst of one, then one per 100 s
  const auto policy = [](const Party& patient) {
    return nlohmann::json{{"patient", eth::to_checksum(patient.address)},
                          {"allowed", true},
                          {"maxWindow", 3600},
                          {"cooldown", 0}};
  };
  const Reply first = node.relay(busy, "setEmergencyPolicyBySig", policy(busy));
  EXPECT_EQ(first.status, 200) << first.body.dump();
  const Reply second = node.relay(busy, "setEmergencyPolicyBySig", policy(busy));
  EXPECT_EQ(second.status, 429) << second.body.dump();
  EXPECT_EQ(second.body["code"], "rate_limited");
  const Reply another = node.relay(other, "setEmergencyPolicyBySig", policy(other));
  EXPECT_EQ(another.status, 200) << another.body.dump();
}

TEST(NodeOperations, RateLimitsAnswer429AndMetricsCountEveryRoute) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party patient = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--rate-limit-address", "5", "--access-log"});
  const std::string token = node.token_for(patient);
  int limited = 0;
  for (int i = 0; i < 40; ++i) {
    const Reply reply = node.get("/v1/me", token);
    if (reply.status == 429) {
      ++limited;
      EXPECT_EQ(reply.body["code"], "rate_limited");
      EXPECT_EQ(reply.response.header("Retry-After"), "1");
    } else {
      EXPECT_EQ(reply.status, 200);
    }
  }
  EXPECT_GT(limited, 0) << "40 requests at once from an address limited to 5/s (burst 10)";
  EXPECT_LT(limited, 40);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(node.get("/healthz").status, 200);  // probes are free

  const Reply metrics = node.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.response.content_type.find("text/plain"), std::string::npos);
  const std::string& text = metrics.raw;
  EXPECT_NE(text.find("medchaind_http_requests_total{route=\"GET /v1/me\",status=\"429\"} " +
                      std::to_string(limited)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("medchaind_http_requests_total{route=\"GET /v1/me\",status=\"200\"} " +
                      std::to_string(40 - limited)),
            std::string::npos);
  EXPECT_NE(text.find("medchaind_http_request_duration_seconds_count{route=\"GET /healthz\"} 20"),
            std::string::npos);
  EXPECT_NE(text.find("medchaind_index_lag_blocks "), std::string::npos);
  EXPECT_NE(text.find("medchaind_relays_in_flight 0"), std::string::npos);

  // The access log: a JSON line per request, naming the route template and never the token.
  std::ifstream log_file(node.dir() / "node.log");
  std::string line;
  int logged_me = 0;
  while (std::getline(log_file, line)) {
    const nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    if (entry.is_discarded()) continue;  // the node's other messages
    EXPECT_EQ(line.find(token), std::string::npos);
    if (entry.value("route", "") == "GET /v1/me") ++logged_me;
  }
  EXPECT_EQ(logged_me, 40);
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// A web app build of two files in a fresh temporary directory: index.html and a hashed script.
std::filesystem::path make_web_root() {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("medchain-web-" + to_hex(random_hash()));
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<!doctype html><title>medchain</title>";
  std::ofstream(root / "assets/app-1234.js") << "console.log('medchain')";
  return root;
}

TEST(NodeOperations, ServesTheWebAppBesideTheApiAndNothingElse) {
  namespace fs = std::filesystem;
  const fs::path root = make_web_root();
  std::ofstream(root / ".env") << "SECRET=1";
  std::ofstream(root.parent_path() / "outside.txt") << "not yours";
  Ledger ledger(chain::DevChainKind::kAnvil);
  Node node(ledger, {"--web-root", root.string()});

  const Reply index = node.get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.raw, "<!doctype html><title>medchain</title>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.response.header("Cache-Control"), "no-cache");
  const Reply script = node.get("/assets/app-1234.js");
  EXPECT_EQ(script.raw, "console.log('medchain')");
  EXPECT_NE(script.response.header("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(node.get("/patients/0xabc").raw, index.raw);  // the app's own routes
  for (const char* refused : {"/.env", "/../outside.txt", "/assets/../../outside.txt",
                              "/missing.js", "/%2e%2e/outside.txt", "/v1/unknown"}) {
    const Reply reply = node.get(refused);
    EXPECT_EQ(reply.status, 404) << refused << ": " << reply.raw;
    EXPECT_EQ(reply.content_type, "application/problem+json") << refused;
  }
  EXPECT_EQ(node.get("/healthz").body["status"], "ok");  // the API is untouched
  fs::remove_all(root);
  fs::remove(root.parent_path() / "outside.txt");
}

// Every kind of answer carries the security headers: the app (a file), a script, the app's own
// routes, a JSON answer, a refusal for want of a session, a bad request, a 404 under /v1 and a
// traversal attempt. The policy allows no inline script and no framing.
TEST(NodeOperations, EveryAnswerCarriesTheSecurityHeaders) {
  const std::filesystem::path root = make_web_root();
  Ledger ledger(chain::DevChainKind::kAnvil);
  Node node(ledger, {"--web-root", root.string(), "--connect-src", "http://127.0.0.1:8545"});

  int checked = 0;
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/"},
           {"GET", "/assets/app-1234.js"},
           {"GET", "/patients/0xabc"},
           {"GET", "/healthz"},
           {"GET", "/v1/me"},
           {"POST", "/v1/auth/verify"},
           {"GET", "/v1/unknown"},
           {"GET", "/../etc/passwd"}}) {
    const Reply reply = node.send(method, path);
    ASSERT_NE(reply.status, 0) << path;
    const std::string policy = reply.response.header("Content-Security-Policy");
    EXPECT_NE(policy.find("script-src 'self' 'wasm-unsafe-eval';"), std::string::npos) << path;
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_NE(policy.find("object-src 'none'"), std::string::npos) << path;
    EXPECT_NE(policy.find("connect-src 'self' http://127.0.0.1:8545;"), std::string::npos) << path;
    EXPECT_EQ(reply.response.header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(reply.response.header("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(reply.response.header("Referrer-Policy"), "no-referrer") << path;
    ++checked;
  }
  EXPECT_EQ(checked, 8);
  std::filesystem::remove_all(root);
}

// An origin that would smuggle another directive into the policy is refused at start-up.
TEST(NodeOperations, AConnectSourceCannotAddADirective) {
  const ProcessResult result =
      run_process({MEDCHAIN_NODE_PATH, "--connect-src", "http://x; script-src *"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--connect-src takes one origin"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// A self-signed certificate for 127.0.0.1, made with the openssl command (scripts/setup).
void make_certificate(const std::filesystem::path& dir) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl is missing";
}

// One HTTPS GET, verifying the server against `ca` (its own self-signed certificate).
Result<std::string> https_get(std::uint16_t port, const std::filesystem::path& ca,
                              const std::string& target) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  try {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(ca.string());
    tls.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    beast::get_lowest_layer(stream).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream.handshake(asio::ssl::stream_base::client);
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return std::to_string(response.result_int()) + " " + response.body();
  } catch (const std::exception& e) {
    return Error{Errc::kUnavailable, e.what()};
  }
}

TEST(NodeOperations, ServesHttpsWithTheGivenCertificate) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("medchain-tls-" + to_hex(random_hash()));
  fs::create_directories(dir);
  make_certificate(dir);
  Ledger ledger(chain::DevChainKind::kAnvil);
  ASSERT_TRUE(chain::write_deployment(dir, ledger.deployment()).ok());
  const std::uint16_t port = pick_free_loopback_port().value();
  ChildProcess node =
      ChildProcess::spawn(
          {MEDCHAIN_NODE_PATH, "--listen", "127.0.0.1:" + std::to_string(port), "--rpc-url",
           ledger.dev_chain().url(), "--data-dir", dir.string(), "--tls-certificate",
           (dir / "cert.pem").string(), "--tls-key", (dir / "key.pem").string()},
          dir / "node.log")
          .value();
  Result<std::string> ready = Error{Errc::kUnavailable, "not tried"};
  for (int i = 0; i < 200; ++i) {
    ready = https_get(port, dir / "cert.pem", "/readyz");
    if (ready.ok() && ready->rfind("200", 0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(ready.ok()) << ready.error().message;
  EXPECT_EQ(ready->rfind("200", 0), 0u) << *ready;
  EXPECT_EQ(https_get(port, dir / "cert.pem", "/healthz").value(), "200 {\"status\":\"ok\"}");
  // Plain HTTP to the TLS port gets no HTTP answer, and the node goes on serving.
  chain::HttpClient plain(
      chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(port)).value());
  EXPECT_FALSE(plain.send({"GET", "/healthz", {}, "", ""}, std::chrono::seconds(3)).ok());
  EXPECT_TRUE(https_get(port, dir / "cert.pem", "/healthz").ok());
  EXPECT_EQ(node.stop(), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace medchain::test
