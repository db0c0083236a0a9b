// POST /v1/blobs: a ciphertext streamed to the blob store. The uploader declares whose record it
// is, its category and its SHA-256; the node stores it only if the uploader may append to the
// patient's file now, the size is within the limit, and the bytes hash to the declared digest.
// A refused, truncated or mismatched upload leaves nothing behind.
//
// The digest comes as a header, or as a trailer after a chunked body (`Trailer:
// Medchain-Digest`): a client that encrypts as it sends knows the digest only at the end, and
// would otherwise have to encrypt the file twice.
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>

namespace medchain::api::detail {
namespace {

Upload refuse(Response response) {
  return Upload{nullptr, 0, std::move(response)};
}

Response conflict() {
  return problem(409, "conflict", "Conflict",
                 "this node holds a blob with that digest for another patient");
}

// The first upload of a digest decides its patient: another patient's upload of the same bytes
// is refused.
Result<bool> held_for_another_patient(NodeContext& node, const store::BlobInfo& info) {
  MEDCHAIN_TRY(std::optional<store::BlobInfo> existing, node.node_store().blob(info.digest));
  return existing && existing->patient != info.patient;
}

// The uploader's category statement, when it sent one, must be theirs, for these bytes and this
// category (docs/format.md, "Category statements"); a client checks it again from the listing.
Status check_category_statement(NodeContext& node, const store::BlobInfo& info) {
  if (info.category_signature.empty()) return {};
  const records::CategoryStatement statement{info.patient, info.digest, info.category};
  auto signer = records::category_signer(statement, {node.config.chain_id, node.config.contract},
                                         info.category_signature);
  if (!signer.ok() || *signer != info.uploaded_by) {
    return Error{Errc::kInvalidSignature,
                 "Medchain-Category-Signature is not the uploader's statement of this category "
                 "for these bytes"};
  }
  return {};
}

class BlobUploadSink final : public BodySink {
 public:
  // `info.digest` is the declared digest, unless `digest_in_trailer`.
  BlobUploadSink(NodeContext& node, store::BlobWriter writer, store::BlobInfo info,
                 bool digest_in_trailer)
      : node_(node),
        writer_(std::move(writer)),
        info_(info),
        digest_in_trailer_(digest_in_trailer) {}
  ~BlobUploadSink() override { --node_.uploads_in_flight; }

  Status write(ByteView piece) override {
    auto written = writer_.write(piece);
    if (!written.ok() && written.error().code == Errc::kInvalidLength)
      return Error{Errc::kTooLarge, written.error().message};
    return written;
  }

  Response finish(const std::map<std::string, std::string>& trailer) override {
    const auto trailing = trailer.find("medchain-digest");
    if (!digest_in_trailer_ && trailing != trailer.end()) {
      return bad_request("Medchain-Digest is declared twice, as a header and as a trailer");
    }
    if (digest_in_trailer_) {
      auto digest =
          from_hex_fixed<Hash32>(trailing == trailer.end() ? std::string() : trailing->second);
      if (!digest) {
        return bad_request(
            "the trailer must carry Medchain-Digest, the ciphertext's SHA-256 as 0x hex");
      }
      info_.digest = *digest;
      if (auto taken = held_for_another_patient(node_, info_); !taken.ok() || *taken) {
        return taken.ok() ? conflict() : problem_for(taken.error());
      }
      if (auto stated = check_category_statement(node_, info_); !stated.ok()) {
        return problem_for(stated.error());
      }
    }
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
    if (auto stored = node_.node_store().put_blob(info_); !stored.ok())
      return problem_for(stored.error());
    // The first upload of a digest decides its patient and category; a later one of the same
    // bytes changes nothing (and one for another patient is refused).
    auto kept = node_.node_store().blob(info_.digest);
    if (!kept.ok()) return problem_for(kept.error());
    if (!*kept || (*kept)->patient != info_.patient) return conflict();
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
  bool digest_in_trailer_;
};

struct Declared {
  Address patient;
  std::uint8_t category = 0;
  std::optional<Hash32> digest;  // none: it follows the body, as a trailer
  Bytes category_signature;      // empty: none sent
};

// Whether a comma-separated field value (RFC 9110 section 5.6.1) lists `token`, in any case.
bool lists(const std::string& value, std::string_view token) {
  for (const auto item : boost::beast::http::token_list(value)) {
    if (boost::beast::iequals(item, boost::beast::string_view(token.data(), token.size())))
      return true;
  }
  return false;
}

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
  if (const std::string signature = head.header("medchain-category-signature");
      !signature.empty()) {
    auto bytes = from_hex(signature);
    if (!bytes || bytes->size() != 65) {
      return Error{Errc::kInvalidArgument,
                   "Medchain-Category-Signature must be a 65-byte signature as 0x hex"};
    }
    out.category_signature = std::move(*bytes);
  }
  if (head.header("medchain-digest").empty() && lists(head.header("trailer"), "medchain-digest")) {
    if (!lists(head.header("transfer-encoding"), "chunked")) {
      return Error{Errc::kInvalidArgument,
                   "a Medchain-Digest trailer needs a chunked body (Transfer-Encoding: chunked)"};
    }
    return out;
  }
  auto digest = from_hex_fixed<Hash32>(head.header("medchain-digest"));
  if (!digest) {
    return Error{Errc::kInvalidArgument,
                 "Medchain-Digest must be the ciphertext's SHA-256 as 0x hex (a header, or a "
                 "trailer announced with Trailer: Medchain-Digest)"};
  }
  out.digest = *digest;
  return out;
}

// The most this upload may bring: the blob size limit, or what is left of the patient's quota.
// Concurrent uploads of one patient may together pass the quota by at most
// max_concurrent_uploads blobs; the next upload is then refused.
Result<std::uint64_t> upload_limit(NodeContext& node, const Address& patient) {
  const std::uint64_t quota = node.config.quota_bytes_per_patient;
  if (quota == 0) return node.config.max_blob_bytes;
  MEDCHAIN_TRY(std::uint64_t used, node.node_store().patient_blob_bytes(patient));
  return std::min(node.config.max_blob_bytes, quota > used ? quota - used : 0);
}

std::uint64_t declared_length(const Request& head) {
  const std::string length = head.header("content-length");
  return length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
}

Response over_quota(NodeContext& node) {
  return problem(413, "quota_exceeded", "Quota exceeded",
                 "this node keeps at most " + std::to_string(node.config.quota_bytes_per_patient) +
                     " bytes of records for one patient, and this upload would pass it");
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
      // A digest still to come in the trailer is not known: the denial names no blob.
      auto audited =
          node.audit(call.caller(), "blob.write",
                     what->digest ? to_hex(*what->digest) : std::string(), what->patient, false);
      if (!audited.ok()) return refuse(problem_for(audited.error()));
      return refuse(forbidden("you may not add records for this patient now"));
    }
  }
  store::BlobInfo info;
  if (what->digest) info.digest = *what->digest;
  info.category = what->category;
  info.patient = what->patient;
  info.uploaded_by = call.caller();
  info.category_signature = what->category_signature;
  if (!info.category_signature.empty()) info.category_signer = call.caller();
  if (what->digest) {
    auto taken = held_for_another_patient(node, info);
    if (!taken.ok()) return refuse(problem_for(taken.error()));
    if (*taken) return refuse(conflict());
    if (auto stated = check_category_statement(node, info); !stated.ok()) {
      return refuse(problem_for(stated.error()));
    }
  }
  auto limit = upload_limit(node, info.patient);
  if (!limit.ok()) return refuse(problem_for(limit.error()));
  if (*limit == 0 || declared_length(call.request) > *limit) return refuse(over_quota(node));
  if (++node.uploads_in_flight > node.config.max_concurrent_uploads) {
    --node.uploads_in_flight;
    Response busy = problem(503, "busy", "Too many uploads", "retry in a moment");
    busy.headers.emplace_back("Retry-After", "1");
    return refuse(std::move(busy));
  }
  auto writer = node.blobs->begin_write(*limit);
  if (!writer.ok()) {
    --node.uploads_in_flight;
    return refuse(problem_for(writer.error()));
  }
  return Upload{
      std::make_unique<BlobUploadSink>(node, std::move(*writer), info, !what->digest.has_value()),
      *limit, Response{}};
}

}  // namespace medchain::api::detail
