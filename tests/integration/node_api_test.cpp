// medchaind as a process against anvil: health, readiness, Sign-In with Ethereum (and every way
// a sign-in must fail), sessions, the caller's roles from the index, and problem+json for bad
// requests. The node must never answer 5xx here.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>
#include <thread>

#include "support/ledger.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  std::string content_type;
};

class NodeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.registered_patient(/*funded=*/false);
    dir_ = fs::temp_directory_path() / ("medchain-node-" + to_hex(random_hash()));
    fs::create_directories(dir_);
    ASSERT_TRUE(chain::write_deployment(dir_, ledger_.deployment()).ok());
    port_ = pick_free_loopback_port().value();
    authority_ = "127.0.0.1:" + std::to_string(port_);
    node_ = ChildProcess::spawn({MEDCHAIN_NODE_PATH, "--listen", authority_, "--rpc-url",
                                 ledger_.dev_chain().url(), "--data-dir", dir_.string()},
                                dir_ / "node.log")
                .value();
    http_ = std::make_unique<chain::HttpClient>(
        chain::HttpEndpoint::parse("http://" + authority_).value());
    // Ready once the index has caught up.
    for (int i = 0; i < 300; ++i) {
      if (get("/readyz").status == 200) return;
      ASSERT_TRUE(node_.running()) << "medchaind exited";
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "medchaind never became ready";
  }
  void TearDown() override {
    EXPECT_EQ(node_.stop(), 0);
    fs::remove_all(dir_);
  }

  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = "") {
    chain::HttpRequest request{method, path, {}, body, body.empty() ? "" : "application/json"};
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    auto response = http_->send(request, 10s);
    if (!response.ok()) return Reply{0, json(response.error().message), ""};
    json parsed = json::parse(response->body, nullptr, false);
    EXPECT_LT(response->status, 500) << method << " " << path << ": " << response->body;
    return Reply{response->status, parsed.is_discarded() ? json() : parsed, response->content_type};
  }
  Reply get(const std::string& path, const std::string& token = "") {
    return send("GET", path, "", token);
  }

  std::string nonce() {
    const Reply reply = send("POST", "/v1/auth/nonce");
    EXPECT_EQ(reply.status, 201);
    return reply.body.value("nonce", "");
  }

  eth::SiweMessage message_for(const Party& party, const std::string& nonce) {
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

  Reply sign_in(const eth::SiweMessage& message, const crypto::PrivateKey& key) {
    const std::string text = eth::format_siwe(message);
    const auto signature =
        eth::sign_personal_message(
            key, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()))
            .to_rsv();
    return send("POST", "/v1/auth/verify",
                json{{"message", text}, {"signature", to_hex(signature)}}.dump());
  }

  std::string token_for(const Party& party) {
    const Reply reply = sign_in(message_for(party, nonce()), party.key);
    EXPECT_EQ(reply.status, 201) << reply.body.dump();
    return reply.body.value("token", "");
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_;
  fs::path dir_;
  std::uint16_t port_ = 0;
  std::string authority_;
  ChildProcess node_;
  std::unique_ptr<chain::HttpClient> http_;
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
  EXPECT_EQ(get("/healthz").status, 200);  // still serving
  EXPECT_EQ(get("/no/such/route").status, 404);
  EXPECT_EQ(send("DELETE", "/v1/me").status, 405);
}

}  // namespace
}  // namespace medchain::test
