// POST /v1/blobs: a ciphertext streamed to the blob store. The uploader declares whose record it
// is, its category and its SHA-256; the node stores it only if the uploader may append to the
// patient's file now, the size is within the limit, and the bytes hash to the declared digest.
// A refused, truncated or mismatched upload leaves nothing behind.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/category.hpp>

namespace medchain::api::detail {
namespace {

Upload refuse(Response response) {
  return Upload{nullptr, 0, std::move(response)};
}

class BlobUploadSink final : public BodySink {
 public:
  BlobUploadSink(NodeContext& node, store::BlobWriter writer, store::BlobInfo info)
      : node_(node), writer_(std::move(writer)), info_(info) {}
  ~BlobUploadSink() override { --node_.uploads_in_flight; }

  Status write(ByteView piece) override {
    auto written = writer_.write(piece);
    if (!written.ok() && written.error().code == Errc::kInvalidLength)
      return Error{Errc::kTooLarge, written.error().message};
    return written;
  }

  Response finish() override {
    info_.size = writer_.bytes_written();
    auto committed = writer_.commit(info_.digest);
    if (!committed.ok()) {
      if (committed.error().code == Errc::kCheckFailed) {
        return problem(422, "digest_mismatch", "Digest mismatch",
                       "the body does not hash to the declared Medchain-Digest");
      }
      return problem_for(committed.error());
    }
    info_.created_at = node_.clock();
    if (auto stored = node_.node_store().put_blob(info_); !stored.ok()) return problem_for(stored.error());
    // The first upload of a digest decides its patient and category; a later one of the same
    // bytes changes nothing (and one for another patient is refused).
    auto kept = node_.node_store().blob(info_.digest);
    if (!kept.ok()) return problem_for(kept.error());
    if (!*kept || (*kept)->patient != info_.patient) {
      return problem(409, "conflict", "Conflict",
                     "this node holds a blob with that digest for another patient");
    }
    auto audited =
        node_.audit(info_.uploaded_by, "blob.write", to_hex(info_.digest), info_.patient, true);
    if (!audited.ok()) return problem_for(audited.error());
    return ok({{"digest", to_json((*kept)->digest)},
               {"size", (*kept)->size},
               {"patient", to_json((*kept)->patient)},
               {"category", records::category_name((*kept)->category)}},
              201);
  }

 private:
  NodeContext& node_;
  store::BlobWriter writer_;
  store::BlobInfo info_;
};

struct Declared {
  Address patient;
  std::uint8_t category = 0;
  Hash32 digest;
};

Result<Declared> declared(const Request& head) {
  Declared out;
  auto patient = from_hex_fixed<Address>(head.header("medchain-patient"));
  if (!patient) return Error{Errc::kInvalidArgument, "Medchain-Patient must be a 0x address"};
  out.patient = *patient;
  auto category = records::parse_category(head.header("medchain-category"));
  if (!category) {
    return Error{Errc::kInvalidArgument,
                 "Medchain-Category must name a category (general, lab, imaging, ...)"};
  }
  out.category = *category;
  auto digest = from_hex_fixed<Hash32>(head.header("medchain-digest"));
  if (!digest) {
    return Error{Errc::kInvalidArgument,
                 "Medchain-Digest must be the ciphertext's SHA-256 as 0x hex"};
  }
  out.digest = *digest;
  return out;
}

}  // namespace

std::optional<Upload> upload_blob(NodeContext& node, const Call& call) {
  auto what = declared(call.request);
  if (!what.ok()) return refuse(problem_for(what.error()));
  {
    auto patient = node.index().patient(what->patient);
    if (!patient.ok()) return refuse(problem_for(patient.error()));
    if (!*patient) return refuse(bad_request("Medchain-Patient is not a registered patient"));
    auto now = node.now();
    if (!now.ok()) return refuse(problem_for(now.error()));
    auto allowed = node.index().may_append(what->patient, call.caller(), *now);
    if (!allowed.ok()) return refuse(problem_for(allowed.error()));
    if (!*allowed) {
      // An allowed upload is audited once it is stored (BlobUploadSink::finish).
      auto audited =
          node.audit(call.caller(), "blob.write", to_hex(what->digest), what->patient, false);
      if (!audited.ok()) return refuse(problem_for(audited.error()));
      return refuse(forbidden("you may not add records for this patient now"));
    }
    auto existing = node.node_store().blob(what->digest);
    if (!existing.ok()) return refuse(problem_for(existing.error()));
    if (*existing && (*existing)->patient != what->patient) {
      return refuse(problem(409, "conflict", "Conflict",
                            "this node holds a blob with that digest for another patient"));
    }
  }
  if (++node.uploads_in_flight > node.config.max_concurrent_uploads) {
    --node.uploads_in_flight;
    Response busy = problem(503, "busy", "Too many uploads", "retry in a moment");
    busy.headers.emplace_back("Retry-After", "1");
    return refuse(std::move(busy));
  }
  auto writer = node.blobs->begin_write(node.config.max_blob_bytes);
  if (!writer.ok()) {
    --node.uploads_in_flight;
    return refuse(problem_for(writer.error()));
  }
  store::BlobInfo info;
  info.digest = what->digest;
  info.category = what->category;
  info.patient = what->patient;
  info.uploaded_by = call.caller();
  return Upload{std::make_unique<BlobUploadSink>(node, std::move(*writer), info),
                node.config.max_blob_bytes, Response{}};
}

}  // namespace medchain::api::detail
