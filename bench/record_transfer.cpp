// Records from the client (issue 7), against a fresh anvil + medchaind on loopback and a
// patient who imported their key into a `medchain` home, signed in and registered:
//
// (a) a 1 MiB file record, added once with `medchain records add`, then read --reads times in
//     this process with NodeClient, the steps `medchain records get` takes: the version's digest
//     from the node's index (GET /v1/records/{id}), the patient's sealed key (GET .../key),
//     opened with the encryption key derived from the account key, the blob downloaded,
//     SHA-256-checked against that digest and decrypted with the document read into memory.
//     In-process, because a `medchain` process adds its start-up and the keystore's scrypt.
//     Goal: p50 <= 20 ms.
// (b) a --size byte pseudo-random file through the real CLI, --rounds times: `medchain records
//     add --file F` and `medchain records get ID -o OUT` as child processes (the keystore at the
//     CLI's default scrypt cost), timed as whole commands, the output compared with the input
//     (untimed), and each child's peak RSS (wait4's ru_maxrss). Goal: >= 200 MB/s each way,
//     client RSS <= 64 MiB.
//
//   build/release/bench/medchain_record_bench [--reads N] [--rounds R] [--size BYTES]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <medchain/client/node_client.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/document.hpp>
#include <medchain/records/encryption_key.hpp>
#include <sstream>

#include "support/bench_main.hpp"
#include "support/cli_process.hpp"
#include "support/files.hpp"
#include "support/node.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Settings {
  int reads = 50;
  int rounds = 3;
  int size = 1 << 30;
};

using bench::Cli;
using bench::Run;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

std::string add_file_record(const Cli& cli, const fs::path& file, Run* run = nullptr) {
  Run added = cli.must({"records", "add", "--file", file.string(), "--content-type",
                        "application/octet-stream", "--category", "imaging", "--json"});
  if (run != nullptr) *run = added;
  return json::parse(added.out).at("recordId").get<std::string>();
}

// One read of a record as `medchain records get` does it, the attachment into memory.
Bytes read_record(client::NodeClient& node, const crypto::PrivateKey& key,
                  const records::Deployment& deployment, const std::string& record_id) {
  const json record = node.get("/v1/records/" + record_id).value();
  const json& version = record.at("versions").back();
  const Hash32 digest = from_hex_fixed<Hash32>(version.at("digest").get<std::string>()).value();
  const auto number = version.at("version").get<std::uint32_t>();
  const json answer =
      node.get("/v1/records/" + record_id + "/versions/" + std::to_string(number) + "/key").value();
  const Bytes sealed = from_hex(answer.at("sealedKey").get<std::string>()).value();
  const records::KeyBinding binding{from_hex_fixed<Hash32>(record_id).value(), number, digest};
  const records::ContentKey content_key =
      records::open_content_key(
          sealed, binding,
          records::derive_encryption_key(key, records::KeyDerivation::format2(deployment, 0)))
          .value();

  Bytes attachment;
  crypto::Sha256 hasher;
  records::Decryptor decryptor(content_key);
  records::DocumentReader reader([&](ByteView bytes) -> Status {
    attachment.insert(attachment.end(), bytes.begin(), bytes.end());
    return {};
  });
  const records::PlaintextSink to_reader = [&](ByteView plain) { return reader.update(plain); };
  node.download_blob(digest,
                     [&](ByteView piece) -> Status {
                       hasher.update(piece);
                       return decryptor.update(piece, to_reader);
                     })
      .value();
  if (hasher.finish() != digest) throw std::runtime_error("the blob does not match its digest");
  decryptor.finish(to_reader).value();
  reader.finish().value();
  return attachment;
}

void small_record(const Settings& settings, const Cli& cli, client::NodeClient& node,
                  const crypto::PrivateKey& key, const records::Deployment& deployment,
                  const fs::path& dir) {
  const std::uint64_t size = 1 << 20;
  const fs::path file = dir / "record-1mib.bin";
  write_random_file(file, size, 0x7265636f7264);
  const std::string record_id = add_file_record(cli, file);
  const std::string expected = read_file(file);
  read_record(node, key, deployment, record_id);  // a warm-up: connections, page cache
  std::vector<double> times;
  for (int i = 0; i < settings.reads; ++i) {
    const auto start = Clock::now();
    const Bytes attachment = read_record(node, key, deployment, record_id);
    times.push_back(seconds_since(start) * 1e3);
    if (attachment.size() != expected.size() ||
        !std::equal(attachment.begin(), attachment.end(), expected.begin(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); })) {
      throw std::runtime_error("the record read back differs from the file added");
    }
  }
  std::printf("\n| 1 MiB record, %d reads in process | p50 | p90 | min | max | goal |\n",
              settings.reads);
  std::printf("|---|---|---|---|---|---|\n");
  std::printf(
      "| index + sealed key + download + SHA-256 + decrypt | %.1f ms | %.1f ms | %.1f ms | %.1f ms "
      "| p50 <= 20 ms |\n",
      percentile(times, 0.5), percentile(times, 0.9), percentile(times, 0.0),
      percentile(times, 1.0));
  std::fflush(stdout);
}

// --rounds of add + get of `file` through `cli`, with a table row per direction.
void large_file(const Settings& settings, const Cli& cli, const fs::path& file,
                const char* keystore) {
  const std::uint64_t size = fs::file_size(file);
  const fs::path out = file.parent_path() / "large.out";
  std::vector<double> add_rates, get_rates, add_rss, get_rss;
  std::printf("\nkeystore: %s\n", keystore);
  for (int round = 0; round < settings.rounds; ++round) {
    Run add;
    const std::string record_id = add_file_record(cli, file, &add);
    const Run get = cli.must({"records", "get", record_id, "-o", out.string()});
    if (!same_file(file, out)) throw std::runtime_error("records get wrote other bytes");
    fs::remove(out);
    add_rates.push_back(static_cast<double>(size) / add.seconds / 1e6);
    get_rates.push_back(static_cast<double>(size) / get.seconds / 1e6);
    add_rss.push_back(add.max_rss_mib);
    get_rss.push_back(get.max_rss_mib);
    std::printf(
        "round %d: add %.2f s (%.0f MB/s, CPU %.2f s, peak RSS %.1f MiB), get %.2f s (%.0f MB/s, "
        "CPU %.2f s, peak RSS %.1f MiB)\n",
        round + 1, add.seconds, add_rates.back(), add.cpu_seconds, add.max_rss_mib, get.seconds,
        get_rates.back(), get.cpu_seconds, get.max_rss_mib);
    std::fflush(stdout);
  }
  std::printf(
      "\n| %.0f MiB file, %d rounds, whole command, keystore %s | median | worst | peak "
      "RSS (max) | goal |\n|---|---|---|---|---|\n",
      static_cast<double>(size) / (1 << 20), settings.rounds, keystore);
  std::printf(
      "| `medchain records add --file` | %.0f MB/s | %.0f MB/s | %.1f MiB | >= 200 MB/s, "
      "<= 64 MiB |\n",
      percentile(add_rates, 0.5), percentile(add_rates, 0.0), percentile(add_rss, 1.0));
  std::printf(
      "| `medchain records get -o` | %.0f MB/s | %.0f MB/s | %.1f MiB | >= 200 MB/s, "
      "<= 64 MiB |\n",
      percentile(get_rates, 0.5), percentile(get_rates, 0.0), percentile(get_rss, 1.0));
  std::fflush(stdout);
}

// A home with the patient's key imported (at `scrypt_n`, 0 for the CLI's default) and signed in.
Cli signed_in_home(const fs::path& dir, const std::string& home, const std::string& url,
                   const crypto::PrivateKey& key, int scrypt_n) {
  Cli cli(dir, home, url);
  std::vector<std::string> import{"keys", "import", "--private-key", to_hex(key)};
  if (scrypt_n != 0) {
    import.push_back("--scrypt-n");
    import.push_back(std::to_string(scrypt_n));
  }
  const Run imported = cli.must(import);
  const Run listed = cli.must({"keys", "list"});
  // One unlock is what `keys export --private-key` does besides start-up.
  std::vector<double> unlocks, unlock_rss;
  for (int i = 0; i < 3; ++i) {
    const Run exported = cli.must({"keys", "export", "--private-key"});
    unlocks.push_back(exported.seconds);
    unlock_rss.push_back(exported.max_rss_mib);
  }
  std::printf(
      "home %s (scrypt N %s): keys import %.2f s; keys export --private-key (one unlock) %.2f s "
      "median of 3, peak RSS %.1f MiB; keys list (start-up, no unlock) %.3f s, peak RSS %.1f MiB\n",
      home.c_str(), scrypt_n == 0 ? "default" : std::to_string(scrypt_n).c_str(), imported.seconds,
      percentile(unlocks, 0.5), percentile(unlock_rss, 1.0), listed.seconds, listed.max_rss_mib);
  cli.must({"login"});
  return cli;
}

int main_with(const Settings& settings) {
  const fs::path dir =
      fs::temp_directory_path() / ("medchain-record-bench-" + to_hex(random_hash()).substr(2, 12));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};

  Ledger ledger(chain::DevChainKind::kAnvil);
  Node node(ledger, {"--max-blob-bytes", std::to_string(std::uint64_t{2} << 30)});
  const std::string url = "http://" + node.authority();
  const crypto::PrivateKey key = crypto::generate_private_key();
  // The CLI's default keystore cost, as a user has it; and a cheap one, to tell the transfer's
  // own time and memory from the unlock's.
  const Cli cli = signed_in_home(dir, "home", url, key, 0);
  const Cli cheap = signed_in_home(dir, "home-cheap", url, key, 1024);
  cli.must({"register", "patient"});

  client::NodeClient client = client::NodeClient::connect(url).value();
  client.sign_in(key).value();
  // `register patient` registered the format 2 key of generation 0 of this deployment.
  const records::Deployment deployment{ledger.chain_id(), ledger.domain().verifying_contract};
  small_record(settings, cli, client, key, deployment, dir);

  const fs::path file = dir / "large.bin";
  const auto start = Clock::now();
  write_random_file(file, static_cast<std::uint64_t>(settings.size), 0x6c61726765);
  std::printf("\n%.0f MiB input written in %.1f s\n",
              static_cast<double>(settings.size) / (1 << 20), seconds_since(start));
  large_file(settings, cli, file, "scrypt N default");
  large_file(settings, cheap, file, "scrypt N 1024");
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  return medchain::bench::run_main(
      "medchain_record_bench", argc, argv,
      {{"--reads", &settings.reads}, {"--rounds", &settings.rounds}, {"--size", &settings.size}},
      [&] { return settings.reads >= 1 && settings.rounds >= 1 && settings.size >= 1; },
      "--reads >= 1, --rounds >= 1, --size >= 1 (bytes, < 2 GiB)",
      [&] { return medchain::test::main_with(settings); });
}
