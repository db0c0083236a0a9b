// `medchain login | logout | whoami` (docs/cli.md, "Sessions"): a Sign-In with Ethereum session
// with the node, saved in <home>/sessions/<address>.json (mode 0600) for later commands.
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>

#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

Status login() {
  ClientContext context;
  MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
  MEDCHAIN_TRY(client::NodeClient * node, context.node());
  MEDCHAIN_TRY(client::SignedIn session, node->sign_in(key));
  MEDCHAIN_TRY_STATUS(context.save_session(
      {context.node_url(), session.address, session.token, session.expires_at}));
  const std::string until = eth::format_rfc3339(session.expires_at);
  context.print({{"address", eth::to_checksum(session.address)},
                 {"node", context.node_url()},
                 {"expiresAt", session.expires_at},
                 {"idleTimeout", session.idle_timeout}},
                "signed in to " + context.node_url() + " as " + eth::to_checksum(session.address) +
                    " until " + until);
  return {};
}

Status logout() {
  ClientContext context;
  MEDCHAIN_TRY(Address account, context.account());
  auto node = context.signed_in_node();
  // Ending it on the node is what counts; a session the node already ended is simply dropped.
  if (node.ok()) {
    auto ended = (*node)->sign_out();
    if (!ended.ok() && ended.error().code != Errc::kUnauthenticated) return ended;
  } else if (node.error().code != Errc::kUnauthenticated) {
    return std::move(node).error();
  }
  MEDCHAIN_TRY_STATUS(context.forget_session(account));
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
