// The audit log: a patient (or a guardian) sees every access to the patient's records, a
// caller without ?patient= sees what they did themselves.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/store/audit_tree.hpp>

namespace medchain::api::detail {
namespace {

constexpr std::size_t kMaxPage = 1'000;

Result<std::uint64_t> number_query(const Request& request, std::string_view name,
                                   std::uint64_t fallback) {
  const std::string text = query_param(request, name);
  if (text.empty()) return fallback;
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Error{Errc::kInvalidArgument, std::string(name) + " must be a non-negative integer"};
  }
  return std::stoull(text);
}

json entry_json(const store::AuditEntry& entry) {
  return {{"seq", entry.seq},
          {"at", entry.at},
          {"actor", to_json(entry.actor)},
          {"action", entry.action},
          {"subject", entry.subject},
          {"patient", to_json(entry.patient)},
          {"allowed", entry.allowed},
          {"hash", to_json(entry.hash)}};
}

}  // namespace

Response audit_log(NodeContext& node, const Call& call) {
  auto from = number_query(call.request, "from", 0);
  auto limit = number_query(call.request, "limit", 100);
  if (!from.ok()) return problem_for(from.error());
  if (!limit.ok()) return problem_for(limit.error());
  if (*limit == 0 || *limit > kMaxPage) return bad_request("limit is 1 to 1000");
  store::NodeStore::AuditFilter filter;
  const std::string patient_text = query_param(call.request, "patient");
  if (patient_text.empty()) {
    filter.actor = call.caller();
  } else {
    auto patient = from_hex_fixed<Address>(patient_text);
    if (!patient) return bad_request("patient must be a 0x address");
    auto manages = node.manages(*patient, call.caller());
    if (!manages.ok()) return problem_for(manages.error());
    if (!*manages) return forbidden("only the patient or a guardian sees who accessed the records");
    filter.patient = *patient;
  }
  auto entries = node.node_store().audit_entries(*from, static_cast<std::size_t>(*limit), filter);
  if (!entries.ok()) return problem_for(entries.error());
  json list = json::array();
  for (const store::AuditEntry& entry : *entries) {
    list.push_back(entry_json(entry));
  }
  return ok({{"entries", list}});
}

}  // namespace medchain::api::detail

namespace medchain::api::detail {

Response audit_proof(NodeContext& node, const Call& call) {
  const auto found = call.params.find("seq");
  const std::string text = found == call.params.end() ? "" : found->second;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return bad_request("seq must be a non-negative integer");
  const std::uint64_t seq = std::stoull(text);
  auto entries = node.node_store().audit_entries(seq, 1);
  if (!entries.ok()) return problem_for(entries.error());
  if (entries->empty() || entries->front().seq != seq)
    return problem(404, "not_found", "Not found", "no audit entry " + text);
  const store::AuditEntry entry = entries->front();
  auto manages = node.manages(entry.patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  if (!*manages && entry.actor != call.caller())
    return forbidden("only the patient, a guardian or the actor sees this entry");
  auto anchor = node.index().audit_anchor(node.config.node_id, seq);
  if (!anchor.ok()) return problem_for(anchor.error());
  if (!*anchor) {
    return problem(409, "not_anchored", "Not anchored yet",
                   "the entry is not in an anchor the index has seen yet; ask again later");
  }
  const store::AuditAnchorRow& range = **anchor;
  auto batch = node.node_store().audit_entries(
      range.from_seq, static_cast<std::size_t>(range.to_seq - range.from_seq + 1));
  if (!batch.ok()) return problem_for(batch.error());
  std::vector<Hash32> hashes;
  for (const store::AuditEntry& member : *batch) hashes.push_back(member.hash);
  auto proof = store::audit_inclusion_proof(hashes, static_cast<std::size_t>(seq - range.from_seq));
  if (!proof.ok()) return problem_for(proof.error());
  Hash32 previous;
  if (seq > 0) {
    auto before = node.node_store().audit_entries(seq - 1, 1);
    if (!before.ok()) return problem_for(before.error());
    if (!before->empty()) previous = before->front().hash;
  }
  json path = json::array();
  for (const Hash32& hash : *proof) path.push_back(to_json(hash));
  return ok({{"entry", entry_json(entry)},
             {"previousHash", to_json(previous)},
             {"anchor",
              {{"nodeId", to_json(range.node_id)},
               {"fromSeq", range.from_seq},
               {"toSeq", range.to_seq},
               {"merkleRoot", to_json(range.merkle_root)},
               {"blockNumber", range.block_number}}},
             {"index", seq - range.from_seq},
             {"treeSize", range.to_seq - range.from_seq + 1},
             {"proof", path}});
}

}  // namespace medchain::api::detail
