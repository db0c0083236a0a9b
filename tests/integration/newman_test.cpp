// The Postman collection docs/api/medchain.postman_collection.json, run by newman against a real
// anvil and medchaind. Postman's sandbox cannot sign secp256k1, so this harness builds the state
// the collection expects (a patient registered through the relay, a lab blob recorded on chain
// with its keys shared, a verified doctor granted lab read, the first audit entry anchored on
// chain), signs everyone in, signs the intents the collection relays, and hands it all to newman
// as variables. newman comes from npm
// (package.json, scripts/setup); the test fails, rather than skips, when it is missing.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <medchain/chain/intents.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category_statement.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/api_description.hpp"
#include "support/node.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::uint16_t kLab = 1 << 1;
constexpr std::uint16_t kImaging = 1 << 2;
constexpr std::uint8_t kRead = 1;

const fs::path kSource = MEDCHAIN_SOURCE_DIR;
const fs::path kCollection = kSource / "docs/api/medchain.postman_collection.json";
const fs::path kNewman = fs::path(MEDCHAIN_NODE_BIN_DIR) / "newman";

std::string read_all(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string address_text(const Address& address) {
  return eth::to_checksum(address);
}

// (method, path template) pairs of docs/api/openapi.yaml.
std::set<std::pair<std::string, std::string>> described_routes() {
  std::set<std::pair<std::string, std::string>> routes;
  for (const DescribedOperation& operation : described_operations()) {
    routes.emplace(operation.method, operation.path);
  }
  return routes;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream stream(path);
  for (std::string segment; std::getline(stream, segment, '/');) {
    if (!segment.empty()) out.push_back(segment);
  }
  return out;
}

// Whether a request path of the collection ("/v1/patients/{{patient}}/records") fits an OpenAPI
// path template ("/v1/patients/{address}/records").
bool fits(const std::string& request_path, const std::string& template_path) {
  const auto have = segments(request_path);
  const auto want = segments(template_path);
  if (have.size() != want.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool parameter = want[i].front() == '{' && want[i].back() == '}';
    if (!parameter && have[i] != want[i]) return false;
  }
  return true;
}

struct CollectionRequest {
  std::string name;
  std::string method;
  std::string path;      // without {{baseUrl}} and the query
  bool expects_success;  // its tests expect a 2xx status
};

void collect_requests(const json& items, std::vector<CollectionRequest>& out) {
  for (const json& item : items) {
    if (item.contains("item")) {
      collect_requests(item["item"], out);
      continue;
    }
    std::string raw = item["request"]["url"]["raw"].get<std::string>();
    static const std::string kBase = "{{baseUrl}}";
    if (raw.rfind(kBase, 0) == 0) raw.erase(0, kBase.size());
    raw = raw.substr(0, raw.find('?'));
    std::string tests;
    for (const json& event : item.value("event", json::array())) {
      if (event["listen"] != "test") continue;
      for (const json& line : event["script"]["exec"]) tests += line.get<std::string>() + "\n";
    }
    out.push_back({item["name"], item["request"]["method"], raw,
                   std::regex_search(tests, std::regex(R"(to\.have\.status\(2\d\d\))"))});
  }
}

TEST(NewmanCollection, ExercisesEveryDescribedRouteSuccessfully) {
  const json collection = json::parse(read_all(kCollection), nullptr, false);
  ASSERT_FALSE(collection.is_discarded()) << kCollection << " is not JSON";
  EXPECT_EQ(collection["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
  std::vector<CollectionRequest> requests;
  collect_requests(collection["item"], requests);
  const auto routes = described_routes();
  ASSERT_FALSE(routes.empty());
  // Signing in takes a secp256k1 signature, which Postman's sandbox cannot make: the harness
  // below signs in, and the collection checks only the refusals. newman cannot open a
  // WebSocket: node_story_test.cpp watches the feed.
  // The emergency escrow's successes take ristretto255 (dealing, wrapping), which the sandbox
  // lacks too: escrow_story_test.cpp drives them, and the collection checks the refusals.
  // A doctor's profile is a registrar's EIP-712 signature (secp256k1 again):
  // DoctorProfileApiTest and CliProfileTest store and read one.
  const std::set<std::pair<std::string, std::string>> refusals_only = {
      {"POST", "/v1/auth/verify"},
      {"GET", "/v1/events"},
      {"GET", "/v1/doctors/{address}/profile"},
      {"PUT", "/v1/doctors/{address}/profile"},
      {"GET", "/v1/patients/{address}/escrow-policy"},
      {"PUT", "/v1/patients/{address}/escrow-policy"},
      {"PUT", "/v1/patients/{address}/escrow-share"},
      {"POST", "/v1/patients/{address}/escrow-partials"},
      {"GET", "/v1/records/{recordId}/versions/{version}/escrow-key"},
      {"PUT", "/v1/records/{recordId}/versions/{version}/escrow-key"},
      // Only another storage node's operator signs these (FederationTest drives them).
      {"GET", "/v1/peer/versions/{recordId}/{version}"},
      {"GET", "/v1/peer/blobs/{digest}"}};
  for (const auto& [method, path] : routes) {
    bool requested = false;
    bool succeeded = false;
    for (const CollectionRequest& request : requests) {
      if (request.method != method || !fits(request.path, path)) continue;
      requested = true;
      succeeded = succeeded || request.expects_success;
    }
    EXPECT_TRUE(requested) << method << " " << path << " has no request in the collection";
    EXPECT_TRUE(succeeded || refusals_only.count({method, path}))
        << method << " " << path << " has no request expecting success";
  }
}

class NewmanTest : public ::testing::Test {
 protected:
  NewmanTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.party(/*funded=*/false);  // the node pays for everything it does
    other_patient_ = ledger_.registered_patient(/*funded=*/false);
  }

  void relay(const Party& signer, std::string_view function, json message) {
    const Reply reply = node_.relay(signer, function, std::move(message));
    ASSERT_EQ(reply.status, 200) << function << ": " << reply.body.dump();
    ASSERT_EQ(reply.body["indexed"], true) << function;
  }

  // A POST /v1/relay body: `message` as `signer`'s next intent, signed with `key` (the signer's
  // own, or another to make the contract refuse it).
  json relay_body(const Party& signer, const crypto::PrivateKey& key, std::string_view function,
                  json message) {
    const U256 nonce = ledger_.view("nonces", {signer.address})[0].word();
    const auto latest = ledger_.client().latest_block().value();
    message["nonce"] = to_decimal(nonce);
    message["deadline"] = std::to_string(latest->timestamp + 3600);
    const auto typed =
        chain::intent_typed_data(ledger_.medchain().abi(), ledger_.domain(), function, message)
            .value();
    const Hash32 digest = eth::eip712::signing_hash(typed).value();
    return json{{"function", function},
                {"message", message},
                {"signature", to_hex(crypto::sign_hash(key, digest).to_rsv())}};
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, patient_, other_patient_;
  Node node_{ledger_, {"--anchor-interval", "0.3"}};
};

TEST_F(NewmanTest, CollectionPassesAgainstARealNode) {
  ASSERT_TRUE(fs::exists(kNewman)) << kNewman << " is missing: run scripts/setup (npm ci)";

  // The patient registers through the relay; everyone signs in.
  const Hash32 encryption_key = random_hash();
  ASSERT_NO_FATAL_FAILURE(relay(
      patient_, "registerPatientBySig",
      {{"patient", address_text(patient_.address)}, {"encryptionKey", to_hex(encryption_key)}}));
  const std::string patient_token = node_.token_for(patient_);
  const std::string doctor_token = node_.token_for(doctor_);
  const std::string other_token = node_.token_for(other_patient_);
  const std::string logout_token = node_.token_for(patient_);

  // A lab blob, recorded on chain, its key shared with the patient and the doctor.
  const std::string blob_text = "lab result: hemoglobin 14.1 g/dL (ciphertext stand-in)";
  const Reply uploaded = node_.upload(patient_token, patient_.address, "lab", blob_text);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body.dump();
  const std::string blob_digest = uploaded.body["digest"];
  const Hash32 record_id = random_hash();
  ASSERT_NO_FATAL_FAILURE(relay(patient_, "addRecordBySig",
                                {{"patient", address_text(patient_.address)},
                                 {"recordId", to_hex(record_id)},
                                 {"digest", blob_digest},
                                 {"nodeId", to_hex(node_.node_id())},
                                 {"contentId", blob_digest}}));
  const json keys{{"keys",
                   {{{"recipient", address_text(patient_.address)}, {"sealedKey", "0x01"}},
                    {{"recipient", address_text(doctor_.address)}, {"sealedKey", "0x02"}}}}};
  const Reply shared = node_.send("PUT", "/v1/records/" + to_hex(record_id) + "/versions/1/keys",
                                  keys.dump(), patient_token);
  ASSERT_EQ(shared.status, 200) << shared.body.dump();

  // The patient's statement of the blob's category, for the collection to restate it.
  const records::CategoryStatement lab_statement{patient_.address,
                                                 from_hex_fixed<Hash32>(blob_digest).value(), 1};
  const json category_correction{
      {"category", "lab"},
      {"signature",
       to_hex(records::sign_category(
                  lab_statement, {ledger_.chain_id(), ledger_.deployment().address}, patient_.key)
                  .value())}};

  // The doctor may read lab records (read only: no uploads).
  ASSERT_NO_FATAL_FAILURE(relay(patient_, "grantAccessBySig",
                                {{"patient", address_text(patient_.address)},
                                 {"doctor", address_text(doctor_.address)},
                                 {"scope", kLab},
                                 {"permissions", kRead},
                                 {"expiry", std::time(nullptr) + 86400}}));

  // The intent the collection relays (the doctor asks for imaging), and a forged copy.
  const json request_access{{"patient", address_text(patient_.address)},
                            {"scope", kImaging},
                            {"permissions", kRead},
                            {"duration", 86400},
                            {"reasonHash", to_hex(random_hash())}};
  const json relay_good = relay_body(doctor_, doctor_.key, "requestAccessBySig", request_access);
  const json relay_bad =
      relay_body(doctor_, other_patient_.key, "requestAccessBySig", request_access);

  // The collection checks the proof of entry 0 (the upload above): wait until it is anchored.
  Reply proof;
  for (int attempt = 0; attempt < 150; ++attempt) {
    proof = node_.get("/v1/audit/0/proof", patient_token);
    if (proof.status != 409) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(proof.status, 200) << proof.body.dump();

  const fs::path report = node_.dir() / "newman-report.json";
  const std::vector<std::pair<std::string, std::string>> variables = {
      {"baseUrl", "http://" + node_.authority()},
      {"chainId", std::to_string(ledger_.chain_id())},
      {"nodeId", to_hex(node_.node_id())},
      {"patient", address_text(patient_.address)},
      {"patientToken", patient_token},
      {"encryptionKey", to_hex(encryption_key)},
      {"doctor", address_text(doctor_.address)},
      {"doctorToken", doctor_token},
      {"otherPatient", address_text(other_patient_.address)},
      {"otherPatientToken", other_token},
      {"logoutToken", logout_token},
      {"stranger", address_text(ledger_.party(/*funded=*/false).address)},
      {"recordId", to_hex(record_id)},
      {"blobDigest", blob_digest},
      {"blobText", blob_text},
      {"blobSize", std::to_string(blob_text.size())},
      {"relayBody", relay_good.dump()},
      {"badRelayBody", relay_bad.dump()},
      {"categoryCorrection", category_correction.dump()},
  };
  std::vector<std::string> argv{kNewman.string(),
                                "run",
                                kCollection.string(),
                                "--reporters",
                                "cli,json",
                                "--reporter-json-export",
                                report.string(),
                                "--color",
                                "off",
                                "--disable-unicode",
                                "--timeout-request",
                                "60000",
                                "--timeout",
                                "240000"};
  for (const auto& [name, value] : variables) {
    argv.push_back("--env-var");
    argv.push_back(name + "=" + value);
  }
  const ProcessResult run = run_process(argv, 300s);
  const std::string output = run.out + run.err;
  ASSERT_FALSE(run.timed_out) << "newman did not finish:\n" << output;
  ASSERT_EQ(run.exit_code, 0) << "newman failed:\n" << output;

  // It really ran every request and every assertion.
  const json result = json::parse(read_all(report), nullptr, false);
  ASSERT_FALSE(result.is_discarded()) << "no newman report:\n" << output;
  const json& stats = result["run"]["stats"];
  std::vector<CollectionRequest> requests;
  collect_requests(json::parse(read_all(kCollection))["item"], requests);
  EXPECT_EQ(stats["requests"]["total"], requests.size()) << output;
  EXPECT_EQ(stats["requests"]["failed"], 0) << output;
  EXPECT_EQ(stats["assertions"]["failed"], 0) << output;
  EXPECT_GE(stats["assertions"]["total"].get<std::size_t>(), 3 * requests.size()) << output;
  EXPECT_EQ(stats["testScripts"]["failed"], 0) << output;
  EXPECT_EQ(stats["prerequestScripts"]["failed"], 0) << output;
  std::cout << "newman: " << stats["requests"]["total"] << " requests, "
            << stats["assertions"]["total"] << " assertions, " << stats["assertions"]["failed"]
            << " failed\n";
}

}  // namespace
}  // namespace medchain::test
