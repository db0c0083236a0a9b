// The route handlers of NodeApi (private to api/), grouped by the file that implements them.
#pragma once

#include <medchain/api/detail/node_context.hpp>

namespace medchain::api::detail {

// session_routes.cpp
Response ready(NodeContext& node, const Call& call);
Response node_info(NodeContext& node, const Call& call);
Response issue_nonce(NodeContext& node, const Call& call);
Response sign_in(NodeContext& node, const Call& call);
Response sign_out(NodeContext& node, const Call& call);
Response me(NodeContext& node, const Call& call);

// directory_routes.cpp
Response patient(NodeContext& node, const Call& call);
Response doctors(NodeContext& node, const Call& call);

// profile_routes.cpp
Response doctor_profile(NodeContext& node, const Call& call);
Response put_doctor_profile(NodeContext& node, const Call& call);
// The doctor's stored profile as the routes list it (with its signature), or null.
Result<json> doctor_profile_json(NodeContext& node, const Address& doctor);

// peer_fetch.cpp:
// the blob of a version, if this node holds it for that version's patient;
Result<std::optional<store::BlobInfo>> blob_of(NodeContext& node,
                                               const store::RecordVersionRow& version);
// Who may make this node fetch a version it lacks from a peer (--peer-fetch): a caller who may
// read some category of the version's patient's file now. Kept for one request by one caller,
// so that the index is asked once per patient (one read_access per category), not per version.
class FetchPermission {
 public:
  // `now`: the node's clock as the request already read it, if it did.
  explicit FetchPermission(const Address& caller, std::optional<std::uint64_t> now = std::nullopt)
      : caller_(caller), now_(now) {}
  // whether the caller may read some category of `patient`'s file at the node's clock now.
  Result<bool> allows(NodeContext& node, const Address& patient);

 private:
  Address caller_;
  std::optional<std::uint64_t> now_;
  std::map<Address, bool> by_patient_;
};
// For a version whose digest this node holds no row of: with --peer-fetch, when `permission`
// allows the version's patient, the version fetched from a peer (the read's own check follows)
// and the row the fetch stored; nullopt when it started no fetch; the fetch's error
// (kCheckFailed: no peer served it intact; kTimeout) when it failed.
Result<std::optional<store::BlobInfo>> fetch_missing(NodeContext& node,
                                                     const store::RecordVersionRow& version,
                                                     FetchPermission& permission);
// blob_of, fetching the version first when the node holds no row of its digest. A peer that
// fails the fetch leaves the version without its blob here (the blob's read says why): what
// the node holds is looked up again, as without a fetch.
Result<std::optional<store::BlobInfo>> blob_for_reader(NodeContext& node,
                                                       const store::RecordVersionRow& version,
                                                       FetchPermission& permission);

// record_routes.cpp, and what the escrow routes share with them:
// whether `caller` may read `version` now (the patient, a guardian, or canRead of its category);
Result<bool> may_read(NodeContext& node, const store::RecordVersionRow& version,
                      const std::optional<store::BlobInfo>& blob, const Address& caller,
                      std::uint64_t now);
// the indexed version the path's {recordId} and {version} name, or kNotFound.
Result<store::RecordVersionRow> indexed_version(NodeContext& node, const Call& call);
// whether `caller` may read `version` at the node's clock now (a peer fetch, blob_of, then
// may_read).
Result<bool> may_read_now(NodeContext& node, const store::RecordVersionRow& version,
                          const Address& caller);
// a blob streamed from the blob store, `left` bytes from where `reader` stands;
std::unique_ptr<BodySource> blob_source(store::BlobReader reader, std::uint64_t left);
// and its routes.
Response patient_records(NodeContext& node, const Call& call);
Response record(NodeContext& node, const Call& call);
Response download_blob(NodeContext& node, const Call& call);
Response put_keys(NodeContext& node, const Call& call);
Response set_category(NodeContext& node, const Call& call);
Response own_key(NodeContext& node, const Call& call);
Response put_summary(NodeContext& node, const Call& call);
// blob_upload.cpp: POST /v1/blobs streams its body; this answers its head.
std::optional<Upload> upload_blob(NodeContext& node, const Call& call);

// peer_routes.cpp (docs/api.md, "Peer API"): for other storage nodes only
Response peer_version(NodeContext& node, const Call& call);
Response peer_blob(NodeContext& node, const Call& call);

// consent_routes.cpp
Response patient_grants(NodeContext& node, const Call& call);
Response patient_requests(NodeContext& node, const Call& call);
Response patient_emergency(NodeContext& node, const Call& call);
Response doctor_grants(NodeContext& node, const Call& call);
Response doctor_requests(NodeContext& node, const Call& call);
Response put_reason(NodeContext& node, const Call& call);

// escrow_routes.cpp (docs/api.md, "Emergency escrow")
Response put_escrow_policy(NodeContext& node, const Call& call);
Response escrow_policy(NodeContext& node, const Call& call);
Response put_escrow_share(NodeContext& node, const Call& call);
Response put_escrow_key(NodeContext& node, const Call& call);
Response escrow_key(NodeContext& node, const Call& call);
Response release_escrow_partial(NodeContext& node, const Call& call);

// audit_routes.cpp
Response audit_log(NodeContext& node, const Call& call);
Response audit_proof(NodeContext& node, const Call& call);

// inbox_routes.cpp
Response inbox(NodeContext& node, const Call& call);
Response inbox_read(NodeContext& node, const Call& call);

// account_routes.cpp
Response account_nonce(NodeContext& node, const Call& call);

// relay_routes.cpp
Response relay(NodeContext& node, const Call& call);

}  // namespace medchain::api::detail
