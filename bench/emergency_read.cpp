// The emergency read of issue 16, end to end on loopback: anvil, three medchaind custodian nodes
// (SQLite each), a 2-of-3 escrow, one 1 MiB record on node 0 whose content key is wrapped to the
// escrow. A doctor with an open emergency window reads it --reads times the way a client must:
// the escrow-wrapped key from the storage node (GET .../escrow-key), partials from the first two
// custodians (POST /v1/patients/{p}/escrow-partials), each opened and its proof checked, combined,
// the 1 MiB blob downloaded, SHA-256-checked against the chain's digest and decrypted. Goal: p50 <=
// 100 ms. The two custodians are asked one after the other and, in reads interleaved with those, at
// once: --reads times each. Also timed: what escrow adds to a version's write (the wrap and its
// PUT), the same --reads times.
//
// Then escrow's overhead on `medchain records add` of an --add-mib MiB file (issue 16's goal:
// <= 10% for 1 GiB), whole commands as child processes: the escrow patient above (policy
// published, so each add also GETs the policy, wraps and PUTs) and a second patient without a
// policy, --add-pairs pairs interleaved (the first of each pair alternates), both homes at the
// same cheap scrypt cost so the unlock weighs the same. --add-pairs 0 skips it.
//
//   build/release/bench/medchain_emergency_bench [--reads N] [--add-pairs P] [--add-mib M]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/custody/policy_document.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "support/bench_main.hpp"
#include "support/cli_process.hpp"
#include "support/files.hpp"
#include "support/node.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Hash32 key_word(const records::X25519PublicKey& key) {
  Hash32 word;
  word.bytes = key.bytes;
  return word;
}

void require(bool condition, const std::string& what) {
  if (!condition) throw std::runtime_error(what);
}

// Retries while the node has not indexed what the request needs.
Reply until_ok(const std::function<Reply()>& send, int wanted) {
  Reply reply;
  for (int i = 0; i < 100; ++i) {
    reply = send();
    if (reply.status == wanted) return reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("no " + std::to_string(wanted) + ": " + reply.body.dump());
}

struct Settings {
  int reads = 30;
  int add_pairs = 3;
  int add_mib = 1024;
};

// A `medchain` home of `dir` with `party`'s key imported (cheap scrypt) and signed in at `url`.
bench::Cli signed_in_home(const fs::path& dir, const std::string& home, const std::string& url,
                          const Party& party) {
  bench::Cli cli(dir, home, url);
  cli.must({"keys", "import", "--private-key", to_hex(party.key), "--scrypt-n", "1024"});
  cli.must({"login"});
  return cli;
}

// `records add` of one --add-mib file for a patient with the escrow policy and one without,
// interleaved; prints each pair and the medians.
void escrow_add_overhead(const Settings& settings, Ledger& ledger, const Node& node,
                         const Party& escrowed_patient, const fs::path& dir) {
  const std::string url = "http://" + node.authority();
  const bench::Cli with = signed_in_home(dir, "home-escrow", url, escrowed_patient);
  const Party plain_patient = ledger.registered_patient();
  const bench::Cli without = signed_in_home(dir, "home-plain", url, plain_patient);
  const fs::path file = dir / "large.bin";
  const auto size = static_cast<std::uint64_t>(settings.add_mib) << 20;
  write_random_file(file, size, 0x657363726f77);
  const auto add = [&](const bench::Cli& cli, bool escrow) {
    const bench::Run run =
        cli.must({"records", "add", "--file", file.string(), "--content-type",
                  "application/octet-stream", "--category", "imaging", "--json"});
    require(json::parse(run.out).at("escrowed").get<bool>() == escrow, "escrowed: " + run.out);
    return run.seconds;
  };
  std::vector<double> plain, escrowed, ratios;
  for (int pair = 0; pair < settings.add_pairs; ++pair) {
    double p = 0;
    double e = 0;
    if (pair % 2 == 0) {
      p = add(without, false);
      e = add(with, true);
    } else {
      e = add(with, true);
      p = add(without, false);
    }
    plain.push_back(p);
    escrowed.push_back(e);
    ratios.push_back((e / p - 1) * 100);
    std::printf("pair %d (%s first): without escrow %.2f s, with escrow %.2f s (%+.1f%%)\n",
                pair + 1, pair % 2 == 0 ? "without" : "with", p, e, ratios.back());
    std::fflush(stdout);
  }
  std::error_code ignored;
  fs::remove(file, ignored);
  const double p50 = percentile(plain, 0.5);
  const double e50 = percentile(escrowed, 0.5);
  std::printf(
      "\n| `records add` of %d MiB, %d interleaved pairs | median without escrow | median with "
      "escrow | overhead of the medians | median of the pairs' overheads | goal |\n"
      "|---|---|---|---|---|---|\n| whole command | %.2f s | %.2f s | %+.1f%% | %+.1f%% | "
      "<= 10%% |\n",
      settings.add_mib, settings.add_pairs, p50, e50, (e50 / p50 - 1) * 100,
      percentile(ratios, 0.5));
}

int main_with(const Settings& settings) {
  const int reads = settings.reads;
  const fs::path dir =
      fs::temp_directory_path() / ("medchain-emergency-" + to_hex(random_hash()).substr(2, 12));
  fs::create_directories(dir);
  Ledger ledger(chain::DevChainKind::kAnvil);
  Party registrar = ledger.registrar();
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<custody::CustodianEntry> custodians;
  for (int i = 0; i < 3; ++i) {
    const fs::path file = dir / ("custodian-" + std::to_string(i) + ".key");
    const records::EncryptionKeyPair key = custody::create_custodian_key(file).value();
    Party account = ledger.party();
    ledger.must_call(account, "setCustodianKey", {bytes32(key_word(key.public_key))});
    nodes.push_back(std::make_unique<Node>(
        ledger, std::vector<std::string>{"--custodian-key", file.string(), "--max-blob-bytes",
                                         std::to_string(std::uint64_t{2} << 30)}));
    custodians.push_back({account.address, key.public_key, "http://" + nodes.back()->authority()});
  }
  Party patient = ledger.registered_patient();
  const std::string patient_path = "/v1/patients/" + eth::to_checksum(patient.address);
  std::vector<records::X25519PublicKey> keys;
  for (const auto& custodian : custodians) keys.push_back(custodian.encryption_key);
  const records::EscrowDealing dealing = records::deal_escrow(patient.address, 2, keys).value();
  const custody::PolicyDocument document{dealing.policy, custodians};
  const std::string text = custody::policy_document_text(document);
  const Hash32 policy_hash = custody::policy_hash(text);
  ledger.must_call(patient, "setEscrowPolicy", {bytes32(policy_hash)});
  std::vector<std::string> patient_tokens;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    patient_tokens.push_back(nodes[i]->token_for(patient));
    until_ok(
        [&] {
          return nodes[i]->send("PUT", patient_path + "/escrow-policy",
                                json{{"document", text}}.dump(), patient_tokens[i]);
        },
        201);
    until_ok(
        [&] {
          return nodes[i]->send("PUT", patient_path + "/escrow-share",
                                json{{"policyHash", to_hex(policy_hash)},
                                     {"sealedShare", to_hex(dealing.sealed_shares[i])}}
                                    .dump(),
                                patient_tokens[i]);
        },
        201);
  }

  // One 1 MiB record on node 0.
  std::string plaintext(1 << 20, '\0');
  randombytes_buf(plaintext.data(), plaintext.size());
  const records::ContentKey content_key = records::new_content_key();
  const Bytes envelope = records::encrypt(content_key, as_bytes(plaintext));
  const std::string ciphertext(envelope.begin(), envelope.end());
  require(nodes[0]->upload(patient_tokens[0], patient.address, "imaging", ciphertext).status == 201,
          "upload");
  const Hash32 record_id = random_hash();
  const Hash32 digest = sha256_of(ciphertext);
  require(nodes[0]->relay(patient, "addRecordBySig",
                          {{"patient", eth::to_checksum(patient.address)},
                           {"recordId", to_hex(record_id)},
                           {"digest", to_hex(digest)},
                           {"nodeId", to_hex(nodes[0]->node_id())},
                           {"contentId", to_hex(digest)}})
                  .status == 200,
          "addRecord");
  const records::KeyBinding binding{record_id, 1, digest};
  const std::string key_path = "/v1/records/" + to_hex(record_id) + "/versions/1/escrow-key";

  // What escrow adds to a write: the wrap and its PUT.
  std::vector<double> writes;
  for (int i = 0; i < reads; ++i) {
    const auto start = Clock::now();
    const Bytes wrapped =
        records::wrap_for_escrow(content_key, binding, document.policy.escrow_key()).value();
    const Reply stored = nodes[0]->send(
        "PUT", key_path,
        json{{"policyHash", to_hex(policy_hash)}, {"wrappedKey", to_hex(wrapped)}}.dump(),
        patient_tokens[0]);
    writes.push_back(ms_since(start));
    require(stored.status == 200, "PUT escrow-key: " + stored.body.dump());
  }

  // The doctor and the window.
  Party doctor = ledger.party();
  records::EncryptionKeyPair doctor_key;
  crypto_box_keypair(doctor_key.public_key.data(), doctor_key.secret.data());
  ledger.must_call(
      registrar, "verifyDoctor",
      {doctor.address, bytes32(random_hash()), bytes32(key_word(doctor_key.public_key))});
  nodes[0]->relay(patient, "setEmergencyPolicyBySig",
                  {{"patient", eth::to_checksum(patient.address)},
                   {"allowed", true},
                   {"maxWindow", 7200},
                   {"cooldown", 0}});
  require(nodes[0]->relay(doctor, "openEmergencyAccessBySig",
                          {{"patient", eth::to_checksum(patient.address)},
                           {"duration", 3600},
                           {"reasonCode", 1}})
                  .status == 200,
          "open window");
  std::vector<std::string> doctor_tokens;
  for (auto& node : nodes) doctor_tokens.push_back(node->token_for(doctor));
  const Reply first = nodes[0]->get(key_path, doctor_tokens[0]);
  for (std::size_t i = 0; i < 2; ++i) {
    until_ok(
        [&] {
          return nodes[i]->send("POST", patient_path + "/escrow-partials",
                                json{{"recordId", to_hex(record_id)},
                                     {"version", 1},
                                     {"policyHash", to_hex(policy_hash)},
                                     {"wrappedKey", first.body["wrappedKey"]}}
                                    .dump(),
                                doctor_tokens[i]);
        },
        200);
  }

  // One read; `parallel` asks the two custodians at once (each on its own node's connection),
  // else one after the other.
  const auto read_once = [&](bool parallel) {
    const auto start = Clock::now();
    const Reply wrapped_reply = nodes[0]->get(key_path, doctor_tokens[0]);
    require(wrapped_reply.status == 200, "escrow-key");
    const Bytes wrapped = from_hex(wrapped_reply.body["wrappedKey"].get<std::string>()).value();
    const auto ask = [&](std::size_t c) {
      const Reply released = nodes[c]->send("POST", patient_path + "/escrow-partials",
                                            json{{"recordId", to_hex(record_id)},
                                                 {"version", 1},
                                                 {"policyHash", to_hex(policy_hash)},
                                                 {"wrappedKey", to_hex(wrapped)}}
                                                .dump(),
                                            doctor_tokens[c]);
      require(released.status == 200, "partial: " + released.body.dump());
      return records::open_escrow_partial(
                 from_hex(released.body["sealedPartial"].get<std::string>()).value(),
                 document.policy, wrapped, binding, doctor_key)
          .value();
    };
    std::vector<records::EscrowPartial> partials;
    if (parallel) {
      auto second = std::async(std::launch::async, ask, std::size_t{1});
      partials.push_back(ask(0));
      partials.push_back(second.get());
    } else {
      for (std::size_t c = 0; c < 2; ++c) partials.push_back(ask(c));
    }
    const records::ContentKey key =
        records::open_escrow_wrapped_key(wrapped, binding, document.policy, partials).value();
    const Reply blob = nodes[0]->get("/v1/blobs/" + to_hex(digest), doctor_tokens[0]);
    require(blob.status == 200 && sha256_of(blob.raw) == digest, "blob");
    const Bytes opened = records::decrypt(key, as_bytes(blob.raw)).value();
    const double elapsed = ms_since(start);
    require(opened.size() == plaintext.size(), "plaintext");
    return elapsed;
  };
  // Both ways interleaved, so that the machine's load falls on each alike.
  std::vector<double> sequential, parallel;
  for (int i = 0; i < reads; ++i) {
    sequential.push_back(read_once(false));
    parallel.push_back(read_once(true));
  }
  std::printf(
      "| emergency read of a 1 MiB record, 3 custodians (2 asked), %d reads each way, "
      "interleaved | p50 | p90 | min | max | goal |\n|---|---|---|---|---|---|\n",
      reads);
  for (const auto& [name, times] : {std::pair{"custodians one after the other", &sequential},
                                    std::pair{"custodians at once", &parallel}}) {
    std::printf(
        "| key + 2 partials (%s) + combine + blob + SHA-256 + decrypt | %.1f ms | %.1f ms | "
        "%.1f ms | %.1f ms | p50 <= 100 ms |\n",
        name, percentile(*times, 0.5), percentile(*times, 0.9), percentile(*times, 0.0),
        percentile(*times, 1.0));
  }
  std::printf(
      "| escrow's part of a write: wrap + PUT .../escrow-key, %d times | %.2f ms | %.2f ms | %.2f "
      "ms | %.2f ms | |\n",
      reads, percentile(writes, 0.5), percentile(writes, 0.9), percentile(writes, 0.0),
      percentile(writes, 1.0));
  std::fflush(stdout);
  if (settings.add_pairs > 0) escrow_add_overhead(settings, ledger, *nodes[0], patient, dir);
  nodes.clear();
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  return medchain::bench::run_main(
      "medchain_emergency_bench", argc, argv,
      {{"--reads", &settings.reads},
       {"--add-pairs", &settings.add_pairs},
       {"--add-mib", &settings.add_mib}},
      [&] { return settings.reads >= 1 && settings.add_pairs >= 0 && settings.add_mib >= 1; },
      "--reads >= 1, --add-pairs >= 0, --add-mib >= 1",
      [&] { return medchain::test::main_with(settings); });
}
