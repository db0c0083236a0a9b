// medchaind's authorized reads under wrk, beside a minimal Express server (bench/
// express_baseline.js, one Node process) answering a constant JSON document of the same size.
// anvil gets the contract and a registered patient, medchaind indexes it, the patient signs in
// with SIWE, and wrk (-t2 -c64) loads medchaind's --path with the bearer token, then Express
// (the same requests, header included), alternating, --rounds times after a 2 s warm-up of each.
// --compare-node BINARY loads another medchaind (an earlier build, its own data directory, the
// same chain) in the same rounds, for a side-by-side comparison of two versions.
// Goals (issue 6): >= 20,000 requests/s with p99 <= 10 ms at 64 connections, >= 2x Express's rate;
// idle RSS <= 40 MiB.
//
//   build/release/bench/medchain_api_bench [--rounds R] [--seconds S] [--path /v1/me]
//                                          [--compare-node path/to/medchaind]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <medchain/chain/http_client.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>
#include <sstream>
#include <thread>

#include "support/bench_main.hpp"
#include "support/ledger.hpp"
#include "support/measure.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

using bench::cpu_seconds;
using bench::median;
using bench::status_mib;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

struct Settings {
  int rounds = 3;
  int seconds = 10;
  std::string path = "/v1/me";
  std::string compare_node;  // another medchaind binary (an earlier build) loaded alongside
};

struct Run {
  double rate = 0;        // requests/s
  double p99_ms = 0;      // wrk's 99th percentile latency
  long failures = 0;      // non-2xx/3xx answers and socket errors
  double server_cpu = 0;  // % of one core, over the run
  double wrk_cpu = 0;     // the same, for wrk
  double busy_cpu = 0;    // the same, for the whole machine (of 200%): is anything else busy?
};

// A program on PATH, or an error that says how to get it.
std::string find_program(const std::string& name) {
  std::stringstream path(std::getenv("PATH") != nullptr ? std::getenv("PATH") : "/usr/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  }
  throw std::runtime_error(name + " is not installed: run scripts/setup");
}

double children_cpu_seconds() {  // of the children reaped so far: wrk
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double busy_seconds() {  // of all CPUs, from /proc/stat
  std::ifstream in("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) /
         static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The number after `label` in wrk's output, or `fallback` when the label is absent.
double after(const std::string& out, const std::string& label, double fallback) {
  const auto at = out.find(label);
  return at == std::string::npos ? fallback : std::strtod(out.c_str() + at + label.size(), nullptr);
}

Run parse_wrk(const std::string& out) {
  Run run;
  run.rate = after(out, "Requests/sec:", -1);
  const auto at = out.find(" 99%");
  if (run.rate < 0 || at == std::string::npos) throw std::runtime_error("wrk said:\n" + out);
  char* unit = nullptr;
  const double p99 = std::strtod(out.c_str() + at + 4, &unit);
  const double scale = std::strncmp(unit, "us", 2) == 0 ? 1e-3 : unit[0] == 's' ? 1e3 : 1;
  run.p99_ms = p99 * scale;
  run.failures = static_cast<long>(after(out, "Non-2xx or 3xx responses:", 0));
  const auto socket = out.find("Socket errors: connect ");
  if (socket != std::string::npos) {
    long connect = 0, read = 0, write = 0, timeout = 0;
    std::sscanf(out.c_str() + socket,
                "Socket errors: connect %ld, read %ld, write %ld, timeout %ld", &connect, &read,
                &write, &timeout);
    run.failures += connect + read + write + timeout;
  }
  return run;
}

Run run_wrk(const Settings& settings, const std::string& url, const std::string& token,
            pid_t server) {
  const double server_before = cpu_seconds(server);
  const double wrk_before = children_cpu_seconds();
  const double busy_before = busy_seconds();
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult result = run_process(
      {find_program("wrk"), "-t2", "-c64", "-d" + std::to_string(settings.seconds) + "s",
       "--latency", "-H", "Authorization: Bearer " + token, url},
      std::chrono::seconds(settings.seconds + 60));
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.exit_code != 0) throw std::runtime_error("wrk failed: " + result.err + result.out);
  Run run = parse_wrk(result.out);
  run.server_cpu = 100 * (cpu_seconds(server) - server_before) / wall;
  run.wrk_cpu = 100 * (children_cpu_seconds() - wrk_before) / wall;
  run.busy_cpu = 100 * (busy_seconds() - busy_before) / wall;
  if (run.failures > 0) std::fprintf(stderr, "%s\n", result.out.c_str());
  return run;
}

// Polls GET `path` until it answers 200 (and returns the body), for up to 15 s.
std::string wait_for(ChildProcess& process, const std::string& base_url, const std::string& path,
                     const std::string& token = "") {
  chain::HttpClient http(chain::HttpEndpoint::parse(base_url).value());
  chain::HttpRequest request{"GET", path, {}, "", ""};
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  for (int i = 0; i < 300; ++i) {
    auto response = http.send(request, 2s);
    if (response.ok() && response->status == 200) return response->body;
    if (!process.running()) throw std::runtime_error("a server exited while starting");
    std::this_thread::sleep_for(50ms);
  }
  throw std::runtime_error("no 200 from " + base_url + path);
}

// SIWE as a client does it: a nonce, an EIP-4361 message signed with EIP-191, a session token.
std::string sign_in(std::uint16_t port, const Ledger& ledger, const Party& party) {
  const std::string authority = "127.0.0.1:" + std::to_string(port);
  chain::HttpClient http(chain::HttpEndpoint::parse("http://" + authority).value());
  auto nonce = http.send({"POST", "/v1/auth/nonce", {}, "", ""}, 10s);
  if (!nonce.ok() || nonce->status != 201) throw std::runtime_error("POST /v1/auth/nonce failed");
  eth::SiweMessage message;
  message.domain = authority;
  message.address = party.address;
  message.statement = "Sign in to medchain.";
  message.uri = "http://" + authority;
  message.chain_id = ledger.chain_id();
  message.nonce = json::parse(nonce->body).at("nonce").get<std::string>();
  message.issued_at = eth::format_rfc3339(std::time(nullptr));
  const std::string text = eth::format_siwe(message);
  const auto signature =
      eth::sign_personal_message(
          party.key, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()))
          .to_rsv();
  const std::string body = json{{"message", text}, {"signature", to_hex(signature)}}.dump();
  auto verified = http.send({"POST", "/v1/auth/verify", {}, body, "application/json"}, 10s);
  if (!verified.ok() || verified->status != 201) {
    throw std::runtime_error("POST /v1/auth/verify failed: " +
                             (verified.ok() ? verified->body : ""));
  }
  return json::parse(verified->body).at("token").get<std::string>();
}

std::string express_version() {
  std::ifstream in(std::string(MEDCHAIN_SOURCE_DIR) + "/node_modules/express/package.json");
  return json::parse(in, nullptr, false).value("version", "(not installed: run scripts/setup)");
}

const char* verdict(bool met) {
  return met ? "met" : "**not met**";
}

// A server under load: medchaind (this build's or --compare-node's) or Express.
struct Server {
  std::string label;  // in the table
  std::string name;   // in the per-round lines
  ChildProcess process;
  std::string url;
  std::string token;  // sent as the bearer token (Express ignores it but gets the same header)
  std::vector<Run> runs;
};

// medchaind from `binary` on a free loopback port with its own data directory under `dir`,
// ready and with `patient` signed in.
Server start_node(const std::string& binary, const std::string& label, const std::string& name,
                  Ledger& ledger, const Party& patient, const fs::path& dir) {
  fs::create_directories(dir);
  if (!chain::write_deployment(dir, ledger.deployment()).ok()) {
    throw std::runtime_error("writing deployment.json failed");
  }
  const std::uint16_t port = pick_free_loopback_port().value();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> argv{
      binary,       "--listen",  listen, "--rpc-url", ledger.dev_chain().url(),
      "--data-dir", dir.string()};
  // One client from one address: a node with per-client rate limits would answer 429 to most.
  const std::string help = run_process({binary, "--help"}).out;
  if (help.find("--rate-limit-ip") != std::string::npos) {
    argv.insert(argv.end(), {"--rate-limit-ip", "0", "--rate-limit-address", "0"});
  }
  Server server{label,
                name,
                ChildProcess::spawn(argv, dir / "node.log").value(),
                "http://127.0.0.1:" + std::to_string(port),
                "",
                {}};
  wait_for(server.process, server.url, "/readyz");
  server.token = sign_in(port, ledger, patient);
  return server;
}

Run summarize(const std::vector<Run>& runs) {
  Run row;
  for (double Run::*field :
       {&Run::rate, &Run::p99_ms, &Run::server_cpu, &Run::wrk_cpu, &Run::busy_cpu}) {
    std::vector<double> values;
    for (const Run& run : runs) values.push_back(run.*field);
    row.*field = median(values);
  }
  for (const Run& run : runs) row.failures += run.failures;
  return row;
}

int main_with(const Settings& settings) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party patient = ledger.registered_patient(/*funded=*/false);
  const fs::path dir = fs::temp_directory_path() / ("medchain-api-bench-" + to_hex(random_hash()));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{dir};

  std::vector<Server> servers;
  servers.push_back(start_node(MEDCHAIN_NODE_PATH, "medchaind (session check + index lookup)",
                               "medchaind", ledger, patient, dir / "node"));
  if (!settings.compare_node.empty()) {
    servers.push_back(start_node(settings.compare_node, "medchaind, " + settings.compare_node,
                                 "compared", ledger, patient, dir / "compare"));
  }
  const std::string answer =
      wait_for(servers[0].process, servers[0].url, settings.path, servers[0].token);
  std::fprintf(stderr, "medchaind GET %s answers %zu bytes: %s\n", settings.path.c_str(),
               answer.size(), answer.c_str());

  const std::uint16_t express_port = pick_free_loopback_port().value();
  servers.push_back(Server{
      "Express " + express_version() + ", constant JSON, 1 process",
      "Express",
      ChildProcess::spawn(
          {find_program("node"), std::string(MEDCHAIN_SOURCE_DIR) + "/bench/express_baseline.js",
           std::to_string(express_port), settings.path, answer},
          dir / "express.log")
          .value(),
      "http://127.0.0.1:" + std::to_string(express_port),
      servers[0].token,
      {}});
  wait_for(servers.back().process, servers.back().url, settings.path);

  const double idle_rss = status_mib(servers[0].process.pid(), "VmRSS");
  Settings warm_up = settings;  // JIT, caches, connection pools: 2 s of each, not counted
  warm_up.seconds = 2;
  for (const Server& server : servers) {
    run_wrk(warm_up, server.url + settings.path, server.token, server.process.pid());
  }
  for (int r = 0; r < settings.rounds; ++r) {
    std::string line = "round " + std::to_string(r + 1) + ":";
    for (Server& server : servers) {
      server.runs.push_back(
          run_wrk(settings, server.url + settings.path, server.token, server.process.pid()));
      const Run& run = server.runs.back();
      char text[160];
      std::snprintf(text, sizeof text, " %s %.0f/s p99 %.2f ms (all CPUs %.0f%%);",
                    server.name.c_str(), run.rate, run.p99_ms, run.busy_cpu);
      line += text;
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  const double loaded_rss = status_mib(servers[0].process.pid(), "VmRSS");
  const double peak_rss = status_mib(servers[0].process.pid(), "VmHWM");

  std::printf(
      "| GET %s, wrk -t2 -c64, %d × %d s | requests/s | p99 | server CPU | wrk CPU | all CPUs | "
      "failed |\n|---|---|---|---|---|---|---|\n",
      settings.path.c_str(), settings.rounds, settings.seconds);
  long failures = 0;
  for (const Server& server : servers) {
    const Run row = summarize(server.runs);
    std::printf("| %s | %.0f | %.2f ms | %.0f%% | %.0f%% | %.0f%% | %ld |\n", server.label.c_str(),
                row.rate, row.p99_ms, row.server_cpu, row.wrk_cpu, row.busy_cpu, row.failures);
    failures += row.failures;
  }
  const Run n = summarize(servers.front().runs);
  const Run e = summarize(servers.back().runs);
  const double ratio = n.rate / e.rate;
  std::printf("\nmedchaind ÷ Express: %.2f×\n", ratio);
  if (servers.size() == 3) {
    std::printf("medchaind ÷ %s: %.2f×\n", settings.compare_node.c_str(),
                n.rate / summarize(servers[1].runs).rate);
  }
  std::printf("medchaind RSS: idle %.1f MiB, after load %.1f MiB, peak %.1f MiB\n\n", idle_rss,
              loaded_rss, peak_rss);
  if (failures > 0) {  // the rates are not those of answered requests
    std::printf("goals not judged: %ld requests failed (non-2xx or socket errors)\n", failures);
    return 1;
  }
  std::printf(
      "goal >= 20,000 requests/s: %s; p99 <= 10 ms: %s; >= 2x Express: %s; "
      "idle RSS <= 40 MiB: %s\n",
      verdict(n.rate >= 20'000), verdict(n.p99_ms <= 10), verdict(ratio >= 2),
      verdict(idle_rss <= 40));
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  std::vector<char*> rest{argv[0]};  // --path and --compare-node take strings; the rest integers
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--path") == 0 && i + 1 < argc) {
      settings.path = argv[++i];
    } else if (std::strcmp(argv[i], "--compare-node") == 0 && i + 1 < argc) {
      settings.compare_node = argv[++i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  return medchain::bench::run_main(
      "medchain_api_bench", static_cast<int>(rest.size()), rest.data(),
      {{"--rounds", &settings.rounds}, {"--seconds", &settings.seconds}},
      [&] {
        return settings.rounds >= 1 && settings.seconds >= 1 && settings.path.starts_with('/') &&
               (settings.compare_node.empty() ||
                ::access(settings.compare_node.c_str(), X_OK) == 0);
      },
      "--rounds >= 1, --seconds >= 1, --path /absolute/path, --compare-node an executable",
      [&] { return medchain::test::main_with(settings); });
}
