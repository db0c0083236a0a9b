// `medchain inbox [--unread] [--limit N]` and `medchain inbox read (ID... | --all)` (docs/cli.md,
// "Inbox"): what the node kept for the signed-in account while it was away (GET /v1/inbox), and
// marking it read (POST /v1/inbox/read).
#include <medchain/eth/siwe.hpp>

#include "account/doctor_names.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

using client::json;

struct ListOptions {
  bool unread = false;
  std::uint64_t limit = 100;
};

struct ReadOptions {
  std::vector<std::string> ids;
  bool all = false;
};

// One line per item: id, time, what happened, and whom it was about.
std::string item_line(const json& item) {
  const std::string kind = item.value("kind", "");
  // A recovery's other party is an address (the proposed one, or who cancelled), not a doctor.
  const std::string other = kind.starts_with("recovery_") ? "  address " + item.value("doctor", "")
                                                          : "  doctor " + doctor_label(item);
  std::string line = item.value("id", "") + "  " +
                     eth::format_rfc3339(item.value("at", std::int64_t{0})) + "  " + kind +
                     "  patient " + item.value("patient", "") + other;
  if (item.contains("until"))
    line += "  until " + eth::format_rfc3339(item["until"].get<std::int64_t>());
  if (item.contains("action")) line += "  " + item.value("action", "");
  if (!item.value("read", false)) line += "  (unread)";
  return line + "\n";
}

Status list_inbox(const ListOptions& options) {
  if (options.limit == 0 || options.limit > 1000)
    return Error{Errc::kInvalidArgument, "--limit is 1 to 1000"};
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  MEDCHAIN_TRY(json inbox, node->get("/v1/inbox?limit=" + std::to_string(options.limit) +
                                     (options.unread ? "&unread=true" : "")));
  if (inbox.contains("items") && inbox["items"].is_array())
    look_up_and_name_doctors(context, *node, inbox["items"], "doctor");
  std::string text;
  for (const json& item : inbox.value("items", json::array())) text += item_line(item);
  text += std::to_string(inbox.value("unread", 0)) + " unread";
  context.print(inbox, text);
  return {};
}

Status mark_read(const ReadOptions& options) {
  if (options.all == !options.ids.empty())
    return Error{Errc::kInvalidArgument, "name the items to mark read, or --all"};
  ClientContext context;
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  const json body = options.all ? json{{"all", true}} : json{{"ids", options.ids}};
  MEDCHAIN_TRY(json answer, node->post("/v1/inbox/read", body));
  context.print(answer, std::to_string(answer.value("unread", 0)) + " unread");
  return {};
}

void add_inbox_commands(CLI::App& app) {
  auto* inbox = app.add_subcommand("inbox", "What happened that concerns you, kept by the node");
  inbox->require_subcommand(0, 1);
  auto list = std::make_shared<ListOptions>();
  inbox->add_flag("--unread", list->unread, "Only the items not marked read");
  inbox->add_option("--limit", list->limit, "At most this many items (1 to 1000)")
      ->capture_default_str();
  auto* read = inbox->add_subcommand("read", "Mark items read (ids from `medchain inbox`)");
  auto marking = std::make_shared<ReadOptions>();
  read->add_option("id", marking->ids, "Item ids, e.g. chain:12:0 or audit:3");
  read->add_flag("--all", marking->all, "Every item");
  // One action for both: CLI11 runs the parent's callback after the subcommand's, and only one
  // status is the command's.
  on_run(inbox, [read, list, marking] { return *read ? mark_read(*marking) : list_inbox(*list); });
}

const bool kRegistered = register_top_level_group(&add_inbox_commands);

}  // namespace
}  // namespace medchain::cli
