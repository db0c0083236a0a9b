// `medchain node verify`: does a storage node hold every blob the chain says it holds, each one
// the ciphertext the chain names? With --replicated, also every replica a node started with
// --replicate keeps (every version homed on another registered storage node that placement, with
// the node's --replicas, names it a holder of). Run by the
// node's operator on the node's index and blob store (its data directory, or the S3 bucket
// medchaind --blobs names), with the node stopped or running (reads only).
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/replication/placement.hpp>
#include <medchain/store/blob_location.hpp>
#include <medchain/store/index_store.hpp>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct NodeVerifyOptions {
  fs::path data_dir = ".medchain";
  std::string database;  // default: <data dir>/index.db
  store::BlobLocation blobs;  // default: <data dir>/blobs
  std::string node_id;
  bool replicated = false;  // also the replicas of versions homed on other registered nodes
  std::size_t replicas = replication::kDefaultReplicas;  // as the node's medchaind --replicas
};

// What is wrong with one blob the node should hold, or nothing.
enum class BlobState { kPresent, kMissing, kWrongDigest, kUnreadable };

const char* name_of(BlobState state) {
  switch (state) {
    case BlobState::kPresent:
      return "present";
    case BlobState::kMissing:
      return "missing";
    case BlobState::kWrongDigest:
      return "wrong digest";
    case BlobState::kUnreadable:
      return "unreadable";
  }
  return "?";
}

// Reads the whole blob: a file of the right name whose bytes are another ciphertext (a
// disk's bit rot, a copy gone wrong) is no better than a missing one.
BlobState check_blob(const store::BlobStore& blobs, const Hash32& digest) {
  if (!blobs.contains(digest)) return BlobState::kMissing;
  auto reader = blobs.open_read(digest);
  if (!reader.ok()) return BlobState::kUnreadable;
  crypto::Sha256 hasher;
  std::vector<std::uint8_t> piece(std::size_t{1} << 20);
  while (true) {
    auto read = reader->read(piece);
    // A store that hashes as it reads (S3's) says so at the end rather than handing it over.
    if (!read.ok() && read.error().code == Errc::kCheckFailed) return BlobState::kWrongDigest;
    if (!read.ok()) return BlobState::kUnreadable;
    if (*read == 0) break;
    hasher.update(ByteView(piece.data(), *read));
  }
  return hasher.finish() == digest ? BlobState::kPresent : BlobState::kWrongDigest;
}

Status run_node_verify(const NodeVerifyOptions& options) {
  auto node_id = from_hex_fixed<Hash32>(options.node_id);
  if (!node_id) return Error{Errc::kInvalidArgument, "--node-id must be 32 bytes of 0x hex"};
  const std::string location =
      options.database.empty() ? (options.data_dir / "index.db").string() : options.database;
  if (options.database.empty() && !fs::exists(location)) {
    return Error{Errc::kNotFound, "no index at " + location + ": run medchain index sync"};
  }
  MEDCHAIN_TRY(auto database, store::open_database(location));
  MEDCHAIN_TRY(auto index, store::IndexStore::open(*database));
  MEDCHAIN_TRY(std::optional<chain::BlockRef> checkpoint, index->checkpoint());
  if (!checkpoint) return Error{Errc::kNotFound, "the index is empty; run medchain index sync"};
  if (!store::is_s3_location(options.blobs.location)) {
    const fs::path blob_dir = options.blobs.location.empty() ? options.data_dir / "blobs"
                                                             : fs::path(options.blobs.location);
    if (!fs::is_directory(blob_dir)) {  // opening would create it: an empty store verifies nothing
      return Error{Errc::kNotFound, "no blob directory at " + blob_dir.string()};
    }
  }
  // It may run beside the live node: the node's blob writes in progress must survive the open.
  store::BlobLocation location_of_blobs = options.blobs;
  location_of_blobs.beside_a_running_node = true;
  MEDCHAIN_TRY(auto blobs, store::open_blob_store(location_of_blobs, options.data_dir / "blobs"));
  MEDCHAIN_TRY(std::vector<store::RecordVersionRow> versions,
               index->record_versions_on_node(*node_id));
  // The replicas: what a --replicate node pulls, every version homed on another registered node
  // that placement names this node a holder of.
  std::vector<store::RecordVersionRow> replicas;
  if (options.replicated) {
    MEDCHAIN_TRY(std::vector<store::StorageNodeRow> nodes, index->storage_nodes());
    std::vector<Hash32> registered;
    for (const store::StorageNodeRow& node : nodes) registered.push_back(node.node_id);
    for (const store::StorageNodeRow& other : nodes) {
      if (other.node_id == *node_id) continue;
      MEDCHAIN_TRY(std::vector<store::RecordVersionRow> homed,
                   index->record_versions_on_node(other.node_id));
      for (store::RecordVersionRow& version : homed) {
        if (replication::holds(*node_id, version.record_id, version.node_id, registered,
                               options.replicas))
          replicas.push_back(std::move(version));
      }
    }
  }

  json problems = json::array();
  const auto check = [&](const store::RecordVersionRow& version, bool replica) {
    const BlobState state = check_blob(*blobs, version.digest);
    if (state == BlobState::kPresent) return;
    json problem{{"recordId", to_hex(version.record_id)},
                 {"version", version.version},
                 {"digest", to_hex(version.digest)},
                 {"problem", name_of(state)}};
    if (replica) problem["homeNode"] = to_hex(version.node_id);
    problems.push_back(std::move(problem));
  };
  for (const store::RecordVersionRow& version : versions) check(version, false);
  for (const store::RecordVersionRow& version : replicas) check(version, true);
  const std::size_t checked = versions.size() + replicas.size();
  const std::string what = options.replicated
                               ? " blobs the chain names for this node and its replicas"
                               : " blobs the chain names for this node";
  if (context_options().json) {
    json report{{"nodeId", to_hex(*node_id)},
                {"block", checkpoint->number},
                {"blobs", versions.size()},
                {"problems", problems}};
    if (options.replicated) report["replicas"] = replicas.size();
    std::cout << report.dump(2) << "\n";
  } else {
    for (const json& problem : problems) {
      std::cout << problem["problem"].get<std::string>() << "  "
                << problem["digest"].get<std::string>() << "  (record "
                << problem["recordId"].get<std::string>() << " v" << problem["version"]
                << (problem.contains("homeNode")
                        ? ", a replica of node " + problem["homeNode"].get<std::string>()
                        : std::string())
                << ")\n";
    }
  }
  if (!problems.empty()) {
    return Error{Errc::kCheckFailed, std::to_string(problems.size()) + " of " +
                                         std::to_string(checked) + what +
                                         " are missing or not their digest"};
  }
  if (!context_options().json) {
    std::cout << "all " << checked << what << " up to block " << checkpoint->number
              << " are present and match their digests\n";
  }
  return {};
}

void add_node_commands(CLI::App& app) {
  auto* node = app.add_subcommand("node", "A storage node's own data");
  node->require_subcommand(1);
  auto options = std::make_shared<NodeVerifyOptions>();
  auto* verify = node->add_subcommand(
      "verify", "Check that every blob the chain names for this node is present and intact");
  verify->add_option("--data-dir", options->data_dir, "The node's data directory")
      ->capture_default_str();
  verify->add_option("--database", options->database,
                     "The node's index: a SQLite file or a postgresql:// URL (default <data "
                     "dir>/index.db)");
  verify->add_option("--blobs", options->blobs.location,
                     "Where the node keeps blobs, as medchaind --blobs: a directory (default "
                     "<data dir>/blobs) or s3://BUCKET[/PREFIX]");
  verify->add_option("--s3-endpoint", options->blobs.s3_endpoint,
                     "The object store's http://HOST:PORT, for --blobs s3://...");
  verify->add_option("--s3-region", options->blobs.s3_region, "The region requests are signed for")
      ->capture_default_str();
  verify->add_option("--s3-credentials", options->blobs.s3_credentials_file,
                     "A 0600 file with aws_access_key_id and aws_secret_access_key (default: the "
                     "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables)");
  verify->add_option("--node-id", options->node_id, "The node's id on chain (medchaind --node-id)")
      ->required();
  verify->add_flag("--replicated", options->replicated,
                   "Also check the replicas a node started with --replicate keeps: every version "
                   "homed on another registered storage node that placement names it for");
  verify
      ->add_option("--replicas", options->replicas,
                   "The federation's replication factor, as the node's medchaind --replicas")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  on_run(verify, [options]() { return run_node_verify(*options); });
}

const bool kRegistered = register_top_level_group(&add_node_commands);

}  // namespace
}  // namespace medchain::cli
