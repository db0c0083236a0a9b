#include "client_context.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/keystore.hpp>
#include <sstream>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;

ContextOptions& mutable_options() {
  static ContextOptions options;
  return options;
}

fs::path default_home() {
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".medchain";
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Directories of secrets are the owner's alone.
Status ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{Errc::kIo, "cannot create " + dir.string() + ": " + ec.message()};
  fs::permissions(dir, fs::perms::owner_all, ec);
  return {};
}

// Writes `text` to a file created with mode 0600, replacing any previous one atomically.
Status write_private_file(const fs::path& file, const std::string& text) {
  const fs::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{Errc::kIo, "cannot write " + temporary.string()};
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::fsync(fd) == 0 && ::close(fd) == 0;
  if (!written || !closed) return Error{Errc::kIo, "cannot write " + temporary.string()};
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) return Error{Errc::kIo, "cannot write " + file.string() + ": " + ec.message()};
  return {};
}

Result<std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{Errc::kIo, "cannot read " + file.string()};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void add_context_options(CLI::App& app) {
  ContextOptions& options = mutable_options();
  options.node = "http://127.0.0.1:8080";
  options.artifact =
      (fs::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json").string();
  app.fallthrough();  // subcommands created from here on pass these options up
  app.add_option("--home", options.home, "Where keys and sessions are kept (default ~/.medchain)")
      ->envname("MEDCHAIN_HOME");
  app.add_option("--from", options.from, "The account to act as (default: the only stored key)")
      ->envname("MEDCHAIN_ACCOUNT");
  app.add_option("--node", options.node, "The medchain node")
      ->envname("MEDCHAIN_NODE")
      ->capture_default_str();
  app.add_option("--artifact", options.artifact, "The contract's forge artifact (for its ABI)")
      ->envname("MEDCHAIN_ARTIFACT");
  app.add_option("--rpc-url", options.rpc_url, "A chain node, for registrar calls and audit checks")
      ->envname("MEDCHAIN_RPC_URL");
  app.add_option("--contract", options.contract,
                 "The medchain contract to trust on --rpc-url's chain (default: pinned on first "
                 "use)")
      ->envname("MEDCHAIN_CONTRACT");
  app.add_flag("--json", options.json, "Print JSON instead of text");
}

const ContextOptions& context_options() {
  return mutable_options();
}

bool node_unreachable(const Error& error) {
  return error.code == Errc::kUnavailable || error.code == Errc::kTimeout;
}

Error no_node_answered(const std::vector<std::string>& reasons) {
  std::string each;
  for (const std::string& why : reasons) each += (each.empty() ? "" : "; ") + why;
  if (reasons.size() == 1) return Error{Errc::kUnavailable, each};
  return Error{Errc::kUnavailable,
               "none of the " + std::to_string(reasons.size()) + " nodes answered: " + each};
}

Result<Address> parse_address_arg(const std::string& text, const std::string& what) {
  auto address = eth::parse_address(text);
  if (!address.ok()) {
    return Error{Errc::kInvalidArgument,
                 what + " is not an address: '" + text + "' (" + address.error().message + ")"};
  }
  return *address;
}

ClientContext::ClientContext(ContextOptions options) : options_(std::move(options)) {
  home_ = options_.home.empty() ? default_home() : fs::path(options_.home);
}

fs::path ClientContext::key_file(const Address& account) const {
  return keys_dir() / (eth::to_checksum(account) + ".json");
}

Result<std::vector<Address>> ClientContext::stored_accounts() const {
  std::vector<Address> accounts;
  std::error_code ec;
  if (!fs::is_directory(keys_dir(), ec)) return accounts;
  for (const auto& entry : fs::directory_iterator(keys_dir(), ec)) {
    if (entry.path().extension() != ".json") continue;
    if (auto address = from_hex_fixed<Address>(entry.path().stem().string())) {
      accounts.push_back(*address);
    }
  }
  if (ec) return Error{Errc::kIo, "cannot list " + keys_dir().string() + ": " + ec.message()};
  std::sort(accounts.begin(), accounts.end());
  return accounts;
}

Status ClientContext::store_key(const Address& account, const std::string& keystore_json) const {
  MEDCHAIN_TRY_STATUS(ensure_private_dir(keys_dir()));
  const fs::path file = key_file(account);
  if (fs::exists(file)) {
    return Error{Errc::kConflict, "a key for " + eth::to_checksum(account) + " is already stored"};
  }
  return write_private_file(file, keystore_json);
}

Result<Address> ClientContext::account() {
  if (account_) return *account_;
  MEDCHAIN_TRY(std::vector<Address> stored, stored_accounts());
  if (!options_.from.empty()) {
    MEDCHAIN_TRY(Address from, parse_address_arg(options_.from, "--from"));
    if (std::find(stored.begin(), stored.end(), from) == stored.end()) {
      return Error{Errc::kInvalidArgument, "no key for " + eth::to_checksum(from) + " in " +
                                               keys_dir().string() + " (see `medchain keys list`)"};
    }
    account_ = from;
  } else if (stored.size() == 1) {
    account_ = stored.front();
  } else if (stored.empty()) {
    return Error{Errc::kInvalidArgument, "no key in " + keys_dir().string() +
                                             ": run `medchain keys new` or `medchain keys import`"};
  } else {
    return Error{Errc::kInvalidArgument,
                 std::to_string(stored.size()) +
                     " keys are stored: choose one with --from or $MEDCHAIN_ACCOUNT"};
  }
  return *account_;
}

Result<crypto::PrivateKey> ClientContext::key() {
  if (key_) return *key_;
  MEDCHAIN_TRY(Address account, this->account());
  MEDCHAIN_TRY(std::string keystore, read_file(key_file(account)));
  MEDCHAIN_TRY(
      std::string password,
      read_password("Password for " + eth::to_checksum(account) + ": ", "MEDCHAIN_PASSWORD"));
  auto key = eth::decrypt_keystore(keystore, password);
  if (!key.ok()) {
    if (key.error().code == Errc::kCheckFailed) {
      return Error{Errc::kInvalidArgument, "wrong password for " + eth::to_checksum(account)};
    }
    return Error{key.error().code, key_file(account).string() + ": " + key.error().message};
  }
  key_ = *key;
  return *key_;
}

std::vector<std::string> ClientContext::node_urls() const {
  std::vector<std::string> urls;
  std::stringstream list(options_.node);
  std::string url;
  while (std::getline(list, url, ',')) {
    url.erase(0, url.find_first_not_of(" \t"));
    url.erase(url.find_last_not_of(" \t") + 1);
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.empty()) urls.push_back(url);
  }
  return urls;
}

std::string ClientContext::node_url() const {
  if (!connected_url_.empty()) return connected_url_;
  const std::vector<std::string> urls = node_urls();
  return urls.empty() ? options_.node : urls.front();
}

Result<client::NodeClient*> ClientContext::node() {
  if (node_) return &*node_;
  client::ClientOptions client_options;
  auto abi = chain::ContractAbi::from_artifact(options_.artifact);
  // Only relaying needs the ABI: a command that does not relay still works without it.
  if (abi.ok()) {
    client_options.abi = std::make_shared<const chain::ContractAbi>(std::move(*abi));
  } else {
    abi_error_ =
        Error{abi.error().code, "cannot read the contract's ABI from " + options_.artifact +
                                    " (--artifact): " + abi.error().message};
  }
  const std::vector<std::string> urls = node_urls();
  if (urls.empty()) return Error{Errc::kInvalidArgument, "--node names no node"};
  std::vector<std::string> unreachable;
  for (const std::string& url : urls) {
    auto connected = client::NodeClient::connect(url, client_options);
    if (connected.ok()) {
      if (!unreachable.empty()) {
        std::cerr << "warning: ";
        for (const std::string& why : unreachable) std::cerr << why << "; ";
        std::cerr << "using " << url << "\n";
      }
      node_.emplace(std::move(*connected));
      connected_url_ = url;
      return &*node_;
    }
    if (!node_unreachable(connected.error())) return std::move(connected).error();
    unreachable.push_back(connected.error().message);
  }
  return no_node_answered(unreachable);
}

Result<client::NodeClient*> ClientContext::signed_in_node() {
  MEDCHAIN_TRY(Address account, this->account());
  MEDCHAIN_TRY(client::NodeClient * node, this->node());
  MEDCHAIN_TRY(std::optional<SavedSession> saved, saved_session(account));
  if (!saved) {
    return Error{Errc::kUnauthenticated, "not signed in to " + node_url() + " as " +
                                             eth::to_checksum(account) + ": run `medchain login`"};
  }
  if (saved->expires_at <= unix_now()) {
    return Error{Errc::kUnauthenticated, "session expired: run `medchain login`"};
  }
  node->set_token(saved->token);
  auto me = node->get("/v1/me");
  if (!me.ok()) {
    if (me.error().code == Errc::kUnauthenticated) {
      return Error{Errc::kUnauthenticated, "session expired: run `medchain login`"};
    }
    return std::move(me).error();
  }
  me_ = std::move(*me);
  return node;
}

namespace {

// An account's saved sessions: {"address", "sessions": {"<node URL>": {"token", "expiresAt"}}}.
// A file of the single-session layout of earlier versions ({"node", "token", "expiresAt"}) is
// read as one entry.
Result<client::json> read_sessions(const fs::path& file) {
  if (!fs::exists(file)) return client::json{{"sessions", client::json::object()}};
  MEDCHAIN_TRY(std::string text, read_file(file));
  auto parsed = client::json::parse(text, nullptr, false);
  if (parsed.is_object() && parsed["node"].is_string() && parsed["token"].is_string()) {
    const std::string node = parsed["node"].get<std::string>();
    parsed = client::json{
        {"address", parsed.value("address", "")},
        {"sessions",
         {{node, {{"token", parsed["token"]}, {"expiresAt", parsed.value("expiresAt", 0)}}}}}};
  }
  if (!parsed.is_object() || !parsed["sessions"].is_object()) {
    return Error{Errc::kUnauthenticated,
                 "the saved session " + file.string() + " is unreadable: run `medchain login`"};
  }
  return parsed;
}

}  // namespace

Result<std::optional<SavedSession>> ClientContext::saved_session(const Address& account) const {
  const fs::path file = sessions_dir() / (eth::to_checksum(account) + ".json");
  MEDCHAIN_TRY(client::json saved, read_sessions(file));
  // A session is for one node: signed in elsewhere means not signed in here.
  const std::string node = node_url();
  const client::json& entry = saved["sessions"][node];
  if (entry.is_null()) return std::optional<SavedSession>();
  if (!entry.is_object() || !entry["token"].is_string()) {
    return Error{Errc::kUnauthenticated,
                 "the saved session " + file.string() + " is unreadable: run `medchain login`"};
  }
  return std::optional<SavedSession>(SavedSession{node, account, entry["token"].get<std::string>(),
                                                  entry.value("expiresAt", std::int64_t{0})});
}

Status ClientContext::save_session(const SavedSession& session) const {
  MEDCHAIN_TRY_STATUS(ensure_private_dir(sessions_dir()));
  const fs::path file = sessions_dir() / (eth::to_checksum(session.address) + ".json");
  auto saved = read_sessions(file);
  client::json sessions = saved.ok() ? (*saved)["sessions"] : client::json::object();
  sessions[session.node] = {{"token", session.token}, {"expiresAt", session.expires_at}};
  const client::json document{{"address", eth::to_checksum(session.address)},
                              {"sessions", sessions}};
  return write_private_file(file, document.dump(2) + "\n");
}

Status ClientContext::forget_session(const Address& account, const std::string& node) const {
  const fs::path file = sessions_dir() / (eth::to_checksum(account) + ".json");
  auto saved = read_sessions(file);
  std::error_code ec;
  if (saved.ok()) {
    (*saved)["sessions"].erase(node);
    if (!(*saved)["sessions"].empty()) {
      (*saved)["address"] = eth::to_checksum(account);
      return write_private_file(file, saved->dump(2) + "\n");
    }
  }
  fs::remove(file, ec);
  if (ec) return Error{Errc::kIo, "cannot remove the saved session: " + ec.message()};
  return {};
}

Result<const chain::Contract*> ClientContext::contract() {
  if (contract_) return contract_.get();
  if (options_.rpc_url.empty()) {
    return Error{Errc::kInvalidArgument,
                 "this command talks to the chain: give --rpc-url or $MEDCHAIN_RPC_URL"};
  }
  MEDCHAIN_TRY(client::NodeClient * node, this->node());
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(options_.rpc_url));
  chain_ = std::make_unique<chain::EthClient>(endpoint);
  MEDCHAIN_TRY(std::uint64_t chain_id, chain_->chain_id());
  if (chain_id != node->info().chain_id) {
    return Error{Errc::kWrongChain, options_.rpc_url + " serves chain " + std::to_string(chain_id) +
                                        ", the node chain " +
                                        std::to_string(node->info().chain_id)};
  }
  MEDCHAIN_TRY(Address address, trusted_contract(chain_id, node->info().contract));
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(options_.artifact));
  contract_ = std::make_unique<chain::Contract>(
      std::make_shared<const chain::ContractAbi>(std::move(abi)), address, *chain_);
  return contract_.get();
}

Result<const chain::Contract*> ClientContext::contract_if_given() {
  if (options_.rpc_url.empty()) return static_cast<const chain::Contract*>(nullptr);
  return contract();
}

// Trust on first use, as ssh does with host keys: a node cannot point this home at a contract
// of its own making (one that would vouch for its keys and digests) once the home knows the
// deployment.
Result<Address> ClientContext::trusted_contract(std::uint64_t chain_id, const Address& named) {
  const std::string chain = std::to_string(chain_id);
  const std::string node_says =
      "the node names contract " + eth::to_checksum(named) + " on chain " + chain;
  const fs::path file = home_ / "deployments.json";
  client::json pins = client::json::object();
  if (fs::exists(file)) {
    MEDCHAIN_TRY(std::string text, read_file(file));
    pins = client::json::parse(text, nullptr, false);
    if (!pins.is_object()) return Error{Errc::kIo, file.string() + " is not a JSON object"};
  }
  if (!options_.contract.empty()) {  // the user's word, which also replaces the pin
    MEDCHAIN_TRY(Address given, parse_address_arg(options_.contract, "--contract"));
    if (given != named) {
      return Error{Errc::kCheckFailed, node_says + ", but --contract is " +
                                           eth::to_checksum(given) + ": refusing the node"};
    }
  } else if (pins.contains(chain) && pins[chain].is_string()) {
    MEDCHAIN_TRY(Address pinned, parse_address_arg(pins[chain].get<std::string>(), file.string()));
    if (pinned != named) {
      return Error{Errc::kCheckFailed, node_says + ", but this home trusts " +
                                           eth::to_checksum(pinned) + " (" + file.string() +
                                           "); give --contract if the deployment really moved"};
    }
    return pinned;
  }
  pins[chain] = eth::to_checksum(named);
  MEDCHAIN_TRY_STATUS(ensure_private_dir(home_));
  MEDCHAIN_TRY_STATUS(write_private_file(file, pins.dump(2) + "\n"));
  return named;
}

Result<chain::TransactionSender*> ClientContext::sender() {
  if (sender_) return sender_.get();
  MEDCHAIN_TRY(const chain::Contract* medchain, contract());
  MEDCHAIN_TRY(crypto::PrivateKey key, this->key());
  MEDCHAIN_TRY(sender_,
               chain::TransactionSender::connect(medchain->client(), key, node_->info().chain_id));
  return sender_.get();
}

Status ClientContext::wait_until_indexed(std::uint64_t block) {
  MEDCHAIN_TRY(client::NodeClient * node, this->node());
  return node->wait_until_indexed(block);
}

Result<client::json> ClientContext::relay(std::string_view function_name, client::json message) {
  MEDCHAIN_TRY(client::NodeClient * node, this->node());
  if (abi_error_) return *abi_error_;
  MEDCHAIN_TRY(crypto::PrivateKey key, this->key());
  return node->relay(key, function_name, std::move(message));
}

void ClientContext::print_relayed(const client::json& answer, const std::string& done) const {
  print(answer, done + " (transaction " + answer.value("transactionHash", std::string()) +
                    " in block " + std::to_string(answer.value("blockNumber", std::uint64_t{0})) +
                    ")");
}

void ClientContext::print(const client::json& value, const std::string& text) const {
  if (options_.json) {
    std::cout << value.dump() << "\n";
  } else if (!text.empty()) {
    std::cout << text << (text.back() == '\n' ? "" : "\n");
  }
}

}  // namespace medchain::cli
