// `medchain audit list | verify` (docs/cli.md, "Audit"): the node's log of who read (or was
// refused) a patient's records, and its check against the anchor on chain (docs/format.md,
// "Audit anchors"). verify recomputes each entry's chained hash, checks its RFC 6962
// inclusion proof against the anchor's Merkle root and, with --rpc-url, that root against the
// contract's auditRoots(nodeId, toSeq), so nothing but the chain is trusted.
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <medchain/store/audit_tree.hpp>
#include <medchain/store/node_store.hpp>

#include "account/doctor_names.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

using client::json;

struct ListOptions {
  std::string patient;
  std::uint64_t from = 0;
  std::uint64_t limit = 100;
};

// The log as the caller sees it: a patient's own records' entries, else the caller's own.
Result<json> audit_entries(ClientContext& context, const ListOptions& options) {
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  std::string patient = options.patient;
  if (patient.empty() && context.me().value("patient", false))
    patient = context.me().value("address", "");
  std::string path =
      "/v1/audit?from=" + std::to_string(options.from) + "&limit=" + std::to_string(options.limit);
  if (!patient.empty()) {
    MEDCHAIN_TRY(Address address, parse_address_arg(patient, "--patient"));
    path += "&patient=" + eth::to_checksum(address);
  }
  MEDCHAIN_TRY(json answer, node->get(path));
  json entries = answer.value("entries", json::array());
  look_up_and_name_doctors(context, *node, entries, "actor");
  return entries;
}

Status list_audit(const ListOptions& options) {
  ClientContext context;
  MEDCHAIN_TRY(json entries, audit_entries(context, options));
  std::string text;
  for (const json& e : entries) {
    text += std::to_string(e.value("seq", 0)) + "  " +
            eth::format_rfc3339(e.value("at", std::int64_t{0})) + "  " + doctor_label(e, "actor") +
            "  " + e.value("action", "") + "  " + e.value("subject", "") +
            (e.value("allowed", false) ? "" : "  DENIED") + "\n";
  }
  context.print({{"entries", entries}}, text.empty() ? "no audit entries" : text);
  return {};
}

template <class T>
Result<T> fixed(const json& object, const char* name) {
  auto value = from_hex_fixed<T>(object.value(name, ""));
  if (!value)
    return Error{Errc::kProtocol, std::string("the audit proof's ") + name + " is malformed"};
  return *value;
}

// One entry's check; the failure, if any, as a sentence.
struct Verdict {
  bool ok = false;
  bool anchored = true;
  bool chain_checked = false;
  std::string reason;
};

Result<Verdict> verify_entry(ClientContext& context, std::uint64_t seq) {
  MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
  auto proof = node->get("/v1/audit/" + std::to_string(seq) + "/proof");
  if (!proof.ok() && proof.error().code == Errc::kConflict) {
    return Verdict{false, false, false, "not anchored on chain yet"};
  }
  if (!proof.ok()) return std::move(proof).error();
  const json& e = (*proof)["entry"];
  const json& anchor = (*proof)["anchor"];
  store::AuditEntry entry;
  entry.seq = e.value("seq", std::uint64_t{0});
  entry.at = e.value("at", std::uint64_t{0});
  MEDCHAIN_TRY(entry.actor, fixed<Address>(e, "actor"));
  MEDCHAIN_TRY(entry.patient, fixed<Address>(e, "patient"));
  entry.action = e.value("action", "");
  entry.subject = e.value("subject", "");
  entry.allowed = e.value("allowed", false);
  MEDCHAIN_TRY(entry.hash, fixed<Hash32>(e, "hash"));
  MEDCHAIN_TRY(const Hash32 previous, fixed<Hash32>(*proof, "previousHash"));
  MEDCHAIN_TRY(const Hash32 root, fixed<Hash32>(anchor, "merkleRoot"));
  MEDCHAIN_TRY(const Hash32 node_id, fixed<Hash32>(anchor, "nodeId"));
  const std::uint64_t from_seq = anchor.value("fromSeq", std::uint64_t{0});
  const std::uint64_t to_seq = anchor.value("toSeq", std::uint64_t{0});
  if (entry.seq != seq || seq < from_seq || seq > to_seq) {
    return Verdict{false, true, false, "the node answered for another entry or anchor"};
  }
  if (store::NodeStore::audit_hash(previous, entry) != entry.hash) {
    return Verdict{false, true, false, "the entry does not hash to its chained hash"};
  }
  std::vector<Hash32> path;
  for (const json& step : (*proof)["proof"]) {
    auto hash = from_hex_fixed<Hash32>(step.is_string() ? step.get<std::string>() : "");
    if (!hash) return Error{Errc::kProtocol, "the audit proof's path is malformed"};
    path.push_back(*hash);
  }
  if (!store::verify_audit_inclusion(entry.hash, seq - from_seq, to_seq - from_seq + 1, path,
                                     root)) {
    return Verdict{false, true, false, "the inclusion proof does not lead to the anchor's root"};
  }
  if (context_options().rpc_url.empty()) return Verdict{true, true, false, ""};
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  MEDCHAIN_TRY(auto on_chain,
               medchain->call("auditRoots",
                              {eth::abi::Value(Bytes(node_id.bytes.begin(), node_id.bytes.end())),
                               eth::abi::Value(U256(to_seq))}));
  const auto& word = on_chain.at(0).bytes();
  if (word.size() != 32 || !std::equal(word.begin(), word.end(), root.bytes.begin())) {
    return Verdict{false, true, true, "the chain holds another root for this anchor"};
  }
  return Verdict{true, true, true, ""};
}

Status verify_audit(const ListOptions& options, const std::vector<std::uint64_t>& seqs) {
  ClientContext context;
  std::vector<std::uint64_t> todo = seqs;
  if (todo.empty()) {
    MEDCHAIN_TRY(json entries, audit_entries(context, options));
    for (const json& e : entries) todo.push_back(e.value("seq", std::uint64_t{0}));
  }
  if (todo.empty()) return Error{Errc::kNotFound, "no audit entries to verify"};
  json results = json::array();
  std::string text;
  std::size_t failed = 0;
  std::size_t unanchored = 0;
  for (std::uint64_t seq : todo) {
    MEDCHAIN_TRY(Verdict verdict, verify_entry(context, seq));
    if (!verdict.anchored)
      ++unanchored;
    else if (!verdict.ok)
      ++failed;
    results.push_back({{"seq", seq},
                       {"verified", verdict.ok},
                       {"anchored", verdict.anchored},
                       {"chainChecked", verdict.chain_checked},
                       {"reason", verdict.reason}});
    text += std::to_string(seq) + "  " +
            (verdict.ok ? (verdict.chain_checked ? "ok (root checked on chain)"
                                                 : "ok (root from the node's index)")
                        : verdict.reason) +
            "\n";
  }
  const bool all = failed == 0 && unanchored == 0;
  context.print({{"entries", results}, {"verified", all}}, text);
  if (failed > 0)
    return Error{Errc::kCheckFailed, std::to_string(failed) + " audit entries do not verify"};
  if (unanchored > 0) {
    return Error{Errc::kCheckFailed,
                 std::to_string(unanchored) + " audit entries are not anchored on chain yet"};
  }
  return {};
}

void add_audit_commands(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "The node's audit log of reads and refusals");
  audit->require_subcommand(1);
  auto options = std::make_shared<ListOptions>();
  auto seqs = std::make_shared<std::vector<std::uint64_t>>();
  for (const char* name : {"list", "verify"}) {
    auto* cmd = audit->add_subcommand(
        name,
        std::string(name) == "list"
            ? "Who accessed your records (or what you accessed)"
            : "Check entries against the anchor on chain (--rpc-url to ask the chain itself)");
    cmd->add_option("--patient", options->patient, "A patient you are the guardian of");
    cmd->add_option("--start", options->from, "The first seq")->capture_default_str();
    cmd->add_option("--limit", options->limit, "At most this many entries (1 to 1000)")
        ->capture_default_str();
    if (std::string(name) == "verify") {
      cmd->add_option("seq", *seqs, "Entries to check (default: every listed entry)");
      on_run(cmd, [options, seqs] { return verify_audit(*options, *seqs); });
    } else {
      on_run(cmd, [options] { return list_audit(*options); });
    }
  }
}

const bool kRegistered = register_top_level_group(&add_audit_commands);

}  // namespace
}  // namespace medchain::cli
