// What every `medchain` command that talks to a node shares (docs/cli.md, "Accounts and
// sessions"): the home directory, the account and its key, the node and the saved session.
//
// How a command group uses it: the options --home, --from, --node, --artifact and --json are
// defined once on the root command (add_context_options, called by main.cpp) and accepted
// after any subcommand, because subcommands fall through to the root for options they do not
// define. A command's action opens a ClientContext and asks for what it needs, e.g.
//
//   on_run(list_cmd, [] () -> Status {
//     ClientContext context;
//     MEDCHAIN_TRY(client::NodeClient* node, context.signed_in_node());  // session, checked
//     MEDCHAIN_TRY(Address me, context.account());
//     MEDCHAIN_TRY(client::json grants, node->get("/v1/patients/" + to_hex(me) + "/grants"));
//     context.print(grants, "...human text...");
//     return {};
//   });
//
// key() asks for the password ($MEDCHAIN_PASSWORD, else a no-echo prompt) only when a command
// signs something; node() connects without a session; signed_in_node() also loads the
// account's saved session (`medchain login`) and checks it with the node, so a missing,
// expired or logged-out session is one kUnauthenticated line (exit 3) before anything else.
#pragma once

#include <filesystem>
#include <medchain/chain/tx_sender.hpp>
#include <medchain/client/node_client.hpp>
#include <medchain/records/encryption_key.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace medchain::cli {

// The shared options, as parsed (or taken from the environment).
struct ContextOptions {
  std::string home;      // --home, $MEDCHAIN_HOME; default ~/.medchain
  std::string from;      // --from, $MEDCHAIN_ACCOUNT; default the only stored key
  std::string node;      // --node, $MEDCHAIN_NODE; default http://127.0.0.1:8080
  std::string artifact;  // --artifact, $MEDCHAIN_ARTIFACT; default this source tree's
  std::string rpc_url;   // --rpc-url, $MEDCHAIN_RPC_URL: a chain node, for the few direct calls
  std::string contract;  // --contract, $MEDCHAIN_CONTRACT: the deployment to trust on that chain
  bool json = false;     // --json: print JSON instead of text
};

// Adds the shared options to the root command (and makes subcommands accept them).
void add_context_options(CLI::App& app);
// The options the command line set.
const ContextOptions& context_options();

// A session saved by `medchain login` in <home>/sessions/<address>.json (mode 0600).
struct SavedSession {
  std::string node;  // the node URL it is for
  Address address;
  std::string token;
  std::int64_t expires_at = 0;
};

class ClientContext {
 public:
  ClientContext() : ClientContext(context_options()) {}
  explicit ClientContext(ContextOptions options);

  bool json() const noexcept { return options_.json; }
  const std::filesystem::path& home() const noexcept { return home_; }
  std::filesystem::path keys_dir() const { return home_ / "keys"; }
  std::filesystem::path sessions_dir() const { return home_ / "sessions"; }
  // The nodes --node names (comma-separated URLs), in the order they are tried.
  std::vector<std::string> node_urls() const;
  // The node this command talks to: the one node() connected to, else the first named.
  std::string node_url() const;

  // The stored accounts (keys/<address>.json), in address order.
  Result<std::vector<Address>> stored_accounts() const;
  // The keystore file of `account` (whether or not it exists).
  std::filesystem::path key_file(const Address& account) const;
  // Stores a keystore JSON document for `account` (mode 0600). kConflict if one exists.
  Status store_key(const Address& account, const std::string& keystore_json) const;

  // The account: --from / $MEDCHAIN_ACCOUNT (an address with a stored key), else the only
  // stored key. kInvalidArgument when there is none, several, or no key for --from.
  Result<Address> account();
  // The account's private key, decrypted with $MEDCHAIN_PASSWORD or a prompt (asked once).
  // kInvalidArgument for a wrong password.
  Result<crypto::PrivateKey> key();
  // Encryption keys (docs/format.md, "Encryption key"; implemented in client_keys.cpp).
  //
  // The deployment the node serves as this home trusts it: the node's chain id and the
  // contract pinned for that chain (see contract()). What a new format 2 key is bound to.
  Result<medchain::records::Deployment> deployment();
  // The encryption key the chain holds for the account (patientKeys, else the doctor's key):
  // read on --rpc-url when given, else the node's index of the chain. An account with none that
  // controls a patient since a recovery holds the patient's key, which it rotated to its own
  // (docs/format.md, "Recovery"). kNotFound if none of these knows one (not registered).
  Result<medchain::records::X25519PublicKey> registered_key();
  // The encryption key the contract (on --rpc-url) holds for `account`: patientKeys, else its
  // doctor's key. kNotFound if it holds none.
  Result<medchain::records::X25519PublicKey> key_on_chain(const Address& account);
  // The patient the account acts as since a recovery (the node's /v1/me controllerOf, confirmed
  // by the chain's controllerOf on --rpc-url), if any. Needs a session.
  Result<std::optional<Address>> controlled_patient();
  // Which derivation of key() gives the registered key (records::find_derivation), cached.
  // kCheckFailed ("your derived encryption key is not the one on chain: ...") if none does.
  Result<medchain::records::KeyDerivation> key_derivation();
  // The account's X25519 encryption key: key()'s derivation that the chain holds.
  Result<medchain::records::EncryptionKeyPair> encryption_key();
  // Every key a content key of the account may be sealed to, encryption_key() first: then
  // format 2's other generations up to the next one (a rotation interrupted after re-sealing)
  // and format 1 (keys registered before format 2), so old data keeps opening. Derived once.
  Result<std::vector<medchain::records::EncryptionKeyPair>> decryption_keys();

  // A client of the first node of --node that answers (GET /v1/node), without a session: a
  // node that cannot be reached is passed over with a warning on stderr (failover), any other
  // failure stops. kUnavailable naming each node when none answers. It can relay intents (the
  // contract's ABI is loaded from --artifact).
  Result<client::NodeClient*> node();
  // node() with the account's saved session, checked with GET /v1/me: kUnauthenticated
  // ("not signed in ...: run `medchain login`" / "session expired: run `medchain login`").
  Result<client::NodeClient*> signed_in_node();
  // The answer of GET /v1/me from signed_in_node() (address, patient, doctor, registrar, ...).
  const client::json& me() const noexcept { return me_; }

  // The saved session of `account` for this node (node_url()), if any; saving one (for its
  // `node`, beside the account's sessions with other nodes) and forgetting one.
  Result<std::optional<SavedSession>> saved_session(const Address& account) const;
  Status save_session(const SavedSession& session) const;
  // Forgets the account's session with `node`.
  Status forget_session(const Address& account, const std::string& node) const;

  // The contract on --rpc-url, for what the node does not relay (registrar calls) or must not
  // be trusted for (keys, digests, audit anchors). The chain id must be the node's, and the
  // address the one this home trusts for that chain: --contract, else the one pinned in
  // <home>/deployments.json on first use; a node naming another is refused (kCheckFailed).
  Result<const chain::Contract*> contract();
  // contract() when --rpc-url is given, else null: the commands that check the node against the
  // chain when they can, and say so in their output when they could not.
  Result<const chain::Contract*> contract_if_given();
  // Sends transactions to contract() from key(); the account pays the gas.
  Result<chain::TransactionSender*> sender();
  // Waits (up to 15 s) until the node's index holds `block`.
  Status wait_until_indexed(std::uint64_t block);

  // Signs `function_name` (a *BySig function) with key() and relays it through node(); the
  // node's answer ({"transactionHash", "blockNumber", "signer", "indexed"}).
  Result<client::json> relay(std::string_view function_name, client::json message);

  // Prints a relay's answer: with --json as it is, else "<done> (transaction 0x… in block n)".
  void print_relayed(const client::json& answer, const std::string& done) const;

  // Prints `value` as one line of JSON with --json, else `text` (if not empty) to stdout.
  void print(const client::json& value, const std::string& text) const;

 private:
  ContextOptions options_;
  std::filesystem::path home_;
  std::optional<Address> account_;
  std::optional<crypto::PrivateKey> key_;
  std::optional<client::NodeClient> node_;
  std::string connected_url_;       // the URL node_ answered at
  std::optional<Error> abi_error_;  // why the ABI could not be loaded, for relay()
  std::unique_ptr<chain::EthClient> chain_;
  std::unique_ptr<chain::Contract> contract_;
  std::unique_ptr<chain::TransactionSender> sender_;
  std::optional<medchain::records::KeyDerivation> derivation_;
  std::optional<std::vector<medchain::records::EncryptionKeyPair>> decryption_keys_;
  client::json me_;

  Result<Address> trusted_contract(std::uint64_t chain_id, const Address& named);
};

// Parses an address given on the command line: kInvalidArgument naming `what` if it is not one.
Result<Address> parse_address_arg(const std::string& text, const std::string& what);

// Whether `error` says a node did not answer (kUnavailable, kTimeout): such a node is passed over
// for the next one --node names; any other answer is the node's to give.
bool node_unreachable(const Error& error);
// kUnavailable when none of the nodes --node names answered, `reasons` one per node.
Error no_node_answered(const std::vector<std::string>& reasons);

}  // namespace medchain::cli
