// The peer API: what one storage node pulls from another to keep a replica of a record version
// (docs/api.md, "Peer API"; docs/architecture.md, "Federation"). Only ciphertext and what is
// sealed or signed by others travels: the blob, the author's category statement, the sealed
// summary and the content keys sealed per recipient. The caller is a registered storage node
// (Access::kPeer: its operator signed the request); every answer is audited under the operator's
// address, so the patient sees in the audit log which node copied what.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/records/category.hpp>

namespace medchain::api::detail {

Response peer_version(NodeContext& node, const Call& call) {
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  auto blob = blob_of(node, *version);
  if (!blob.ok()) return problem_for(blob.error());
  if (!*blob) return problem(404, "not_found", "Not found", "this node does not hold that version");
  auto summary = node.node_store().summary(version->record_id, version->version);
  if (!summary.ok()) return problem_for(summary.error());
  auto keys = node.node_store().wrapped_keys(version->record_id, version->version);
  if (!keys.ok()) return problem_for(keys.error());
  const std::string subject = to_hex(version->record_id) + "/" + std::to_string(version->version);
  auto audited =
      node.audit(call.peer->operator_address, "peer.version.read", subject, version->patient, true);
  if (!audited.ok()) return problem_for(audited.error());
  const store::BlobInfo& held = **blob;
  json sealed_keys = json::array();
  for (const store::WrappedKey& key : *keys) {
    sealed_keys.push_back({{"recipient", to_json(key.recipient)},
                           {"sealedKey", to_hex(key.sealed_key)},
                           {"sharedBy", to_json(key.uploaded_by)},
                           {"createdAt", key.created_at}});
  }
  json sealed_summary = nullptr;
  if (*summary) {
    sealed_summary = {{"sealedSummary", to_hex((*summary)->sealed_summary)},
                      {"uploadedBy", to_json((*summary)->uploaded_by)},
                      {"createdAt", (*summary)->created_at}};
  }
  return ok(
      {{"recordId", to_json(version->record_id)},
       {"version", version->version},
       {"patient", to_json(version->patient)},
       {"author", to_json(version->author)},
       {"digest", to_json(version->digest)},
       {"nodeId", to_json(version->node_id)},
       {"size", held.size},
       {"category", records::category_name(held.category)},
       {"categorySignature",
        held.category_signature.empty() ? json(nullptr) : json(to_hex(held.category_signature))},
       {"categorySigner",
        held.category_signature.empty() ? json(nullptr) : to_json(held.category_signer)},
       {"uploadedBy", to_json(held.uploaded_by)},
       {"createdAt", held.created_at},
       {"summary", std::move(sealed_summary)},
       {"keys", std::move(sealed_keys)}});
}

Response peer_blob(NodeContext& node, const Call& call) {
  auto digest = hash_param(call, "digest");
  if (!digest.ok()) return problem_for(digest.error());
  auto info = node.node_store().blob(*digest);
  if (!info.ok()) return problem_for(info.error());
  if (!*info) return problem(404, "not_found", "Not found", "this node holds no such blob");
  auto audited = node.audit(call.peer->operator_address, "peer.blob.read", to_hex(*digest),
                            (*info)->patient, true);
  if (!audited.ok()) return problem_for(audited.error());
  auto reader = node.blobs->open_read(*digest);
  if (!reader.ok()) return problem_for(reader.error());
  Response response;
  response.content_type = "application/octet-stream";
  response.headers.emplace_back("ETag", "\"" + to_hex(*digest, false) + "\"");
  response.stream_size = (*info)->size;
  response.stream = blob_source(std::move(*reader), response.stream_size);
  return response;
}

}  // namespace medchain::api::detail
