// The caller's inbox (inbox/inbox.hpp): GET /v1/inbox lists it, POST /v1/inbox/read marks
// items read. Only ever the caller's own: there is no address in the path.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/inbox/inbox.hpp>

namespace medchain::api::detail {
namespace {

constexpr std::size_t kDefaultPage = 100;
constexpr std::size_t kMaxPage = 1'000;
constexpr std::size_t kMaxIdsPerCall = 1'000;

json item_json(const inbox::Item& item) {
  json out{{"id", item.id},
           {"kind", item.kind},
           {"at", item.at},
           {"read", item.read},
           {"patient", to_json(item.patient)},
           {"doctor", to_json(item.doctor)}};
  if (item.request_id) out["requestId"] = *item.request_id;
  if (item.scope) {
    out["scope"] = scope_json(*item.scope);
    out["scopeMask"] = *item.scope;
  }
  if (item.permissions) out["permissions"] = permissions_json(*item.permissions);
  if (item.duration) out["duration"] = *item.duration;
  if (item.until) out["until"] = *item.until;
  if (item.reason_code) out["reasonCode"] = *item.reason_code;
  if (!item.action.empty()) out["action"] = item.action;
  if (!item.subject.empty()) out["subject"] = item.subject;
  return out;
}

// The page: unread ones only if asked, at most `limit`, with the count of all unread.
json inbox_json(const inbox::Inbox& box, bool unread_only, std::size_t limit) {
  json items = json::array();
  for (const inbox::Item& item : box.items) {
    if (items.size() == limit) break;
    if (unread_only && item.read) continue;
    items.push_back(item_json(item));
  }
  return {{"items", items}, {"unread", box.unread}, {"total", box.items.size()}};
}

Result<std::size_t> limit_query(const Request& request) {
  const std::string text = query_param(request, "limit");
  if (text.empty()) return kDefaultPage;
  if (text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(text) == 0 || std::stoul(text) > kMaxPage) {
    return Error{Errc::kInvalidArgument, "limit is 1 to 1000"};
  }
  return static_cast<std::size_t>(std::stoul(text));
}

Result<bool> unread_query(const Request& request) {
  const std::string text = query_param(request, "unread");
  if (text.empty() || text == "false") return false;
  if (text == "true") return true;
  return Error{Errc::kInvalidArgument, "unread is true or false"};
}

// The ids of a mark-read body, or none with `all` set.
struct Marking {
  std::vector<std::string> ids;
  bool all = false;
};

Result<Marking> marking_of(const json& body) {
  const bool has_ids = body.contains("ids");
  const bool has_all = body.contains("all");
  if (has_ids == has_all) {
    return Error{Errc::kInvalidArgument, "send either \"ids\": [...] or \"all\": true"};
  }
  Marking marking;
  if (has_all) {
    if (!body["all"].is_boolean() || !body["all"].get<bool>())
      return Error{Errc::kInvalidArgument, "\"all\" must be true"};
    marking.all = true;
    return marking;
  }
  const json& ids = body["ids"];
  if (!ids.is_array() || ids.empty() || ids.size() > kMaxIdsPerCall)
    return Error{Errc::kInvalidArgument, "\"ids\" is an array of 1 to 1000 item ids"};
  for (const json& id : ids) {
    if (!id.is_string() || !inbox::is_item_id(id.get<std::string>()))
      return Error{Errc::kInvalidArgument, "not an inbox item id: " + id.dump()};
    marking.ids.push_back(id.get<std::string>());
  }
  return marking;
}

}  // namespace

Response inbox(NodeContext& node, const Call& call) {
  auto limit = limit_query(call.request);
  if (!limit.ok()) return problem_for(limit.error());
  auto unread_only = unread_query(call.request);
  if (!unread_only.ok()) return problem_for(unread_only.error());
  auto now = node.now();
  if (!now.ok()) return problem_for(now.error());
  auto box = inbox::collect(node.index(), node.node_store(), call.caller(), *now);
  if (!box.ok()) return problem_for(box.error());
  return ok(inbox_json(*box, *unread_only, *limit));
}

Response inbox_read(NodeContext& node, const Call& call) {
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  auto marking = marking_of(*body);
  if (!marking.ok()) return problem_for(marking.error());
  auto now = node.now();
  if (!now.ok()) return problem_for(now.error());
  auto box = inbox::mark_read(node.index(), node.node_store(), call.caller(), marking->ids,
                              marking->all, *now);
  if (!box.ok()) return problem_for(box.error());
  return ok({{"unread", box->unread}, {"total", box->items.size()}});
}

}  // namespace medchain::api::detail
