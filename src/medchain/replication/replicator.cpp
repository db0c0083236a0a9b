#include <algorithm>
#include <medchain/client/transfer.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/summary.hpp>
#include <medchain/replication/replicator.hpp>
#include <set>

namespace medchain::replication {

using nlohmann::json;

struct Replicator::Peer {
  store::StorageNodeRow node;
  std::optional<chain::HttpEndpoint> endpoint;  // none for a URL that is not http://host:port
  std::unique_ptr<chain::HttpClient> http;
};

namespace {

constexpr std::size_t kMaxSealedKeyBytes = 1024;

Error refused(std::string reason) {
  return Error{Errc::kCheckFailed, std::move(reason)};
}

std::uint64_t wall_clock() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

template <class Fixed>
Result<Fixed> fixed_field(const json& body, const char* name) {
  const json& value = body.is_object() && body.contains(name) ? body[name] : json();
  if (!value.is_string()) return refused(std::string("the peer's answer has no ") + name);
  auto parsed = from_hex_fixed<Fixed>(value.get<std::string>());
  if (!parsed) return refused(std::string("the peer's ") + name + " is not 0x hex of its size");
  return *parsed;
}

// A member of an object, or null when absent (a const json's operator[] must not be asked for a
// missing key).
const json& member(const json& object, const char* name) {
  static const json kNull;
  return object.is_object() && object.contains(name) ? object[name] : kNull;
}

Result<Bytes> bytes_field(const json& value, const char* name) {
  if (!value.is_string()) return refused(std::string("the peer's ") + name + " is not hex");
  auto parsed = from_hex(value.get<std::string>());
  if (!parsed) return refused(std::string("the peer's ") + name + " is not hex");
  return std::move(*parsed);
}

std::string version_name(const store::RecordVersionRow& version) {
  return to_hex(version.record_id) + "/" + std::to_string(version.version);
}

}  // namespace

Replicator::Replicator(ReplicatorOptions options, store::IndexStore& index, store::NodeStore& node,
                       store::BlobStore& blobs)
    : options_(options), index_(index), node_(node), blobs_(blobs) {}

Replicator::~Replicator() = default;

Replicator::Peer& Replicator::peer_for(const store::StorageNodeRow& node) {
  auto& peer = peers_[node.node_id];
  if (!peer || peer->node.url != node.url) {
    peer = std::make_unique<Peer>();
    peer->node = node;
    auto endpoint = chain::HttpEndpoint::parse(node.url);
    if (endpoint.ok()) {
      peer->endpoint = *endpoint;
      peer->http = std::make_unique<chain::HttpClient>(*endpoint);
    }
  }
  return *peer;
}

std::string Replicator::sign(const Peer& peer, const std::string& method,
                             const std::string& target) {
  const federation::PeerRequest request{
      options_.own_node, peer.node.node_id,        method, target, crypto::sha256({}),
      wall_clock(),      federation::fresh_nonce()};
  // Signing fails only on a malformed domain, which the node's start would have refused.
  return federation::sign_peer_request(request, options_.domain, options_.operator_key).value();
}

Result<json> Replicator::fetch_version(Peer& peer, const store::RecordVersionRow& version) {
  if (!peer.http) {
    return Error{Errc::kUnavailable,
                 "node " + to_hex(peer.node.node_id) +
                     " is registered with a URL this node cannot call: " + peer.node.url};
  }
  const std::string target =
      "/v1/peer/versions/" + to_hex(version.record_id) + "/" + std::to_string(version.version);
  chain::HttpRequest request{"GET", target, {{"Authorization", sign(peer, "GET", target)}}, "", ""};
  MEDCHAIN_TRY(chain::HttpResponse answer, peer.http->send(request, options_.request_timeout));
  if (answer.status != 200) {
    // 404: the home node has not indexed the version yet (this node may be the quicker one).
    return Error{
        answer.status == 404 ? Errc::kNotFound : Errc::kUnavailable,
        "GET " + target + " answered " + std::to_string(answer.status) + ": " + answer.body};
  }
  json body = json::parse(answer.body, nullptr, false);
  if (!body.is_object()) return refused("the peer's version is not a JSON object");
  return body;
}

Status Replicator::check_category(const store::RecordVersionRow& version, std::uint8_t category,
                                  const Bytes& signature, const Address& signer) {
  const records::CategoryStatement statement{version.patient, version.digest, category};
  auto recovered = records::category_signer(statement, options_.domain, signature);
  if (!recovered.ok() || *recovered != signer) {
    return refused("its category statement is not a signature of \"" +
                   std::string(records::category_name(category)) + "\" for this digest");
  }
  if (signer == version.author) return {};
  MEDCHAIN_TRY(bool managed, index_.manages(version.patient, signer));
  if (managed) return {};
  return refused("its category statement is signed by " + to_hex(signer) +
                 ", neither the version's author, its patient nor a guardian");
}

Status Replicator::pull(Peer& peer, const store::RecordVersionRow& version, std::uint64_t now) {
  MEDCHAIN_TRY(json body, fetch_version(peer, version));
  MEDCHAIN_TRY(Hash32 digest, fixed_field<Hash32>(body, "digest"));
  MEDCHAIN_TRY(Address uploaded_by, fixed_field<Address>(body, "uploadedBy"));
  if (digest != version.digest) return refused("it names another digest than the chain");
  const json& named = member(body, "category");
  const std::optional<std::uint8_t> category =
      named.is_string() ? records::parse_category(named.get<std::string>()) : std::nullopt;
  if (!category) return refused("its category is not one of medchain's");
  if (!member(body, "categorySignature").is_string() ||
      !member(body, "categorySigner").is_string()) {
    return refused("it has no category statement, so its category cannot be checked");
  }
  MEDCHAIN_TRY(Bytes signature,
               bytes_field(member(body, "categorySignature"), "categorySignature"));
  MEDCHAIN_TRY(Address signer, fixed_field<Address>(body, "categorySigner"));
  MEDCHAIN_TRY_STATUS(check_category(version, *category, signature, signer));
  const json& stated_size = member(body, "size");
  if (!stated_size.is_number_unsigned() ||
      stated_size.get<std::uint64_t>() > options_.max_blob_bytes) {
    return refused("its size is missing or over this node's limit");
  }

  // The blob, streamed into the store, which keeps it only if it hashes to the chain's digest.
  const std::string target = "/v1/peer/blobs/" + to_hex(version.digest);
  chain::HttpRequest request{"GET", target, {{"Authorization", sign(peer, "GET", target)}}, "", ""};
  MEDCHAIN_TRY(store::BlobWriter writer, blobs_.begin_write(options_.max_blob_bytes));
  MEDCHAIN_TRY(
      chain::HttpResponse answer,
      client::receive_streamed(*peer.endpoint, request,
                               [&writer](ByteView piece) { return writer.write(piece); }, {}));
  if (answer.status != 200) {
    return Error{Errc::kUnavailable,
                 "GET " + target + " answered " + std::to_string(answer.status)};
  }
  const std::uint64_t size = writer.bytes_written();
  auto committed = writer.commit(version.digest);
  if (!committed.ok() && committed.error().code == Errc::kCheckFailed)
    return refused("its blob does not hash to the chain's digest");
  if (!committed.ok()) return committed.error();  // this node's store failed: tried again later

  // Keys and the summary before the blob's row: a reader who sees the version finds its key.
  MEDCHAIN_TRY(std::size_t keys, add_keys(body, version, now));
  (void)keys;
  if (const json& summary = member(body, "summary"); summary.is_object()) {
    MEDCHAIN_TRY(Bytes sealed, bytes_field(member(summary, "sealedSummary"), "sealedSummary"));
    MEDCHAIN_TRY(Address author, fixed_field<Address>(summary, "uploadedBy"));
    if (sealed.size() >= records::kMinSealedSummary &&
        sealed.size() <= records::kMaxSealedSummary &&
        std::equal(records::kSummaryMagic.begin(), records::kSummaryMagic.end(), sealed.begin())) {
      MEDCHAIN_TRY(std::optional<store::SealedSummary> held,
                   node_.summary(version.record_id, version.version));
      if (!held) {
        MEDCHAIN_TRY_STATUS(node_.put_summary(
            {version.record_id, version.version, std::move(sealed), author, now}));
      }
    }
  }
  store::BlobInfo info;
  info.digest = version.digest;
  info.size = size;
  info.category = *category;
  info.patient = version.patient;
  info.uploaded_by = uploaded_by;
  info.created_at = now;
  info.category_signature = std::move(signature);
  info.category_signer = signer;
  return node_.put_blob(info);
}

Result<std::size_t> Replicator::refresh_keys(Peer& peer, const store::RecordVersionRow& version,
                                             std::uint64_t now) {
  MEDCHAIN_TRY(json body, fetch_version(peer, version));
  return add_keys(body, version, now);
}

Result<std::size_t> Replicator::add_keys(const json& body, const store::RecordVersionRow& version,
                                         std::uint64_t now) {
  const json& keys = member(body, "keys");
  if (!keys.is_array()) return refused("the peer's answer has no keys");
  std::size_t added = 0;
  for (const json& entry : keys) {
    if (!entry.is_object()) return refused("a key of the peer's is not an object");
    MEDCHAIN_TRY(Address recipient, fixed_field<Address>(entry, "recipient"));
    MEDCHAIN_TRY(Address shared_by, fixed_field<Address>(entry, "sharedBy"));
    MEDCHAIN_TRY(Bytes sealed, bytes_field(member(entry, "sealedKey"), "sealedKey"));
    if (sealed.empty() || sealed.size() > kMaxSealedKeyBytes) continue;
    MEDCHAIN_TRY(std::optional<store::WrappedKey> held,
                 node_.wrapped_key(version.record_id, version.version, recipient));
    if (held) continue;
    MEDCHAIN_TRY_STATUS(node_.put_wrapped_key(
        {version.record_id, version.version, recipient, std::move(sealed), shared_by, now}));
    ++added;
  }
  return added;
}

namespace {

std::vector<Hash32> ids_of(const std::vector<store::StorageNodeRow>& nodes) {
  std::vector<Hash32> ids;
  for (const store::StorageNodeRow& node : nodes) ids.push_back(node.node_id);
  return ids;
}

}  // namespace

std::vector<Replicator::Peer*> Replicator::sources_of(
    const store::RecordVersionRow& version, const std::vector<store::StorageNodeRow>& nodes) {
  std::vector<Hash32> order =
      holders(version.record_id, version.node_id, ids_of(nodes), options_.replicas);
  for (const store::StorageNodeRow& node : nodes) {
    if (std::find(order.begin(), order.end(), node.node_id) == order.end())
      order.push_back(node.node_id);
  }
  std::vector<Peer*> sources;
  for (const Hash32& id : order) {
    if (id == options_.own_node) continue;
    const auto row =
        std::find_if(nodes.begin(), nodes.end(),
                     [&id](const store::StorageNodeRow& node) { return node.node_id == id; });
    sources.push_back(&peer_for(*row));
  }
  return sources;
}

Status Replicator::pull_from_peers(const std::vector<Peer*>& holders,
                                   const store::RecordVersionRow& version, std::uint64_t now) {
  if (holders.empty()) return Error{Errc::kUnavailable, "no other registered node to pull from"};
  std::string reasons;
  bool any_refused = false;
  bool any_timeout = false;
  for (Peer* peer : holders) {
    Status pulled = pull(*peer, version, now);
    if (pulled.ok()) return pulled;
    any_refused = any_refused || pulled.error().code == Errc::kCheckFailed;
    any_timeout = any_timeout || pulled.error().code == Errc::kTimeout;
    reasons += (reasons.empty() ? "" : "; ") + std::string("node ") + to_hex(peer->node.node_id) +
               " (" + peer->node.url + "): " + pulled.error().message;
  }
  // A peer that does not hold it (404) is no reason to ask again soon: this node's own version
  // has no upload of its own to wait for, so every failure waits `retry_refused`.
  const Errc code = any_refused   ? Errc::kCheckFailed
                    : any_timeout ? Errc::kTimeout
                                  : Errc::kUnavailable;
  return Error{code, "no peer served " + version_name(version) + " intact: " + reasons};
}

struct Replicator::Pass {
  std::vector<store::StorageNodeRow> nodes;
  std::vector<Hash32> registered;
  bool refresh = false;  // keys re-read and blobs looked for, for every version held
  std::chrono::steady_clock::time_point started;
  std::uint64_t now = 0;
  std::ostream* log = nullptr;
  PassReport report;
};

Result<std::vector<store::RecordVersionRow>> Replicator::versions_to_visit(const Pass& pass,
                                                                           bool full) {
  std::vector<store::RecordVersionRow> versions;
  if (full) {
    for (const store::StorageNodeRow& node : pass.nodes) {
      MEDCHAIN_TRY(std::vector<store::RecordVersionRow> homed,
                   index_.record_versions_on_node(node.node_id));
      versions.insert(versions.end(), homed.begin(), homed.end());
    }
    return versions;
  }
  // Between full passes: the versions indexed since the last pass, and those waiting on this
  // replicator (a retry that is due, keys still re-read after a pull).
  MEDCHAIN_TRY(versions, index_.record_versions_after_block(*cursor_));
  std::set<std::pair<Hash32, std::uint64_t>> listed;
  for (const store::RecordVersionRow& version : versions)
    listed.emplace(version.record_id, version.version);
  std::vector<std::pair<Hash32, std::uint64_t>> waiting;
  for (const auto& [key, when] : backoff_) {
    if (pass.started >= when) waiting.push_back(key);
  }
  for (const auto& [key, until] : recently_pulled_) {
    if (pass.started < until) waiting.push_back(key);
  }
  for (const auto& key : waiting) {
    if (!listed.insert(key).second) continue;
    MEDCHAIN_TRY(std::vector<store::RecordVersionRow> record, index_.record_versions(key.first));
    for (store::RecordVersionRow& version : record) {
      if (version.version == key.second) versions.push_back(std::move(version));
    }
  }
  return versions;
}

Result<PassReport> Replicator::run_once(std::ostream& log, std::uint64_t now) {
  Pass pass;
  pass.started = std::chrono::steady_clock::now();
  pass.now = now;
  pass.log = &log;
  pass.refresh = pass.started >= next_key_refresh_;
  // Read before the versions: every version indexed up to it is in this pass's lists.
  MEDCHAIN_TRY(std::optional<chain::BlockRef> checkpoint, index_.checkpoint());
  MEDCHAIN_TRY(pass.nodes, index_.storage_nodes());
  pass.registered = ids_of(pass.nodes);
  // A full pass walks every version (anti-entropy, the key re-reads, a lost blob found); it runs
  // at each key refresh, at the first pass, and when the registry changed (placement moved).
  const bool full = pass.refresh || !cursor_ || pass.registered != last_registered_;
  MEDCHAIN_TRY(std::vector<store::RecordVersionRow> versions, versions_to_visit(pass, full));
  for (const store::RecordVersionRow& version : versions) {
    const auto home = std::find_if(
        pass.nodes.begin(), pass.nodes.end(),
        [&version](const store::StorageNodeRow& node) { return node.node_id == version.node_id; });
    if (home == pass.nodes.end()) continue;  // homed on no registered node: nobody to ask
    MEDCHAIN_TRY_STATUS(visit(pass, *home, version));
  }
  if (pass.refresh) next_key_refresh_ = pass.started + options_.key_refresh;
  last_registered_ = pass.registered;
  cursor_ = checkpoint ? checkpoint->number : 0;
  return pass.report;
}

Status Replicator::visit(Pass& pass, const store::StorageNodeRow& node,
                         const store::RecordVersionRow& version) {
  const bool homed_here = node.node_id == options_.own_node;
  Peer* home = homed_here ? nullptr : &peer_for(node);
  const auto started = pass.started;
  PassReport& report = pass.report;
  const auto key = std::pair{version.record_id, version.version};
  if (const auto wait = backoff_.find(key); wait != backoff_.end()) {
    if (started < wait->second) return {};
    backoff_.erase(wait);
  }
  MEDCHAIN_TRY(std::optional<store::BlobInfo> held, node_.blob(version.digest));
  // At each key refresh the blob itself is looked for too: a version whose row is there but
  // whose blob is gone (a lost file, or one the operator deleted after `medchain node verify`
  // found it altered) is pulled again. One stat (S3: one HEAD) per version per `key_refresh`,
  // as many requests as the key re-reads already make.
  if (pass.refresh && held && held->patient == version.patient && !blobs_.contains(version.digest))
    held.reset();
  Status done;
  if (held && held->patient == version.patient) {
    // A version homed here has its keys shared here: there is nothing to refresh.
    if (homed_here) return {};
    // A version pulled moments ago: its keys are usually shared just after its transaction
    // (the share needs the version indexed), so they are re-read at every pass for a while.
    const auto pulled = recently_pulled_.find(key);
    const bool fresh = pulled != recently_pulled_.end() && started < pulled->second;
    if (pulled != recently_pulled_.end() && !fresh) recently_pulled_.erase(pulled);
    if (!pass.refresh && !fresh) return {};
    auto added = refresh_keys(*home, version, pass.now);
    if (added.ok()) report.keys_added += *added;
    done = added.ok() ? Status{} : Status(added.error());
  } else if (held) {
    return {};  // the digest is held for another patient: not this version's bytes to copy
  } else if (!homed_here && !holds(options_.own_node, version.record_id, version.node_id,
                                   pass.registered, options_.replicas)) {
    return {};  // placement names r other nodes for it
  } else {
    // Homed here yet not held: this node lost its disk (or the blob); any peer's replica,
    // checked against the chain like the home node's, brings it back.
    done = homed_here ? pull_from_peers(sources_of(version, pass.nodes), version, pass.now)
                      : pull(*home, version, pass.now);
    if (done.ok()) {
      ++report.pulled;
      if (!homed_here) recently_pulled_[key] = started + options_.key_refresh;
    }
  }
  if (done.ok()) {
    not_indexed_.erase(key);
    return {};
  }
  if (done.error().code == Errc::kNotFound) {
    // Not an error yet: asked again shortly, quietly, until `retry_refused` has passed.
    const auto first_seen = not_indexed_.try_emplace(key, started).first->second;
    if (started - first_seen < options_.retry_refused) {
      ++report.not_yet;
      backoff_[key] = started + options_.retry_not_indexed;
      return {};
    }
  }
  not_indexed_.erase(key);
  const bool was_refused = done.error().code == Errc::kCheckFailed;
  ++(was_refused ? report.refused : report.unreachable);
  *pass.log << "medchaind: replication " << (was_refused ? "refused " : "could not pull ")
            << version_name(version)
            << (homed_here ? std::string(", homed here, from any peer")
                           : " from node " + to_hex(node.node_id) + " (" + node.url + ")")
            << ": " << done.error().message << std::endl;
  backoff_[key] = started + options_.retry_refused;
  return {};
}

Status Replicator::pull_from_any(const store::RecordVersionRow& version, std::uint64_t now) {
  MEDCHAIN_TRY(std::vector<store::StorageNodeRow> nodes, index_.storage_nodes());
  return pull_from_peers(sources_of(version, nodes), version, now);
}

void Replicator::run(const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                     std::ostream& log) {
  while (!stop) {
    {
      std::lock_guard lock(wake_mutex_);
      wake_pending_ = false;  // this pass sees whatever the wake announced
    }
    auto pass = run_once(log, wall_clock());
    if (!pass.ok())
      log << "medchaind: replication pass failed: " << pass.error().message << std::endl;
    // Waits in slices, so that `stop` (an atomic nobody notifies) is seen within 50 ms; a
    // version its home node has not indexed yet is asked for again soon.
    const auto wait = pass.ok() && pass->not_yet > 0 ? std::min<std::chrono::milliseconds>(
                                                           interval, options_.retry_not_indexed)
                                                     : interval;
    const auto next = std::chrono::steady_clock::now() + wait;
    std::unique_lock lock(wake_mutex_);
    while (!stop && !wake_pending_ && std::chrono::steady_clock::now() < next) {
      woken_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                                std::chrono::milliseconds(50),
                                next - std::chrono::steady_clock::now()));
    }
  }
}

void Replicator::wake() {
  {
    std::lock_guard lock(wake_mutex_);
    wake_pending_ = true;
  }
  woken_.notify_one();
}

}  // namespace medchain::replication
