// The attack suite, command-line side (docs/threat-model.md): a node operator who lies. A proxy
// in front of a real medchaind rewrites its answers — a swapped patient or doctor key, a reader
// the chain never entitled, a swapped digest, author, sealed key or blob, a version the chain
// never recorded, another contract — and every `medchain` command refuses: exit 1, one line
// naming the lie, nothing uploaded, relayed or sealed, and no file written. A relabelled
// category gets no key shared under a grant that does not cover the real one, and a reason the
// node made up is not shown as the doctor's. A guardian added or left out by the node, or a
// guardian's swapped key, is refused the same way.
#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/salted_text.hpp>

#include "support/lying_proxy.hpp"
#include "support/node.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPassword = "attack password";
// An X25519 key nobody on chain has: the lying operator's own.
constexpr const char* kOperatorKey =
    "0x6f70657261746f72206b657920666f72207365616c696e672c206e6f74206f6b";

class AttacksTest : public ::testing::Test {
 protected:
  AttacksTest() {
    home_ = fs::temp_directory_path() / ("medchain-attacks-" + to_hex(random_hash()));
    fs::create_directories(home_);
  }
  ~AttacksTest() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }

  // Runs `medchain ARGS... --json` through the proxy, with the chain's own RPC for the checks.
  ProcessResult medchain(std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/env", std::string("MEDCHAIN_PASSWORD=") + kPassword,
                                  MEDCHAIN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& option :
         {std::string("--home"), home_.string(), std::string("--node"), proxy_.url(),
          std::string("--rpc-url"), ledger_.dev_chain().url(), std::string("--json")}) {
      argv.push_back(option);
    }
    return run_process(argv, 120s);
  }
  json must(std::vector<std::string> args) {
    const ProcessResult result = medchain(args);
    EXPECT_EQ(result.exit_code, 0) << args[0] << " " << args[1] << ": " << result.err;
    return json::parse(result.out, nullptr, false);
  }

  std::string new_account() {
    return must({"keys", "new", "--scrypt-n", "1024"}).value("address", "");
  }
  std::string verified_doctor(const std::string& registrar, const std::string& license) {
    const std::string doctor = new_account();
    const json ask = must({"register", "doctor", "--from", doctor, "--license", license});
    must({"registrar", "verify", doctor, "--license-hash", ask["licenseHash"], "--encryption-key",
          ask["encryptionKey"], "--from", registrar});
    must({"login", "--from", doctor});
    return doctor;
  }
  std::string add_record(const std::string& patient, const std::string& category,
                         const std::string& text) {
    const fs::path file = home_ / (category + ".txt");
    std::ofstream(file, std::ios::binary) << text;
    return must({"records", "add", "--file", file.string(), "--category", category, "--from",
                 patient})
        .value("recordId", "");
  }

  // A lie told as `command` runs: the command must fail with exit 1 naming `says`, and the node
  // must see no request that writes. Counted for the summary line.
  void expect_refused(const std::string& attack, LyingProxy::Lie lie,
                      std::vector<std::string> command, const std::string& says,
                      const fs::path& not_written = {}) {
    SCOPED_TRACE(attack);
    ++attacks_;
    proxy_.take_writes();
    proxy_.lie(std::move(lie));
    const ProcessResult result = medchain(std::move(command));
    proxy_.tell_truth();
    const std::vector<std::string> writes = proxy_.take_writes();
    const bool refused = result.exit_code == 1 && result.err.find(says) != std::string::npos &&
                         writes.empty() && (not_written.empty() || !fs::exists(not_written));
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.err.find(says), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_TRUE(writes.empty()) << "the client wrote: " << (writes.empty() ? "" : writes.front());
    if (!not_written.empty()) {
      EXPECT_FALSE(fs::exists(not_written)) << not_written;
    }
    if (refused) ++refused_;
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_ = ledger_.registrar();
  Party patient_ = ledger_.party(/*funded=*/false);
  Node node_{ledger_};
  LyingProxy proxy_{node_.authority()};
  fs::path home_;
  int attacks_ = 0;
  int refused_ = 0;
};

// Rewrites the JSON body of answers to GET `path` (exactly, query included) with `edit`.
LyingProxy::Lie rewrite(const std::string& path, std::function<void(json&)> edit) {
  return [path, edit](const std::string& method, const std::string& target,
                      chain::HttpResponse& answer) {
    if (method != "GET" || target != path || answer.status != 200) return;
    json body = json::parse(answer.body);
    edit(body);
    answer.body = body.dump();
  };
}

// Answers GET `path` with `other`'s answer instead.
LyingProxy::Lie replace(const std::string& path, std::string other) {
  return [path, other](const std::string& method, const std::string& target,
                       chain::HttpResponse& answer) {
    if (method == "GET" && target == path) answer.body = other;
  };
}

json& entry(json& list, const char* field, const std::string& value) {
  for (json& row : list) {
    if (eth::parse_address(row.value(field, "")).ok() &&
        eth::to_checksum(eth::parse_address(row[field].get<std::string>()).value()) == value) {
      return row;
    }
    if (row.value(field, "") == value) return row;
  }
  throw std::runtime_error("no entry with " + std::string(field) + " = " + value);
}

TEST_F(AttacksTest, EveryClientRefusesANodeThatLies) {
  const std::string registrar =
      must({"keys", "import", "--private-key", to_hex(registrar_.key), "--scrypt-n", "1024"})
          .value("address", "");
  const std::string patient =
      must({"keys", "import", "--private-key", to_hex(patient_.key), "--scrypt-n", "1024"})
          .value("address", "");
  must({"register", "patient", "--from", patient});
  must({"login", "--from", patient});
  const std::string doctor = verified_doctor(registrar, "MD-GRANTED");
  const std::string other_doctor = verified_doctor(registrar, "MD-NOT-GRANTED");
  const std::string lab = add_record(patient, "lab", "potassium 4.1 mmol/L");
  const std::string image = add_record(patient, "imaging", "an x-ray's bytes");
  must({"access", "grant", doctor, "--scope", "lab", "--for", "1d", "--from", patient});

  const std::string patient_path = "/v1/patients/" + patient;
  const std::string doctors_path = "/v1/doctors?status=verified";
  const fs::path note = home_ / "note.txt";
  std::ofstream(note) << "a clinical note";
  const std::vector<std::string> add_note{"records",    "add", "--file", note.string(),
                                          "--category", "lab", "--from", patient};

  expect_refused("a swapped patient key, as a record is added",
                 rewrite(patient_path, [](json& body) { body["encryptionKey"] = kOperatorKey; }),
                 add_note, "another encryption key than the chain");
  expect_refused("a swapped doctor key, as a record is added",
                 rewrite(doctors_path,
                         [&](json& body) {
                           entry(body["doctors"], "address", doctor)["encryptionKey"] =
                               kOperatorKey;
                         }),
                 add_note, "another encryption key than the chain");
  expect_refused("a reader the chain never granted, as a record is added",
                 rewrite(patient_path + "/grants",
                         [&](json& body) {
                           json forged = entry(body["grants"], "doctor", doctor);
                           forged["doctor"] = other_doctor;
                           body["grants"].push_back(forged);
                         }),
                 add_note, "no read access");
  expect_refused(
      "a guardian the chain never appointed, as a record is added",
      rewrite(patient_path, [&](json& body) { body["guardians"].push_back(other_doctor); }),
      add_note, "as a guardian, but the chain does not");
  expect_refused(
      "a swapped doctor key, as access is granted",
      rewrite(doctors_path,
              [&](json& body) {
                entry(body["doctors"], "address", other_doctor)["encryptionKey"] = kOperatorKey;
              }),
      {"access", "grant", other_doctor, "--scope", "lab", "--for", "1d", "--from", patient},
      "another encryption key than the chain");

  // Reads. The honest answers the lies are made of.
  const std::string lab_path = "/v1/records/" + lab;
  const json lab_record = json::parse(node_.get(lab_path, node_.token_for(patient_)).raw);
  const json image_record =
      json::parse(node_.get("/v1/records/" + image, node_.token_for(patient_)).raw);
  const std::string image_digest = image_record["versions"][0].value("digest", "");
  const std::string image_key =
      node_.get("/v1/records/" + image + "/versions/1/key", node_.token_for(patient_)).raw;
  const fs::path out = home_ / "read.txt";
  const std::vector<std::string> read_lab{"records",    "get",    lab,    "-o",
                                          out.string(), "--from", patient};

  expect_refused(
      "a swapped digest, as a record is read",
      rewrite(lab_path, [&](json& body) { body["versions"][0]["digest"] = image_digest; }),
      read_lab, "another digest than the chain", out);
  expect_refused(
      "a swapped author, as a record is read",
      rewrite(lab_path, [&](json& body) { body["versions"][0]["author"] = other_doctor; }),
      read_lab, "as the author of version 1", out);
  expect_refused("a version the chain never recorded, as a record is read",
                 rewrite(lab_path,
                         [&](json& body) {
                           json forged = body["versions"][0];
                           forged["version"] = 2;
                           body["versions"].push_back(forged);
                         }),
                 read_lab, "a version the chain does not have", out);
  expect_refused("another record's sealed key, as a record is read",
                 replace(lab_path + "/versions/1/key", image_key), read_lab,
                 "sealed for another record", out);
  expect_refused(
      "another record's blob, as a record is read",
      [&](const std::string& method, const std::string& target, chain::HttpResponse& answer) {
        if (method != "GET" || target.rfind("/v1/blobs/", 0) != 0) return;
        const std::string image_blob =
            node_.get("/v1/blobs/" + image_digest, node_.token_for(patient_)).raw;
        answer.body = image_blob;
      },
      read_lab, "does not match the digest", out);
  expect_refused(
      "another contract, named by the node",
      rewrite("/v1/node",
              [&](json& body) { body["contract"] = eth::to_checksum(patient_.address); }),
      read_lab, "this home trusts", out);
  ASSERT_EQ(lab_record["versions"].size(), 1u);

  // A relabelled category: the node lists the x-ray as lab, so a lab grant would share its key.
  // The grant itself is the patient's to make; the x-ray's key is not shared with it.
  {
    SCOPED_TRACE("a relabelled category, as access is granted");
    ++attacks_;
    proxy_.take_writes();
    proxy_.lie(rewrite(patient_path + "/records", [&](json& body) {
      for (json& record : body["records"]) {
        if (record["recordId"] == image) record["versions"][0]["category"] = "lab";
      }
    }));
    const ProcessResult granted = medchain(
        {"access", "grant", other_doctor, "--scope", "lab", "--for", "1d", "--from", patient});
    proxy_.tell_truth();
    const json answer = json::parse(granted.out, nullptr, false);
    bool image_key_shared = false;
    for (const std::string& write : proxy_.take_writes()) {
      image_key_shared = image_key_shared || write.find(image) != std::string::npos;
    }
    EXPECT_EQ(granted.exit_code, 0) << granted.err;
    EXPECT_EQ(answer.value("sharedKeys", -1), 1) << granted.out;  // the lab record only
    EXPECT_EQ(answer.value("unconfirmedCategories", -1), 1) << granted.out;
    EXPECT_FALSE(image_key_shared);
    if (granted.exit_code == 0 && answer.value("unconfirmedCategories", -1) == 1 &&
        !image_key_shared) {
      ++refused_;
    }
  }

  // A reason of the operator's own: sealed to the patient's key (anyone can seal to it) with a
  // hash to match, both put in place of the doctor's. The patient's client shows no reason: the
  // chain's request carries the doctor's hash.
  {
    SCOPED_TRACE("a reason the node made up, as the patient lists requests");
    ++attacks_;
    must({"access", "request", patient, "--scope", "imaging", "--for", "1d", "--reason",
          "Second opinion on the x-ray", "--from", doctor});
    const json listed = json::parse(node_.get(patient_path, node_.token_for(patient_)).raw);
    const auto patient_key =
        from_hex_fixed<records::X25519PublicKey>(listed.value("encryptionKey", "")).value();
    const records::SaltedText made_up = records::salt_text("Urgent: approve everything now");
    const std::string sealed = to_hex(records::seal_reason_note(made_up, patient_key).value());
    proxy_.lie(rewrite(patient_path + "/requests", [&](json& body) {
      for (json& request : body["requests"]) {
        request["reasonHash"] = to_hex(records::salted_hash(made_up));
        request["sealedReason"] = sealed;
      }
    }));
    const ProcessResult listing = medchain({"access", "list", "--from", patient});
    proxy_.tell_truth();
    const json answer = json::parse(listing.out, nullptr, false);
    const json shown = answer.is_discarded() ? json() : answer["requests"][0];
    EXPECT_EQ(listing.exit_code, 0) << listing.err;
    EXPECT_FALSE(shown.contains("reason")) << listing.out;
    EXPECT_NE(shown.value("reasonError", "").find("than the chain"), std::string::npos)
        << listing.out;
    if (listing.exit_code == 0 && !shown.contains("reason") &&
        shown.value("reasonError", "").find("than the chain") != std::string::npos) {
      ++refused_;
    }
    // Told the truth, the patient reads the doctor's reason.
    EXPECT_EQ(must({"access", "list", "--from", patient})["requests"][0]["reason"],
              "Second opinion on the x-ray");
  }

  // A guardian who reads (issue #16): the node can neither hide them from a new version nor
  // swap their key for the operator's.
  const std::string guardian = new_account();
  must({"register", "patient", "--from", guardian});
  EXPECT_EQ(must({"guardians", "add", guardian, "--from", patient}).value("sharedKeys", -1), 2);
  expect_refused("a guardian left out, as a record is added",
                 rewrite(patient_path, [](json& body) { body["guardians"] = json::array(); }),
                 add_note, "a guardian on chain");
  expect_refused(
      "a swapped guardian key, as a record is added",
      rewrite("/v1/patients/" + guardian, [](json& body) { body["encryptionKey"] = kOperatorKey; }),
      add_note, "another encryption key than the chain");

  // The truth still reads: the refusals came from the lies.
  must(read_lab);
  EXPECT_TRUE(fs::exists(out));
  std::cout << "command-line attacks refused: " << refused_ << "/" << attacks_ << "\n";
  EXPECT_EQ(refused_, attacks_);
}

}  // namespace
}  // namespace medchain::test
