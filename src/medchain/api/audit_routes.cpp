// The audit log: a patient (or a guardian) sees every access to the patient's records, a
// caller without ?patient= sees what they did themselves.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>

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

}  // namespace

Response audit_log(NodeContext& node, const Call& call) {
  auto from = number_query(call.request, "from", 1);
  auto limit = number_query(call.request, "limit", 100);
  if (!from.ok()) return problem_for(from.error());
  if (!limit.ok()) return problem_for(limit.error());
  if (*limit == 0 || *limit > kMaxPage) return bad_request("limit is 1 to 1000");
  store::NodeStore::AuditFilter filter;
  const std::string patient_text = query_param(call.request, "patient");
  std::lock_guard lock(node.mutex);
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
  auto entries = node.node->audit_entries(*from, static_cast<std::size_t>(*limit), filter);
  if (!entries.ok()) return problem_for(entries.error());
  json list = json::array();
  for (const store::AuditEntry& entry : *entries) {
    list.push_back({{"seq", entry.seq},
                    {"at", entry.at},
                    {"actor", to_json(entry.actor)},
                    {"action", entry.action},
                    {"subject", entry.subject},
                    {"patient", to_json(entry.patient)},
                    {"allowed", entry.allowed},
                    {"hash", to_json(entry.hash)}});
  }
  return ok({{"entries", list}});
}

}  // namespace medchain::api::detail
