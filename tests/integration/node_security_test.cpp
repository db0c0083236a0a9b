// The node under hostile and clumsy clients, table-driven: every way in without a valid
// session is a 401, every reach into another party's records a 403, every malformed request a
// 4xx problem+json, and none of it a 5xx, a crash or a hang. Then the raw-socket cases: slow
// clients, truncated uploads and garbage on the wire.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <sstream>
#include <thread>

#include "support/feed_client.hpp"
#include "support/node.hpp"

namespace medchain::test {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::string token;  // "" for none
  int status;
  std::string body = "";
  Headers headers = {};
  std::string content_type = "application/json";
};

std::string checksum(const Address& address) {
  return eth::to_checksum(address);
}

class NodeSecurityTest : public ::testing::Test {
 protected:
  NodeSecurityTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    other_doctor_ = ledger_.verified_doctor(registrar_);
    alice_ = ledger_.registered_patient(/*funded=*/false);
    bob_ = ledger_.registered_patient(/*funded=*/false);
    node_ = std::make_unique<Node>(
        ledger_, std::vector<std::string>{"--read-timeout", "1", "--max-blob-bytes", "65536"});
    alice_token_ = node_->token_for(alice_);
    bob_token_ = node_->token_for(bob_);
    doctor_token_ = node_->token_for(doctor_);
    // Alice's lab result, on chain and on this node, with her key shared with herself.
    const Reply uploaded = node_->upload(alice_token_, alice_.address, "lab", alice_lab_);
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    const Reply added = node_->relay(alice_, "addRecordBySig",
                                     {{"patient", checksum(alice_.address)},
                                      {"recordId", to_hex(record_id_)},
                                      {"digest", to_hex(sha256_of(alice_lab_))},
                                      {"nodeId", to_hex(node_->node_id())},
                                      {"contentId", to_hex(sha256_of(alice_lab_))}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
    const json keys{{"keys", {{{"recipient", checksum(alice_.address)}, {"sealedKey", "0x01"}}}}};
    EXPECT_EQ(
        node_->send("PUT", record_path() + "/versions/1/keys", keys.dump(), alice_token_).status,
        200);
    // A session that has ended.
    logged_out_token_ = node_->token_for(bob_);
    EXPECT_EQ(node_->send("POST", "/v1/auth/logout", "", logged_out_token_).status, 204);
  }

  std::string record_path() const { return "/v1/records/" + to_hex(record_id_); }
  std::string blob_path() const { return "/v1/blobs/" + to_hex(sha256_of(alice_lab_)); }
  std::string alice() const { return checksum(alice_.address); }

  // Every route that needs a session, with valid parameters.
  std::vector<std::pair<std::string, std::string>> signed_in_routes() const {
    return {{"GET", "/v1/me"},
            {"POST", "/v1/auth/logout"},
            {"GET", "/v1/patients/" + alice()},
            {"GET", "/v1/doctors"},
            {"GET", "/v1/patients/" + alice() + "/records"},
            {"GET", record_path()},
            {"GET", blob_path()},
            {"PUT", record_path() + "/versions/1/keys"},
            {"GET", record_path() + "/versions/1/key"},
            {"GET", "/v1/patients/" + alice() + "/grants"},
            {"GET", "/v1/patients/" + alice() + "/requests"},
            {"GET", "/v1/patients/" + alice() + "/emergency"},
            {"GET", "/v1/doctors/" + checksum(doctor_.address) + "/grants"},
            {"GET", "/v1/doctors/" + checksum(doctor_.address) + "/requests"},
            {"GET", "/v1/audit"},
            {"GET", "/v1/audit/0/proof"},
            {"GET", "/v1/events"},
            {"POST", "/v1/blobs"}};
  }

  std::vector<Case> cases() const {
    std::vector<Case> all;
    // 1. No valid session: 401, whatever the route.
    for (const auto& [method, path] : signed_in_routes()) {
      all.push_back({"no token: " + method + " " + path, method, path, "", 401});
      all.push_back({"garbage token: " + path, method, path, "not-a-token", 401});
      all.push_back({"unknown token: " + path, method, path, std::string(64, 'a'), 401});
      all.push_back({"logged out: " + path, method, path, logged_out_token_, 401});
    }
    // 2. Another party's records: 403.
    const std::string bob = bob_token_;
    const std::string doctor = doctor_token_;
    const json bob_keys{{"keys", {{{"recipient", checksum(bob_.address)}, {"sealedKey", "0x01"}}}}};
    for (const auto& [who, token] : {std::pair{"bob", bob}, std::pair{"doctor", doctor}}) {
      const std::string prefix = std::string(who) + " reads alice's ";
      all.push_back({prefix + "blob", "GET", blob_path(), token, 403});
      all.push_back({prefix + "key", "GET", record_path() + "/versions/1/key", token, 403});
      all.push_back({prefix + "record", "GET", record_path(), token, 403});
      all.push_back({prefix + "grants", "GET", "/v1/patients/" + alice() + "/grants", token, 403});
      all.push_back(
          {prefix + "requests", "GET", "/v1/patients/" + alice() + "/requests", token, 403});
      all.push_back(
          {prefix + "emergency", "GET", "/v1/patients/" + alice() + "/emergency", token, 403});
      all.push_back({prefix + "audit trail", "GET", "/v1/audit?patient=" + alice(), token, 403});
      all.push_back({prefix + "audit proof", "GET", "/v1/audit/0/proof", token, 403});
      all.push_back({std::string(who) + " shares alice's key", "PUT",
                     record_path() + "/versions/1/keys", token, 403, bob_keys.dump()});
      all.push_back({std::string(who) + " uploads for alice",
                     "POST",
                     "/v1/blobs",
                     token,
                     403,
                     "ciphertext",
                     {{"Medchain-Patient", alice()},
                      {"Medchain-Category", "lab"},
                      {"Medchain-Digest", to_hex(sha256_of("ciphertext"))}},
                     "application/octet-stream"});
    }
    all.push_back({"a doctor's grants, by another doctor", "GET",
                   "/v1/doctors/" + checksum(other_doctor_.address) + "/grants", doctor, 403});
    all.push_back({"a doctor's requests, by a patient", "GET",
                   "/v1/doctors/" + checksum(doctor_.address) + "/requests", bob, 403});
    // 3. Malformed requests: 400 (or the status the case names).
    const std::string a = alice_token_;
    for (const std::string& bad :
         std::vector<std::string>{"0x1234", "alice", "0xZZ" + std::string(38, '0'), "%00"}) {
      all.push_back({"bad address " + bad, "GET", "/v1/patients/" + bad, a, 400});
      all.push_back(
          {"bad address in records " + bad, "GET", "/v1/patients/" + bad + "/records", a, 400});
      all.push_back({"bad hash " + bad, "GET", "/v1/blobs/" + bad, a, 400});
      all.push_back({"bad record id " + bad, "GET", "/v1/records/" + bad, a, 400});
    }
    for (const std::string version : {"0", "-1", "x", "99999999999"}) {
      all.push_back({"bad version " + version, "GET",
                     record_path() + "/versions/" + version + "/key", a, 400});
    }
    const std::string keys_path = record_path() + "/versions/1/keys";
    for (
        const std::string body :
        {"{not json", "[]", "{}", R"({"keys": []})", R"({"keys": [1]})",
         R"({"keys": [{"recipient": "0x12", "sealedKey": "0x01"}]})",
         R"({"keys": [{"recipient": "0x0000000000000000000000000000000000000001", "sealedKey": "zz"}]})",
         R"({"keys": [{"recipient": "0x0000000000000000000000000000000000000001", "sealedKey": "0x"}]})"}) {
      all.push_back({"bad keys body " + body, "PUT", keys_path, a, 400, body});
    }
    for (
        const std::string body :
        {"{not json", "{}", R"({"function": "grantAccessBySig"})",
         R"({"function": "setRegistrar", "message": {}, "signature": "0x00"})",
         R"({"function": "grantAccessBySig", "message": {}, "signature": "0xzz"})",
         R"({"function": "grantAccessBySig", "message": {"patient": "x"}, "signature": "0x00"})"}) {
      all.push_back({"bad relay body " + body, "POST", "/v1/relay", "", 400, body});
    }
    for (const std::string body : {"{not json", "{}", R"({"message": 1, "signature": 2})",
                                   R"({"message": "x", "signature": "0xzz"})"}) {
      all.push_back({"bad sign-in body " + body, "POST", "/v1/auth/verify", "", 400, body});
    }
    all.push_back({"bad signature sign-in", "POST", "/v1/auth/verify", "", 401,
                   R"({"message": "x", "signature": "0x00"})"});
    for (const std::string query :
         {"limit=0", "limit=abc", "limit=100000", "from=-1", "patient=0x12"}) {
      all.push_back({"bad audit query " + query, "GET", "/v1/audit?" + query, a, 400});
    }
    all.push_back({"bad doctor status", "GET", "/v1/doctors?status=bogus", a, 400});
    all.push_back(
        {"unsatisfiable range", "GET", blob_path(), a, 416, "", {{"Range", "bytes=5000-"}}});
    const auto upload = [&](const std::string& name, Headers headers, int status,
                            const std::string& body = "ciphertext") {
      all.push_back({name, "POST", "/v1/blobs", a, status, body, std::move(headers),
                     "application/octet-stream"});
    };
    const std::string digest = to_hex(sha256_of("ciphertext"));
    upload("upload without headers", {}, 400);
    upload("upload with a bad category",
           {{"Medchain-Patient", alice()},
            {"Medchain-Category", "x-ray"},
            {"Medchain-Digest", digest}},
           400);
    upload(
        "upload with a category out of range",
        {{"Medchain-Patient", alice()}, {"Medchain-Category", "12"}, {"Medchain-Digest", digest}},
        400);
    upload(
        "upload with a bad digest",
        {{"Medchain-Patient", alice()}, {"Medchain-Category", "lab"}, {"Medchain-Digest", "0x12"}},
        400);
    upload("upload for an unregistered patient",
           {{"Medchain-Patient", checksum(registrar_.address)},
            {"Medchain-Category", "lab"},
            {"Medchain-Digest", digest}},
           400);
    upload("upload whose bytes do not match",
           {{"Medchain-Patient", alice()},
            {"Medchain-Category", "lab"},
            {"Medchain-Digest", to_hex(random_hash())}},
           422);
    upload("upload announcing a digest trailer without a chunked body",
           {{"Medchain-Patient", alice()}, {"Medchain-Category", "lab"}, {"Trailer", "Medchain-Digest"}},
           400);
    upload(
        "upload over the limit",
        {{"Medchain-Patient", alice()}, {"Medchain-Category", "lab"}, {"Medchain-Digest", digest}},
        413, std::string(70'000, 'x'));
    // 4. Routing.
    all.push_back({"unknown route", "GET", "/v1/nothing", a, 404});
    all.push_back({"wrong method", "DELETE", "/v1/me", a, 405});
    all.push_back({"feed without upgrade", "GET", "/v1/events", a, 426});
    all.push_back({"unknown record", "GET", "/v1/records/" + to_hex(random_hash()), a, 404});
    all.push_back({"unknown blob", "GET", "/v1/blobs/" + to_hex(random_hash()), a, 404});
    return all;
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, other_doctor_, alice_, bob_;
  std::unique_ptr<Node> node_;
  std::string alice_token_, bob_token_, doctor_token_, logged_out_token_;
  const std::string alice_lab_ = "alice's lab result, encrypted";
  const Hash32 record_id_ = random_hash();
};

TEST_F(NodeSecurityTest, EveryHostileOrMalformedRequestGetsItsProblem) {
  const std::vector<Case> all = cases();
  EXPECT_GE(all.size(), 100u);
  for (const Case& c : all) {
    const Reply reply = node_->send(c.method, c.path, c.body, c.token, c.headers, c.content_type);
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.raw;
    EXPECT_EQ(reply.content_type, "application/problem+json") << c.name;
    EXPECT_TRUE(reply.body.contains("code")) << c.name;
  }
  // Nothing of it changed what alice's own session sees, or the audit chain's integrity.
  EXPECT_EQ(node_->get(blob_path(), alice_token_).raw, alice_lab_);
  EXPECT_EQ(node_->get("/healthz").status, 200);
}

// Raw TCP to the node: the cases an HTTP client library would not produce.
class RawClient {
 public:
  explicit RawClient(const std::string& authority) : socket_(io_) {
    const auto colon = authority.rfind(':');
    boost::asio::ip::tcp::resolver resolver(io_);
    boost::asio::connect(socket_,
                         resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
  }
  void write(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  // Everything the server sends until it closes the connection.
  std::string read_all() {
    std::string out;
    boost::system::error_code ec;
    std::array<char, 4096> buffer;
    for (;;) {
      const std::size_t n = socket_.read_some(boost::asio::buffer(buffer), ec);
      if (ec) return out;
      out.append(buffer.data(), n);
    }
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

TEST_F(NodeSecurityTest, SlowTruncatedAndGarbledConnectionsAreCutOffCleanly) {
  {  // A client that stops half-way through its headers is cut off after the read timeout.
    RawClient slow(node_->authority());
    slow.write("GET /v1/me HTTP/1.1\r\nHost: x\r\n");
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(slow.read_all(), "");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  }
  {  // An upload that ends early stores nothing.
    const std::string content(10'000, 'z');
    RawClient truncated(node_->authority());
    truncated.write("POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice_token_ +
                    "\r\nMedchain-Patient: " + alice() +
                    "\r\nMedchain-Category: lab\r\nMedchain-Digest: " + to_hex(sha256_of(content)) +
                    "\r\nContent-Length: 10000\r\n\r\n" + content.substr(0, 100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(
      node_->get("/v1/blobs/" + to_hex(sha256_of(std::string(10'000, 'z'))), alice_token_).status,
      404);
  {  // Not HTTP at all.
    RawClient garbage(node_->authority());
    garbage.write("\x16\x03\x01 this is not http\r\n\r\n");
    EXPECT_NE(garbage.read_all().find("400"), std::string::npos);
  }
  {  // Headers beyond the limit.
    RawClient huge(node_->authority());
    huge.write("GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
               "\r\n\r\n");
    const std::string answer = huge.read_all();
    EXPECT_NE(answer.find("HTTP/1.1 4"), std::string::npos) << answer.substr(0, 200);
  }
  EXPECT_EQ(node_->get("/healthz").status, 200);  // still serving
  EXPECT_TRUE(node_->process().running());
}

// A chunked upload whose digest follows the body as a trailer (Trailer: Medchain-Digest): what
// a client that encrypts as it sends does. Returns the whole answer (the node closes after it).
std::string chunked_upload(const std::string& authority, const std::string& token,
                           const std::string& patient, const std::string& content,
                           const std::string& trailer, const std::string& extra_headers = "") {
  RawClient client(authority);
  const std::string first = content.substr(0, content.size() / 2);
  const std::string second = content.substr(content.size() / 2);
  const auto chunk = [](const std::string& bytes) {
    std::ostringstream size;
    size << std::hex << bytes.size();
    return size.str() + "\r\n" + bytes + "\r\n";
  };
  client.write("POST /v1/blobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
               token + "\r\nMedchain-Patient: " + patient +
               "\r\nMedchain-Category: imaging\r\nContent-Type: application/octet-stream\r\n" +
               extra_headers + "Trailer: Medchain-Digest\r\nTransfer-Encoding: chunked\r\n\r\n" +
               chunk(first) + chunk(second) + "0\r\n" + trailer + "\r\n");
  return client.read_all();
}

TEST_F(NodeSecurityTest, ADigestInTheTrailerIsCheckedLikeOneInTheHead) {
  const std::string content = "an image, encrypted, whose digest came last";
  const std::string digest = to_hex(sha256_of(content));
  const std::string path = "/v1/blobs/" + digest;

  // Wrong, missing, malformed or doubly declared: refused, and nothing is stored.
  const std::string wrong = chunked_upload(node_->authority(), alice_token_, alice(), content,
                                           "Medchain-Digest: " + to_hex(random_hash()) + "\r\n");
  EXPECT_NE(wrong.find("HTTP/1.1 422"), std::string::npos) << wrong;
  EXPECT_NE(wrong.find("digest_mismatch"), std::string::npos) << wrong;
  const std::string missing = chunked_upload(node_->authority(), alice_token_, alice(), content, "");
  EXPECT_NE(missing.find("HTTP/1.1 400"), std::string::npos) << missing;
  const std::string malformed = chunked_upload(node_->authority(), alice_token_, alice(), content,
                                               "Medchain-Digest: 0x1234\r\n");
  EXPECT_NE(malformed.find("HTTP/1.1 400"), std::string::npos) << malformed;
  const std::string twice =
      chunked_upload(node_->authority(), alice_token_, alice(), content,
                     "Medchain-Digest: " + digest + "\r\n", "Medchain-Digest: " + digest + "\r\n");
  EXPECT_NE(twice.find("HTTP/1.1 400"), std::string::npos) << twice;
  EXPECT_EQ(node_->get(path, alice_token_).status, 404);

  // A doctor without an append grant is refused before the body, and the denial is audited.
  const std::string refused = chunked_upload(node_->authority(), doctor_token_, alice(), content,
                                             "Medchain-Digest: " + digest + "\r\n");
  EXPECT_NE(refused.find("HTTP/1.1 403"), std::string::npos) << refused;

  // Right: stored, and served byte for byte.
  const std::string stored = chunked_upload(node_->authority(), alice_token_, alice(), content,
                                            "Medchain-Digest: " + digest + "\r\n");
  EXPECT_NE(stored.find("HTTP/1.1 201"), std::string::npos) << stored;
  EXPECT_NE(stored.find(digest), std::string::npos) << stored;
  EXPECT_EQ(node_->get(path, alice_token_).raw, content);

  // The same bytes for another patient: the first upload decided whose they are.
  const std::string conflict = chunked_upload(node_->authority(), bob_token_, checksum(bob_.address),
                                              content, "Medchain-Digest: " + digest + "\r\n");
  EXPECT_NE(conflict.find("HTTP/1.1 409"), std::string::npos) << conflict;
  EXPECT_EQ(node_->get(path, bob_token_).status, 403);
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// A guardian (or a version's author) may share a key with a new reader, but not replace a key
// already shared: the patient's own copy, swapped, would open nothing, or a key of the sharer's
// choosing. The patient may replace any; every sharing, allowed or refused, is in the audit log.
TEST_F(NodeSecurityTest, OnlyThePatientReplacesAKeyAlreadyShared) {
  const Reply appointed =
      node_->relay(alice_, "addGuardianBySig", {{"patient", alice()}, {"guardian", checksum(bob_.address)}});
  ASSERT_EQ(appointed.status, 200) << appointed.body.dump();
  const std::string keys_path = record_path() + "/versions/1/keys";
  const auto share = [&](const std::string& token, const Address& recipient,
                         const std::string& sealed) {
    const json body{{"keys", {{{"recipient", checksum(recipient)}, {"sealedKey", sealed}}}}};
    return node_->send("PUT", keys_path, body.dump(), token);
  };
  // The index sees the guardian a moment after the relay's receipt.
  Reply added = share(bob_token_, doctor_.address, "0x02");
  for (int i = 0; i < 50 && added.status == 403; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    added = share(bob_token_, doctor_.address, "0x02");
  }
  EXPECT_EQ(added.status, 200) << added.body.dump();  // a new reader: sharing

  int refused = 0;
  for (const auto& [recipient, sealed] :
       {std::pair{alice_.address, "0x66"}, std::pair{doctor_.address, "0x67"}}) {
    const Reply replaced = share(bob_token_, recipient, sealed);
    EXPECT_EQ(replaced.status, 409) << replaced.body.dump();
    EXPECT_EQ(replaced.body["code"], "key_exists");
    ++refused;
  }
  EXPECT_EQ(share(bob_token_, alice_.address, "0x01").status, 200);  // the same bytes again
  const Reply own = node_->get(record_path() + "/versions/1/key", alice_token_);
  EXPECT_EQ(own.body["sealedKey"], "0x01") << "the patient's copy is untouched";

  EXPECT_EQ(share(alice_token_, doctor_.address, "0x03").status, 200);  // the patient may

  const Reply audit = node_->get("/v1/audit?patient=" + alice() + "&limit=1000", alice_token_);
  ASSERT_EQ(audit.status, 200);
  int shares_allowed = 0;
  int shares_refused = 0;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] != "key.share") continue;
    (entry["allowed"].get<bool>() ? shares_allowed : shares_refused)++;
  }
  EXPECT_EQ(shares_refused, refused);
  // Alice's own first share (the fixture), Bob's new reader and same bytes, Alice's replacement.
  EXPECT_EQ(shares_allowed, 4);
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// A logout ends the session's real-time feed within a second, not only its later requests; the
// other sessions' feeds stay open.
TEST_F(NodeSecurityTest, ALogoutClosesTheSessionsFeedWithinASecond) {
  const std::string leaving = node_->token_for(alice_);
  FeedClient ending(node_->authority(), leaving);
  FeedClient staying(node_->authority(), alice_token_);
  EXPECT_FALSE(ending.wait_closed(std::chrono::milliseconds(300)));  // open while signed in
  ASSERT_EQ(node_->send("POST", "/v1/auth/logout", "", leaving).status, 204);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(ending.wait_closed(std::chrono::seconds(1)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_FALSE(staying.wait_closed(std::chrono::milliseconds(300)));
  // And the token cannot open a new one.
  EXPECT_THROW(FeedClient(node_->authority(), leaving), std::exception);
}

}  // namespace
}  // namespace medchain::test

namespace medchain::test {
namespace {

// A guardian reads the ward's blob and their own sealed key while a guardian on chain, and is
// refused both once removed (issue #16); each read and each refusal is in the patient's audit log.
TEST_F(NodeSecurityTest, AGuardianReadsTheWardsRecordsUntilRemovedAndEachReadIsAudited) {
  const std::string key_path = record_path() + "/versions/1/key";
  const auto wait_for_blob_status = [&](int status) {
    Reply read = node_->get(blob_path(), bob_token_);
    // The index sees a guardian added or removed a moment after the relay's receipt.
    for (int i = 0; i < 50 && read.status != status; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      read = node_->get(blob_path(), bob_token_);
    }
    return read;
  };
  const auto change_guardian = [&](const char* function) {
    return node_->relay(alice_, function,
                        {{"patient", alice()}, {"guardian", checksum(bob_.address)}});
  };
  ASSERT_EQ(node_->get(blob_path(), bob_token_).status, 403);  // not a guardian yet

  ASSERT_EQ(change_guardian("addGuardianBySig").status, 200);
  const Reply blob = wait_for_blob_status(200);
  ASSERT_EQ(blob.status, 200) << blob.body.dump();
  EXPECT_EQ(blob.raw, alice_lab_);
  const json keys{{"keys", {{{"recipient", checksum(bob_.address)}, {"sealedKey", "0x05"}}}}};
  ASSERT_EQ(
      node_->send("PUT", record_path() + "/versions/1/keys", keys.dump(), alice_token_).status,
      200);
  const Reply key = node_->get(key_path, bob_token_);
  ASSERT_EQ(key.status, 200) << key.body.dump();
  EXPECT_EQ(key.body["sealedKey"], "0x05");

  ASSERT_EQ(change_guardian("removeGuardianBySig").status, 200);
  const Reply refused_blob = wait_for_blob_status(403);
  EXPECT_EQ(refused_blob.status, 403) << refused_blob.body.dump();
  EXPECT_EQ(refused_blob.content_type, "application/problem+json");
  const Reply refused_key = node_->get(key_path, bob_token_);
  EXPECT_EQ(refused_key.status, 403) << refused_key.body.dump();
  EXPECT_EQ(node_->get(record_path(), bob_token_).status, 403);

  const Reply audit = node_->get("/v1/audit?patient=" + alice() + "&limit=1000", alice_token_);
  ASSERT_EQ(audit.status, 200);
  std::map<std::pair<std::string, bool>, int> by_bob;  // (action, allowed) -> count
  for (const json& entry : audit.body["entries"]) {
    if (entry["actor"] != checksum(bob_.address)) continue;
    ++by_bob[{entry["action"].get<std::string>(), entry["allowed"].get<bool>()}];
  }
  EXPECT_GE((by_bob[{"blob.read", true}]), 1);
  EXPECT_GE((by_bob[{"blob.read", false}]), 2);  // before the add, and after the removal
  EXPECT_EQ((by_bob[{"key.read", true}]), 1);
  EXPECT_EQ((by_bob[{"key.read", false}]), 1);
}

}  // namespace
}  // namespace medchain::test
