#include <algorithm>
#include <medchain/core/hex.hpp>
#include <medchain/inbox/inbox.hpp>
#include <nlohmann/json.hpp>

namespace medchain::inbox {
namespace {

using nlohmann::json;

std::optional<std::uint64_t> unsigned_arg(const json& args, const char* key) {
  const auto found = args.find(key);
  if (found == args.end()) return std::nullopt;
  if (found->is_number_unsigned()) return found->get<std::uint64_t>();
  if (found->is_number_integer() && found->get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(found->get<std::int64_t>());
  return std::nullopt;
}

std::optional<std::string> text_arg(const json& args, const char* key) {
  const auto found = args.find(key);
  if (found == args.end()) return std::nullopt;
  return found->is_string() ? found->get<std::string>() : found->dump();
}

Result<Item> chain_item(const store::NotificationRow& row) {
  const json args = json::parse(row.args, nullptr, false);
  if (!args.is_object()) return Error{Errc::kIo, "the index holds malformed event args"};
  Item item;
  item.id = "chain:" + std::to_string(row.block_number) + ":" + std::to_string(row.log_index);
  item.kind = row.kind;
  item.at = row.at;
  item.patient = row.patient;
  item.doctor = row.doctor;
  item.request_id = text_arg(args, "requestId");
  if (auto scope = unsigned_arg(args, "scope")) item.scope = static_cast<std::uint16_t>(*scope);
  if (auto permissions = unsigned_arg(args, "permissions"))
    item.permissions = static_cast<std::uint8_t>(*permissions);
  item.duration = unsigned_arg(args, "duration");
  item.until = row.kind == "access_granted"   ? unsigned_arg(args, "expiry")
               : row.kind == "recovery_ready" ? unsigned_arg(args, "readyAt")
                                              : unsigned_arg(args, "until");
  item.reason_code = unsigned_arg(args, "reasonCode");
  return item;
}

Item expiring_item(const store::EndingGrantRow& row) {
  const store::GrantView& grant = row.grant;
  Item item;
  item.id = "expiring:" + to_hex(grant.patient) + ":" + to_hex(grant.doctor) + ":" +
            std::to_string(grant.expiry);
  item.kind = "grant_expiring";
  // When it became "about to expire"; a grant shorter than that is so from the start.
  const std::uint64_t day_before =
      grant.expiry > kExpiringWithin ? grant.expiry - kExpiringWithin : 0;
  item.at = std::max(day_before, row.granted_at);
  item.patient = grant.patient;
  item.doctor = grant.doctor;
  item.scope = grant.scope;
  item.permissions = grant.permissions;
  item.until = grant.expiry;
  return item;
}

Item denial_item(const store::AuditEntry& entry) {
  Item item;
  item.id = "audit:" + std::to_string(entry.seq);
  // An escrow custodian's released partial is news too: the patient learns who decrypted in an
  // emergency from the custodians, not only from the chain's window.
  item.kind =
      entry.allowed && entry.action == "escrow.release" ? "escrow_released" : "access_denied";
  item.at = entry.at;
  item.patient = entry.patient;
  item.doctor = entry.actor;
  item.action = entry.action;
  item.subject = entry.subject;
  return item;
}

bool is_decimal(std::string_view text) {
  return !text.empty() && text.size() <= 20 &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_address(std::string_view text) {
  return text.size() == 42 && text.substr(0, 2) == "0x" &&
         text.find_first_not_of("0123456789abcdef", 2) == std::string_view::npos;
}

// `text` split at ':'.
std::vector<std::string_view> fields(std::string_view text) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto colon = text.find(':');
    out.push_back(text.substr(0, colon));
    if (colon == std::string_view::npos) return out;
    text.remove_prefix(colon + 1);
  }
}

}  // namespace

Result<Inbox> collect(store::IndexStore& index, store::NodeStore& node, const Address& address,
                      std::uint64_t now) {
  Inbox inbox;
  MEDCHAIN_TRY(auto notifications, index.notifications_of(address));
  for (const store::NotificationRow& row : notifications) {
    MEDCHAIN_TRY(Item item, chain_item(row));
    inbox.items.push_back(std::move(item));
  }
  MEDCHAIN_TRY(auto ending, index.grants_ending_for(address, now, now + kExpiringWithin));
  for (const store::EndingGrantRow& row : ending) inbox.items.push_back(expiring_item(row));
  MEDCHAIN_TRY(store::Roles roles, index.roles(address));
  std::vector<Address> patients = roles.guardian_of;
  patients.push_back(address);  // an address that is no patient simply has no such entries
  MEDCHAIN_TRY(auto denials, node.audit_denials(patients));
  for (const store::AuditEntry& entry : denials) inbox.items.push_back(denial_item(entry));

  // Each source is newest first already; stable, so ties keep that order.
  std::stable_sort(inbox.items.begin(), inbox.items.end(),
                   [](const Item& a, const Item& b) { return a.at > b.at; });
  MEDCHAIN_TRY(std::set<std::string> read, node.inbox_read_ids(address));
  for (Item& item : inbox.items) {
    item.read = read.count(item.id) != 0;
    if (!item.read) ++inbox.unread;
  }
  return inbox;
}

bool is_item_id(std::string_view id) {
  const std::vector<std::string_view> parts = fields(id);
  if (parts[0] == "chain") return parts.size() == 3 && is_decimal(parts[1]) && is_decimal(parts[2]);
  if (parts[0] == "audit") return parts.size() == 2 && is_decimal(parts[1]);
  if (parts[0] == "expiring") {
    return parts.size() == 4 && is_address(parts[1]) && is_address(parts[2]) &&
           is_decimal(parts[3]);
  }
  return false;
}

Result<Inbox> mark_read(store::IndexStore& index, store::NodeStore& node, const Address& address,
                        const std::vector<std::string>& ids, bool all, std::uint64_t now) {
  MEDCHAIN_TRY(Inbox inbox, collect(index, node, address, now));
  const std::set<std::string> wanted(ids.begin(), ids.end());
  std::vector<std::string> marking;
  for (Item& item : inbox.items) {
    if (item.read || (!all && wanted.count(item.id) == 0)) continue;
    marking.push_back(item.id);
    item.read = true;
    --inbox.unread;
  }
  if (!marking.empty()) MEDCHAIN_TRY_STATUS(node.mark_inbox_read(address, marking, now));
  return inbox;
}

}  // namespace medchain::inbox
