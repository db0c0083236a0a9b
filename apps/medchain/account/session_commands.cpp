// `medchain login | logout | whoami` (docs/cli.md, "Sessions"): a Sign-In with Ethereum session
// with each node --node names, saved in <home>/sessions/<address>.json (mode 0600) for later
// commands, which use the first of those nodes that answers.
#include <iostream>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <vector>

#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

// Signs in at every node --node names that answers (one signature each), so that a later
// command that fails over to another node finds a session there.
Status login() {
  ClientContext context;
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  client::json nodes = client::json::array();
  std::optional<client::SignedIn> first;
  std::vector<std::string> unreachable;  // said once it is known that another node answered
  for (const std::string& url : context.node_urls()) {
    auto node = client::NodeClient::connect(url);
    if (!node.ok() && node_unreachable(node.error())) {
      unreachable.push_back(node.error().message);
      continue;
    }
    if (!node.ok()) return std::move(node).error();
    MEDCHAIN_TRY(client::SignedIn session, node->sign_in(key));
    MEDCHAIN_TRY_STATUS(
        context.save_session({url, session.address, session.token, session.expires_at}));
    nodes.push_back(url);
    if (!first) first = session;
  }
  if (!first) return no_node_answered(unreachable);
  for (const std::string& why : unreachable) std::cerr << "warning: not signed in: " << why << "\n";
  const std::string until = eth::format_rfc3339(first->expires_at);
  std::string names;
  for (const client::json& url : nodes)
    names += (names.empty() ? "" : ", ") + url.get<std::string>();
  context.print(
      {{"address", eth::to_checksum(first->address)},
       {"node", nodes.front()},
       {"nodes", nodes},
       {"expiresAt", first->expires_at},
       {"idleTimeout", first->idle_timeout}},
      "signed in to " + names + " as " + eth::to_checksum(first->address) + " until " + until);
  return {};
}

// Ends the session at every node --node names where one is saved; a node that does not answer
// keeps its session until it expires there, but it is forgotten here all the same.
Status logout() {
  ClientContext context;
  MEDCHAIN_TRY(Address account, context.account());
  for (const std::string& url : context.node_urls()) {
    ContextOptions one = context_options();
    one.node = url;
    ClientContext at(one);
    auto node = at.signed_in_node();
    // Ending it on the node is what counts; a session the node already ended is simply dropped.
    if (node.ok()) {
      auto ended = (*node)->sign_out();
      if (!ended.ok() && ended.error().code != Errc::kUnauthenticated) return ended;
    } else if (node.error().code != Errc::kUnauthenticated && !node_unreachable(node.error())) {
      return std::move(node).error();
    }
    MEDCHAIN_TRY_STATUS(context.forget_session(account, url));
  }
  context.print({{"address", eth::to_checksum(account)}, {"signedOut", true}},
                "signed out " + eth::to_checksum(account));
  return {};
}

std::string roles_text(const client::json& me) {
  std::string roles;
  const auto add = [&roles](const std::string& role) {
    roles += (roles.empty() ? "" : ", ") + role;
  };
  if (me.value("patient", false)) add("patient");
  if (me.contains("doctor") && me["doctor"].is_string())
    add(me["doctor"].get<std::string>() + " doctor");
  if (me.value("registrar", false)) add("registrar");
  if (me.contains("guardianOf") && me["guardianOf"].is_array() && !me["guardianOf"].empty()) {
    add("guardian of " + std::to_string(me["guardianOf"].size()));
  }
  return roles.empty() ? "no role yet" : roles;
}

Status whoami() {
  ClientContext context;
  MEDCHAIN_TRY_STATUS(context.signed_in_node());
  const client::json& me = context.me();
  context.print(me, me.value("address", std::string()) + " (" + roles_text(me) + ") at " +
                        context.node_url());
  return {};
}

void add_session_commands(CLI::App& app) {
  on_run(app.add_subcommand("login", "Sign in to the node with Sign-In with Ethereum"), login);
  on_run(app.add_subcommand("logout", "End the session on the node and forget it"), logout);
  on_run(app.add_subcommand("whoami", "The signed-in account and its roles (GET /v1/me)"), whoami);
}

const bool kRegistered = register_top_level_group(&add_session_commands);

}  // namespace
}  // namespace medchain::cli
