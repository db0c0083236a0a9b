// A version this node lacks, fetched from a peer when a reader asks for it (medchaind
// --peer-fetch; docs/architecture.md, "Any node serves"). Who may start a fetch is decided from
// the index before the read's own check, since the category a read needs lives with the
// ciphertext: a caller who may read some category of the version's patient's file.
#include <medchain/api/detail/routes.hpp>
#include <medchain/records/category.hpp>

namespace medchain::api::detail {

namespace {

// `held` (the node's row for a digest) if it is the row of `version`'s patient.
std::optional<store::BlobInfo> of_patient(std::optional<store::BlobInfo> held,
                                          const store::RecordVersionRow& version) {
  if (held && held->patient != version.patient) return std::nullopt;
  return held;
}

}  // namespace

Result<std::optional<store::BlobInfo>> blob_of(NodeContext& node,
                                               const store::RecordVersionRow& version) {
  MEDCHAIN_TRY(std::optional<store::BlobInfo> blob, node.node_store().blob(version.digest));
  return of_patient(std::move(blob), version);
}

Result<bool> FetchPermission::allows(NodeContext& node, const Address& patient) {
  if (const auto known = by_patient_.find(patient); known != by_patient_.end())
    return known->second;
  if (!now_) {
    MEDCHAIN_TRY(std::uint64_t now, node.now());
    now_ = now;
  }
  bool may_read_some = false;
  for (std::uint8_t category = 0; category < records::kCategoryNames.size(); ++category) {
    MEDCHAIN_TRY(store::ReadAccess access,
                 node.index().read_access(patient, caller_, category, *now_));
    may_read_some = access != store::ReadAccess::kDenied;
    if (may_read_some) break;
  }
  by_patient_.emplace(patient, may_read_some);
  return may_read_some;
}

Result<std::optional<store::BlobInfo>> fetch_missing(NodeContext& node,
                                                     const store::RecordVersionRow& version,
                                                     FetchPermission& permission) {
  if (!node.fetch_from_peer) return std::optional<store::BlobInfo>();
  MEDCHAIN_TRY(bool allowed, permission.allows(node, version.patient));
  if (!allowed) return std::optional<store::BlobInfo>();
  MEDCHAIN_TRY_STATUS(node.fetch_from_peer(version));
  return node.node_store().blob(version.digest);
}

Result<std::optional<store::BlobInfo>> blob_for_reader(NodeContext& node,
                                                       const store::RecordVersionRow& version,
                                                       FetchPermission& permission) {
  MEDCHAIN_TRY(std::optional<store::BlobInfo> held, node.node_store().blob(version.digest));
  if (held) return of_patient(std::move(held), version);
  auto fetched = fetch_missing(node, version, permission);
  if (!fetched.ok()) return blob_of(node, version);
  return of_patient(std::move(*fetched), version);
}

}  // namespace medchain::api::detail
