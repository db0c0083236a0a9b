// A blob's round trip through medchaind over HTTP: a registered, signed-in patient streams a
// --size byte pseudo-random body to POST /v1/blobs (Content-Length, 1 MiB writes; the clock runs
// from the first byte to the 201), then downloads it with GET /v1/blobs/{digest} (to the last
// byte), --rounds times, a new body each round since equal bytes are stored once. Each download
// is verified in an extra untimed one (--verify 1: while timing instead). Goals (issue 6):
// >= 300 MB/s each way for 1 GiB, node RSS growth (peak during the runs) <= 64 MiB.
//
// An upload ends with the blob durable (fsync) before the 201, so it can go no faster than the
// disk. Each round therefore also writes the same body through the blob store in this process,
// on the node's disk (hash, write, fsync, rename: the node's work without HTTP), side by side
// with the upload, and reports the upload as a share of it.
//
//   build/release/bench/medchain_transfer_bench [--rounds R] [--size BYTES] [--verify 0|1]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/store/disk_blob_store.hpp>
#include <sstream>

#include "support/bench_main.hpp"
#include "support/measure.hpp"
#include "support/node.hpp"

namespace medchain::test {
namespace {

using bench::cpu_seconds;
using bench::median;
using bench::status_mib;

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Settings {
  int rounds = 3;
  int size = 1 << 30;
  int verify = 0;
};

constexpr std::size_t kChunkWords = (1 << 20) / 8;  // 1 MiB pieces

// A deterministic pseudo-random body (splitmix64), produced a piece at a time.
class Body {
 public:
  Body(std::uint64_t seed, std::uint64_t size) : state_(seed), left_(size), words_(kChunkWords) {}
  // The next piece, empty at the end.
  ByteView next() {
    if (left_ == 0) return {};
    for (std::uint64_t& word : words_) {
      std::uint64_t z = (state_ += 0x9e3779b97f4a7c15);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
      z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
      word = z ^ (z >> 31);
    }
    const std::size_t n = std::min<std::uint64_t>(left_, words_.size() * 8);
    left_ -= n;
    return ByteView(reinterpret_cast<const std::uint8_t*>(words_.data()), n);
  }

 private:
  std::uint64_t state_;
  std::uint64_t left_;
  std::vector<std::uint64_t> words_;
};

Hash32 body_digest(std::uint64_t seed, std::uint64_t size) {
  crypto::Sha256 hasher;
  Body body(seed, size);
  for (ByteView piece = body.next(); !piece.empty(); piece = body.next()) hasher.update(piece);
  return hasher.finish();
}

// Seconds to write the body through a blob store of its own under `root` (then removed): what
// the disk allows an upload, which the node makes durable before it answers.
double blob_store_alone(const std::filesystem::path& root, std::uint64_t seed, std::uint64_t size) {
  auto store = store::DiskBlobStore::open(root);
  if (!store.ok()) throw std::runtime_error(store.error().message);
  const auto start = Clock::now();
  auto writer = (*store)->begin_write(size);
  if (!writer.ok()) throw std::runtime_error(writer.error().message);
  Body body(seed, size);
  for (ByteView piece = body.next(); !piece.empty(); piece = body.next()) {
    if (auto written = writer->write(piece); !written.ok())
      throw std::runtime_error(written.error().message);
  }
  if (auto committed = writer->commit(); !committed.ok())
    throw std::runtime_error(committed.error().message);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::filesystem::remove_all(root);
  return seconds;
}

// CPU seconds of this process, the client: is it the bottleneck?
double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Client {
  Node& node;
  std::string token;

  tcp::socket connect(asio::io_context& io) const {
    const std::string& authority = node.authority();
    const auto colon = authority.rfind(':');
    tcp::socket socket(io);
    asio::connect(
        socket, tcp::resolver(io).resolve(authority.substr(0, colon), authority.substr(colon + 1)));
    return socket;
  }

  std::string head(const std::string& request_line) const {
    return request_line + " HTTP/1.1\r\nHost: " + node.authority() + "\r\nAuthorization: Bearer " +
           token + "\r\n";
  }

  // Seconds from the first byte sent to the 201 read; in `sent`, to the last byte written.
  double upload(double& sent, const Address& patient, std::uint64_t seed, std::uint64_t size,
                const Hash32& digest) const {
    asio::io_context io;
    tcp::socket socket = connect(io);
    const std::string request =
        head("POST /v1/blobs") +
        "Content-Type: application/octet-stream\r\nContent-Length: " + std::to_string(size) +
        "\r\nMedchain-Patient: " + to_hex(patient) + "\r\nMedchain-Category: imaging\r\n" +
        "Medchain-Digest: " + to_hex(digest) + "\r\n\r\n";
    const auto start = Clock::now();
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(request), ec);
    Body body(seed, size);
    for (ByteView piece = body.next(); !ec && !piece.empty(); piece = body.next()) {
      asio::write(socket, asio::buffer(piece.data(), piece.size()), ec);
    }
    sent = std::chrono::duration<double>(Clock::now() - start).count();
    // A refusal can come (and the connection close) before the whole body is sent.
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (response.result_int() != 201) {
      throw std::runtime_error("upload answered " + std::to_string(response.result_int()) + ": " +
                               response.body());
    }
    return seconds;
  }

  // Seconds from the request to the last byte of the blob; its SHA-256 into `verified`.
  double download(const Hash32& digest, std::uint64_t size, Hash32* verified) const {
    asio::io_context io;
    tcp::socket socket = connect(io);
    std::vector<std::uint8_t> piece(1 << 20);
    crypto::Sha256 hasher;
    const auto start = Clock::now();
    asio::write(socket, asio::buffer(head("GET /v1/blobs/" + to_hex(digest)) + "\r\n"));
    boost::beast::flat_buffer buffer;  // the head, and the first bytes of the body with it
    http::response_parser<http::empty_body> parser;
    parser.body_limit(size);
    http::read_header(socket, buffer, parser);
    if (parser.get().result_int() != 200 || parser.content_length().value_or(0) != size) {
      throw std::runtime_error("download answered " + std::to_string(parser.get().result_int()));
    }
    std::uint64_t received = buffer.size();
    if (verified != nullptr) {
      hasher.update(ByteView(static_cast<const std::uint8_t*>(buffer.data().data()), received));
    }
    while (received < size) {
      const std::size_t n = socket.read_some(
          asio::buffer(piece.data(), std::min<std::uint64_t>(piece.size(), size - received)));
      if (verified != nullptr) hasher.update(ByteView(piece.data(), n));
      received += n;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (verified != nullptr) *verified = hasher.finish();
    return seconds;
  }
};

int main_with(const Settings& settings) {
  const auto size = static_cast<std::uint64_t>(settings.size);
  Ledger ledger(chain::DevChainKind::kAnvil);
  Node node(ledger, {"--max-blob-bytes", std::to_string(std::uint64_t{2} << 30)});
  const Party patient = ledger.party(/*funded=*/false);
  const Reply registered = node.relay(
      patient, "registerPatientBySig",
      {{"patient", eth::to_checksum(patient.address)}, {"encryptionKey", to_hex(random_hash())}});
  if (registered.status != 200) throw std::runtime_error("register: " + registered.body.dump());
  const Client client{node, node.token_for(patient)};
  const pid_t pid = node.process().pid();
  const double rss_before = status_mib(pid, "VmRSS");

  std::vector<double> up_rates, down_rates, store_rates, up_shares;
  for (int round = 0; round < settings.rounds; ++round) {
    const std::uint64_t seed = 0x6d656463680000 + static_cast<std::uint64_t>(round);
    const Hash32 digest = body_digest(seed, size);  // untimed
    const double alone = blob_store_alone(node.dir() / "bench-blob-store", seed + 1000, size);
    double cpu = cpu_seconds(pid);
    const double own = own_cpu_seconds();
    double sent = 0;
    const double up = client.upload(sent, patient.address, seed, size, digest);
    const double up_cpu = 100 * (cpu_seconds(pid) - cpu) / up;
    const double up_client = 100 * (own_cpu_seconds() - own) / up;
    Hash32 verified;
    cpu = cpu_seconds(pid);
    const double down = client.download(digest, size, settings.verify != 0 ? &verified : nullptr);
    const double down_cpu = 100 * (cpu_seconds(pid) - cpu) / down;
    if (settings.verify == 0) client.download(digest, size, &verified);
    if (verified != digest) throw std::runtime_error("the download does not hash to the upload");
    up_rates.push_back(static_cast<double>(size) / up / 1e6);
    down_rates.push_back(static_cast<double>(size) / down / 1e6);
    store_rates.push_back(static_cast<double>(size) / alone / 1e6);
    up_shares.push_back(100 * alone / up);
    std::printf(
        "round %d: blob store alone %.0f MB/s (%.2f s); upload %.0f MB/s (%.2f s, %.0f%% of the "
        "store alone, last byte sent at %.2f s, node CPU %.0f%%, client CPU %.0f%%), "
        "download %.0f MB/s (%.2f s, node CPU %.0f%%), RSS %.1f MiB\n",
        round + 1, store_rates.back(), alone, up_rates.back(), up, up_shares.back(), sent, up_cpu,
        up_client, down_rates.back(), down, down_cpu, status_mib(pid, "VmRSS"));
    std::fflush(stdout);
  }
  const double peak = status_mib(pid, "VmHWM");
  std::printf("\n| %.0f MiB blob, %d rounds | median | goal |\n|---|---|---|\n",
              static_cast<double>(size) / (1 << 20), settings.rounds);
  std::printf("| the blob store alone, in process on the node's disk (hash, write, fsync) | %.0f MB/s | |\n",
              median(store_rates));
  std::printf("| upload (POST /v1/blobs, to the 201) | %.0f MB/s | >= 300 MB/s |\n",
              median(up_rates));
  std::printf("| upload as a share of the blob store alone (per round) | %.0f%% | |\n",
              median(up_shares));
  std::printf("| download (GET /v1/blobs/{digest}, to the last byte) | %.0f MB/s | >= 300 MB/s |\n",
              median(down_rates));
  std::printf("| node RSS: %.1f MiB before, peak %.1f MiB | +%.1f MiB | <= 64 MiB |\n", rss_before,
              peak, peak - rss_before);
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  return medchain::bench::run_main(
      "medchain_transfer_bench", argc, argv,
      {{"--rounds", &settings.rounds}, {"--size", &settings.size}, {"--verify", &settings.verify}},
      [&] { return settings.rounds >= 1 && settings.size >= 1 && settings.verify >= 0; },
      "--rounds >= 1, --size >= 1 (bytes, < 2 GiB), --verify 0 or 1",
      [&] { return medchain::test::main_with(settings); });
}
