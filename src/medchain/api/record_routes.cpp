// Records, their ciphertext blobs and their wrapped keys. What a caller may see is decided here,
// from the index at the moment of the request: the patient and guardians see everything; a
// doctor sees a record version when a grant or an emergency window covers its category now.
// The category is what the uploader declared to this node (it is not on chain), so a version
// whose blob this node does not hold is shown to the patient and guardians only.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>
#include <medchain/records/summary.hpp>

namespace medchain::api::detail {
namespace {

constexpr std::size_t kMaxSealedKeyBytes = 1024;
constexpr std::size_t kMaxKeysPerCall = 64;

json version_json(const store::RecordVersionRow& version,
                  const std::optional<store::BlobInfo>& blob,
                  const std::optional<store::SealedSummary>& summary) {
  return {
      {"version", version.version},
      {"author", to_json(version.author)},
      {"digest", to_json(version.digest)},
      {"previousDigest",
       version.previous_digest ? to_json(*version.previous_digest) : json(nullptr)},
      {"nodeId", to_json(version.node_id)},
      {"contentId", to_json(version.content_id)},
      {"head", to_json(version.head)},
      {"category", blob ? json(records::category_name(blob->category)) : json(nullptr)},
      {"categorySignature", blob && !blob->category_signature.empty()
                                ? json(to_hex(blob->category_signature))
                                : json(nullptr)},
      {"categorySigner",
       blob && !blob->category_signature.empty() ? to_json(blob->category_signer) : json(nullptr)},
      {"size", blob ? json(blob->size) : json(nullptr)},
      {"blockNumber", version.block_number},
      {"blockTime", version.block_time},
      {"transactionHash", to_json(version.transaction_hash)},
      {"summary", summary ? json(to_hex(summary->sealed_summary)) : json(nullptr)}};
}

// Whose sealed key of `version` is the caller's own: the caller's, except for the patient's
// controller since a recovery, which reads the patient's copy (sealed to the patient's key on
// chain, which the controller rotated to its own: docs/format.md, "Recovery").
Result<Address> key_recipient(NodeContext& node, const store::RecordVersionRow& version,
                              const Address& caller) {
  MEDCHAIN_TRY(Address acting, node.index().acting_patient(version.patient));
  return acting == caller ? version.patient : caller;
}

// The caller's own sealed key (the one stored for `recipient`, see key_recipient) of a version
// the caller may read, as hex (audited as key.read), or null when none was shared.
Result<json> own_sealed_key(NodeContext& node, const store::RecordVersionRow& version,
                            const Address& caller, const Address& recipient) {
  auto key = node.node_store().wrapped_key(version.record_id, version.version, recipient);
  if (!key.ok()) return key.error();
  if (!key->has_value()) return json(nullptr);
  MEDCHAIN_TRY_STATUS(node.audit(caller, "key.read",
                                 to_hex(version.record_id) + "/" + std::to_string(version.version),
                                 version.patient, true));
  return json(to_hex((*key)->sealed_key));
}

// The versions of `rows` the caller may read, grouped by record in first-seen order, each with
// its sealed summary. With `with_keys` (?include=keys), also the caller's own sealed key of each
// version: the same key GET .../versions/{n}/key serves, to the same callers, and audited the
// same way (one "key.read" per key served), so that a client decrypts a list's summaries
// without one request per version.
Result<json> visible_records(NodeContext& node, const std::vector<store::RecordVersionRow>& rows,
                             const Address& caller, bool with_keys) {
  MEDCHAIN_TRY(std::uint64_t now, node.now());
  json records = json::array();
  std::map<Hash32, std::size_t> position;
  std::map<Address, Address> recipients;  // key_recipient by patient: one index query each
  FetchPermission permission(caller, now);  // likewise, for the versions this node lacks
  for (const store::RecordVersionRow& version : rows) {
    MEDCHAIN_TRY(std::optional<store::BlobInfo> blob, blob_for_reader(node, version, permission));
    MEDCHAIN_TRY(bool readable, may_read(node, version, blob, caller, now));
    if (!readable) continue;
    auto [at, inserted] = position.emplace(version.record_id, records.size());
    if (inserted) {
      records.push_back({{"recordId", to_json(version.record_id)},
                         {"patient", to_json(version.patient)},
                         {"versions", json::array()}});
    }
    auto summary = node.node_store().summary(version.record_id, version.version);
    if (!summary.ok()) return summary.error();
    json listed = version_json(version, blob, *summary);
    if (with_keys) {
      auto recipient = recipients.find(version.patient);
      if (recipient == recipients.end()) {
        MEDCHAIN_TRY(Address whose, key_recipient(node, version, caller));
        recipient = recipients.emplace(version.patient, whose).first;
      }
      MEDCHAIN_TRY(json sealed_key, own_sealed_key(node, version, caller, recipient->second));
      listed["sealedKey"] = std::move(sealed_key);
    }
    records[at->second]["versions"].push_back(std::move(listed));
  }
  return records;
}

// ?include=keys, or nothing.
Result<bool> include_keys(const Call& call) {
  const std::string include = query_param(call.request, "include");
  if (include.empty()) return false;
  if (include == "keys") return true;
  return Error{Errc::kInvalidArgument, "include is \"keys\" or left out"};
}

// A blob streamed from the blob store, `left` bytes from where the reader stands.
class BlobSource final : public BodySource {
 public:
  BlobSource(store::BlobReader reader, std::uint64_t left)
      : reader_(std::move(reader)), left_(left) {}
  Result<std::size_t> read(std::span<std::uint8_t> out) override {
    if (left_ == 0) return std::size_t{0};
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), left_));
    MEDCHAIN_TRY(std::size_t got, reader_.read(out.first(want)));
    left_ -= got;
    return got;
  }

 private:
  store::BlobReader reader_;
  std::uint64_t left_;
};

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// A single "bytes=" range of RFC 9110 section 14.1.2 over `size` bytes. nullopt for a header
// to ignore (absent, multiple ranges, another unit); kInvalidArgument when unsatisfiable.
Result<std::optional<ByteRange>> parse_range(const std::string& header, std::uint64_t size) {
  static constexpr std::string_view kUnit = "bytes=";
  if (header.rfind(kUnit, 0) != 0 || header.find(',') != std::string::npos) {
    return std::optional<ByteRange>();
  }
  const std::string spec = header.substr(kUnit.size());
  const auto dash = spec.find('-');
  const auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
    if (text.empty() || text.size() > 19 ||
        text.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return std::stoull(text);
  };
  if (dash == std::string::npos) return std::optional<ByteRange>();
  const std::string from = spec.substr(0, dash);
  const std::string to = spec.substr(dash + 1);
  const Error unsatisfiable{Errc::kInvalidArgument, "the range is outside the blob"};
  if (from.empty()) {  // the last N bytes
    auto suffix = number(to);
    if (!suffix || *suffix == 0 || size == 0) return unsatisfiable;
    const std::uint64_t length = std::min(*suffix, size);
    return std::optional<ByteRange>(ByteRange{size - length, length});
  }
  auto first = number(from);
  if (!first) return std::optional<ByteRange>();
  if (*first >= size) return unsatisfiable;
  std::uint64_t last = size - 1;
  if (!to.empty()) {
    auto given = number(to);
    if (!given || *given < *first) return std::optional<ByteRange>();
    last = std::min(*given, size - 1);
  }
  return std::optional<ByteRange>(ByteRange{*first, last - *first + 1});
}

}  // namespace

std::unique_ptr<BodySource> blob_source(store::BlobReader reader, std::uint64_t left) {
  return std::make_unique<BlobSource>(std::move(reader), left);
}

// Whether `caller` may read `version` now.
Result<bool> may_read(NodeContext& node, const store::RecordVersionRow& version,
                      const std::optional<store::BlobInfo>& blob, const Address& caller,
                      std::uint64_t now) {
  MEDCHAIN_TRY(bool manages, node.manages(version.patient, caller));
  if (manages) return true;
  if (!blob) return false;
  MEDCHAIN_TRY(store::ReadAccess access,
               node.index().read_access(version.patient, caller, blob->category, now));
  return access != store::ReadAccess::kDenied;
}

Result<bool> may_read_now(NodeContext& node, const store::RecordVersionRow& version,
                          const Address& caller) {
  FetchPermission permission(caller);
  MEDCHAIN_TRY(std::optional<store::BlobInfo> blob, blob_for_reader(node, version, permission));
  MEDCHAIN_TRY(std::uint64_t now, node.now());
  return may_read(node, version, blob, caller, now);
}

static Result<std::uint64_t> version_param(const Call& call) {
  const auto found = call.params.find("version");
  const std::string text = found == call.params.end() ? "" : found->second;
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos || text == "0") {
    return Error{Errc::kInvalidArgument, "version must be a positive integer"};
  }
  return std::stoull(text);
}

// The indexed version the path names, or kNotFound.
Result<store::RecordVersionRow> indexed_version(NodeContext& node, const Call& call) {
  MEDCHAIN_TRY(Hash32 record_id, hash_param(call, "recordId"));
  MEDCHAIN_TRY(std::uint64_t number, version_param(call));
  MEDCHAIN_TRY(auto versions, node.index().record_versions(record_id));
  for (const store::RecordVersionRow& version : versions) {
    if (version.version == number) return version;
  }
  return Error{Errc::kNotFound, "the chain has no such record version (or it is not indexed yet)"};
}

Response patient_records(NodeContext& node, const Call& call) {
  auto patient = address_param(call, "address");
  if (!patient.ok()) return problem_for(patient.error());
  auto with_keys = include_keys(call);
  if (!with_keys.ok()) return problem_for(with_keys.error());
  auto rows = node.index().record_versions_of_patient(*patient);
  if (!rows.ok()) return problem_for(rows.error());
  auto records = visible_records(node, *rows, call.caller(), *with_keys);
  if (!records.ok()) return problem_for(records.error());
  return ok({{"records", *records}});
}

Response record(NodeContext& node, const Call& call) {
  auto record_id = hash_param(call, "recordId");
  if (!record_id.ok()) return problem_for(record_id.error());
  auto with_keys = include_keys(call);
  if (!with_keys.ok()) return problem_for(with_keys.error());
  auto rows = node.index().record_versions(*record_id);
  if (!rows.ok()) return problem_for(rows.error());
  if (rows->empty()) return problem(404, "not_found", "Not found", "the chain has no such record");
  auto records = visible_records(node, *rows, call.caller(), *with_keys);
  if (!records.ok()) return problem_for(records.error());
  if (records->empty()) {
    auto audited =
        node.audit(call.caller(), "record.read", to_hex(*record_id), rows->front().patient, false);
    if (!audited.ok()) return problem_for(audited.error());
    return forbidden("no grant of yours covers this record now");
  }
  return ok((*records)[0]);
}

Response download_blob(NodeContext& node, const Call& call) {
  auto digest = hash_param(call, "digest");
  if (!digest.ok()) return problem_for(digest.error());
  std::optional<ByteRange> range;
  store::BlobInfo blob;
  {
    auto info = node.node_store().blob(*digest);
    if (!info.ok()) return problem_for(info.error());
    if (!*info) {
      auto versions = node.index().record_versions_with_digest(*digest);
      if (!versions.ok()) return problem_for(versions.error());
      FetchPermission permission(call.caller());
      // Each version recording the digest names its own home node and holders: one whose
      // fetch fails leaves the others to try. The first failure of each kind, if all fail.
      std::optional<Error> refused, timed_out, failed;
      for (const store::RecordVersionRow& version : *versions) {
        auto fetched = fetch_missing(node, version, permission);
        if (fetched.ok() && *fetched) {
          *info = std::move(*fetched);
          break;
        }
        if (fetched.ok()) continue;
        const Errc code = fetched.error().code;
        std::optional<Error>& first = code == Errc::kCheckFailed ? refused
                                      : code == Errc::kTimeout   ? timed_out
                                                                 : failed;
        if (!first) first = std::move(fetched).error();
      }
      if (!*info && refused) {
        return problem(502, "peer_fetch_failed", "Peer fetch failed", refused->message);
      }
      if (!*info && timed_out) {
        return problem(504, "peer_timeout", "Peer timeout", timed_out->message);
      }
      if (!*info && failed) {
        return problem(502, "peer_fetch_failed", "Peer fetch failed", failed->message);
      }
    }
    if (!*info) return problem(404, "not_found", "Not found", "this node holds no such blob");
    blob = **info;
    auto now = node.now();
    if (!now.ok()) return problem_for(now.error());
    auto access = node.index().read_access(blob.patient, call.caller(), blob.category, *now);
    if (!access.ok()) return problem_for(access.error());
    const bool allowed = *access != store::ReadAccess::kDenied;
    auto audited = node.audit(call.caller(), "blob.read", to_hex(*digest), blob.patient, allowed);
    if (!audited.ok()) return problem_for(audited.error());
    if (!allowed) return forbidden("no grant of yours covers this record's category now");
  }
  auto parsed = parse_range(call.request.header("range"), blob.size);
  if (!parsed.ok()) {
    Response refusal =
        problem(416, "range_not_satisfiable", "Range not satisfiable", parsed.error().message);
    refusal.headers.emplace_back("Content-Range", "bytes */" + std::to_string(blob.size));
    return refusal;
  }
  range = *parsed;
  auto reader = node.blobs->open_read(*digest);
  if (!reader.ok()) return problem_for(reader.error());
  Response response;
  response.content_type = "application/octet-stream";
  response.headers.emplace_back("Accept-Ranges", "bytes");
  response.headers.emplace_back("ETag", "\"" + to_hex(*digest, false) + "\"");
  response.stream_size = blob.size;
  if (range) {
    if (auto sought = reader->seek(range->first); !sought.ok()) return problem_for(sought.error());
    response.status = 206;
    response.stream_size = range->length;
    response.headers.emplace_back("Content-Range",
                                  "bytes " + std::to_string(range->first) + "-" +
                                      std::to_string(range->first + range->length - 1) + "/" +
                                      std::to_string(blob.size));
  }
  response.stream = std::make_unique<BlobSource>(std::move(*reader), response.stream_size);
  return response;
}

Response put_keys(NodeContext& node, const Call& call) {
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  const json& keys = (*body)["keys"];
  if (!keys.is_array() || keys.empty() || keys.size() > kMaxKeysPerCall) {
    return bad_request(
        "expected {\"keys\": [{\"recipient\": <address>, \"sealedKey\": <0x hex>}]}"
        " with 1 to 64 entries");
  }
  std::vector<std::pair<Address, Bytes>> parsed;
  for (const json& entry : keys) {
    if (!entry.is_object() || !entry["recipient"].is_string() || !entry["sealedKey"].is_string())
      return bad_request("each key is {\"recipient\": <address>, \"sealedKey\": <0x hex>}");
    auto recipient = from_hex_fixed<Address>(entry["recipient"].get<std::string>());
    auto sealed = from_hex(entry["sealedKey"].get<std::string>());
    if (!recipient) return bad_request("a recipient is not a 0x address");
    if (!sealed || sealed->empty() || sealed->size() > kMaxSealedKeyBytes)
      return bad_request("a sealedKey is not 1 to 1024 bytes of 0x hex");
    parsed.emplace_back(*recipient, std::move(*sealed));
  }
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  const std::string subject = to_hex(version->record_id) + "/" + std::to_string(version->version);
  auto manages = node.manages(version->patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  if (!*manages && version->author != call.caller()) {
    auto audited = node.audit(call.caller(), "key.share", subject, version->patient, false);
    if (!audited.ok()) return problem_for(audited.error());
    return forbidden("only the patient, a guardian or the version's author shares its key");
  }
  // Adding a recipient's key is sharing; replacing one is the patient's alone (or the
  // recipient's own copy): otherwise a guardian or the author could swap the patient's key for
  // one that opens nothing, or one of their own choosing. Checked for every entry before any
  // is stored, so a refused request changes nothing.
  // After a recovery the patient's controller replaces, and the patient's own (lost) key no
  // longer replaces even its own copy.
  auto acting = node.index().acting_patient(version->patient);
  if (!acting.ok()) return problem_for(acting.error());
  for (const auto& [recipient, sealed] : parsed) {
    if (call.caller() == *acting) continue;
    if (call.caller() == recipient && recipient != version->patient) continue;
    auto existing = node.node_store().wrapped_key(version->record_id, version->version, recipient);
    if (!existing.ok()) return problem_for(existing.error());
    if (*existing && (*existing)->sealed_key != sealed) {
      auto audited = node.audit(call.caller(), "key.share", subject, version->patient, false);
      if (!audited.ok()) return problem_for(audited.error());
      return problem(409, "key_exists", "Key already shared",
                     "only the patient replaces a key already shared with " + to_hex(recipient));
    }
  }
  auto audited = node.audit(call.caller(), "key.share", subject, version->patient, true);
  if (!audited.ok()) return problem_for(audited.error());
  auto now = node.clock();
  for (auto& [recipient, sealed] : parsed) {
    const store::WrappedKey key{version->record_id, version->version, recipient,
                                std::move(sealed),  call.caller(),    now};
    if (auto stored = node.node_store().put_wrapped_key(key); !stored.ok())
      return problem_for(stored.error());
  }
  return ok({{"stored", parsed.size()}});
}

// The body of a category correction: {"category", "signature"}.
struct CategoryCorrection {
  std::uint8_t category = 0;
  Bytes signature;
};

Result<CategoryCorrection> category_correction(const Request& request) {
  MEDCHAIN_TRY(json body, json_body(request));
  const Error expected{Errc::kInvalidArgument,
                       "expected {\"category\": <a category name>, \"signature\": <0x hex of "
                       "the caller's category statement>}"};
  if (!body["category"].is_string() || !body["signature"].is_string()) return expected;
  const auto category = records::parse_category(body["category"].get<std::string>());
  auto signature = from_hex(body["signature"].get<std::string>());
  if (!category || !signature.ok()) return expected;
  return CategoryCorrection{*category, std::move(*signature)};
}

Response set_category(NodeContext& node, const Call& call) {
  auto correction = category_correction(call.request);
  if (!correction.ok()) return problem_for(correction.error());
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  const std::string subject = to_hex(version->record_id) + "/" + std::to_string(version->version);
  auto manages = node.manages(version->patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  if (!*manages) {
    auto audited = node.audit(call.caller(), "record.category", subject, version->patient, false);
    if (!audited.ok()) return problem_for(audited.error());
    return forbidden("only the patient or a guardian corrects a category");
  }
  auto blob = blob_of(node, *version);
  if (!blob.ok()) return problem_for(blob.error());
  if (!*blob) return problem(404, "not_found", "Not found", "this node does not hold that version");
  const records::CategoryStatement statement{version->patient, version->digest,
                                             correction->category};
  auto signer = records::category_signer(statement, {node.config.chain_id, node.config.contract},
                                         correction->signature);
  if (!signer.ok() || *signer != call.caller()) {
    return problem(400, "invalid_signature", "Bad request",
                   "signature is not your statement of this category for this version");
  }
  auto audited = node.audit(call.caller(), "record.category", subject, version->patient, true);
  if (!audited.ok()) return problem_for(audited.error());
  if (auto set = node.node_store().set_category(version->digest, correction->category,
                                                correction->signature, *signer);
      !set.ok()) {
    return problem_for(set.error());
  }
  auto corrected = blob_of(node, *version);
  if (!corrected.ok()) return problem_for(corrected.error());
  auto summary = node.node_store().summary(version->record_id, version->version);
  if (!summary.ok()) return problem_for(summary.error());
  return ok(version_json(*version, *corrected, *summary));
}

// PUT .../versions/{n}/summary {"summary": <0x hex>}: the version's author, the patient or a
// guardian stores (or replaces) its sealed summary. The node checks only the size and the magic:
// it cannot open a summary, and a reader refuses one that does not open for its version.
Response put_summary(NodeContext& node, const Call& call) {
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  const json& text = (*body)["summary"];
  auto sealed = text.is_string() ? from_hex(text.get<std::string>())
                                 : Result<Bytes>(Error{Errc::kInvalidHex, "not a string"});
  if (!sealed.ok() || sealed->size() < records::kMinSealedSummary ||
      sealed->size() > records::kMaxSealedSummary ||
      !std::equal(records::kSummaryMagic.begin(), records::kSummaryMagic.end(), sealed->begin())) {
    return bad_request(
        "expected {\"summary\": <0x hex of a sealed summary: \"MCS1\", 44 to 2092 bytes>}");
  }
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  const std::string subject = to_hex(version->record_id) + "/" + std::to_string(version->version);
  auto manages = node.manages(version->patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  const bool allowed = *manages || version->author == call.caller();
  auto audited = node.audit(call.caller(), "record.summary", subject, version->patient, allowed);
  if (!audited.ok()) return problem_for(audited.error());
  if (!allowed) {
    return forbidden("only the patient, a guardian or the version's author writes its summary");
  }
  const store::SealedSummary summary{version->record_id, version->version, std::move(*sealed),
                                     call.caller(), node.clock()};
  if (auto stored = node.node_store().put_summary(summary); !stored.ok())
    return problem_for(stored.error());
  return ok({{"recordId", to_json(version->record_id)},
             {"version", version->version},
             {"summary", to_hex(summary.sealed_summary)}});
}

Response own_key(NodeContext& node, const Call& call) {
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  auto readable = may_read_now(node, *version, call.caller());
  if (!readable.ok()) return problem_for(readable.error());
  auto recipient = key_recipient(node, *version, call.caller());
  if (!recipient.ok()) return problem_for(recipient.error());
  auto key = node.node_store().wrapped_key(version->record_id, version->version, *recipient);
  if (!key.ok()) return problem_for(key.error());
  // Served or refused, the attempt is audited; asking for a key nobody shared is neither.
  if (*readable && !*key) {
    return problem(404, "not_found", "Not found", "no key was shared with you for this version");
  }
  const std::string subject = to_hex(version->record_id) + "/" + std::to_string(version->version);
  auto audited = node.audit(call.caller(), "key.read", subject, version->patient, *readable);
  if (!audited.ok()) return problem_for(audited.error());
  if (!*readable) return forbidden("no grant of yours covers this record's category now");
  return ok({{"recordId", to_json(version->record_id)},
             {"version", version->version},
             {"recipient", to_json(*recipient)},
             {"sealedKey", to_hex((*key)->sealed_key)},
             {"sharedBy", to_json((*key)->uploaded_by)}});
}

}  // namespace medchain::api::detail
