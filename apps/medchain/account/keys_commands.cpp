// `medchain keys new | import | list | export | rotate` (docs/cli.md, "Keys"): account keys
// kept as keystore v3 files (scrypt) in <home>/keys/<address>.json, and the rotation of the
// encryption key derived from one (account/key_rotation.hpp).
#include <fstream>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/keystore.hpp>

#include "account/key_rotation.hpp"
#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli {
namespace {

struct NewOptions {
  std::uint64_t scrypt_n = 0;  // 0: the default cost (eth::ScryptParams)
};

struct ImportOptions {
  std::string private_key;  // hex, or - to read it from stdin
  std::string keystore;     // a keystore v3 file
  std::string dev_account;  // a `medchain dev` account label
  std::string dev_dir = ".medchain-dev";
  std::uint64_t scrypt_n = 0;  // 0: the default cost (eth::ScryptParams)
};

struct ExportOptions {
  bool private_key = false;
};

Result<eth::ScryptParams> scrypt_params(std::uint64_t n) {
  if (n == 0) return eth::ScryptParams{};
  if (n < 2 || (n & (n - 1)) != 0 || n > (1u << 20)) {
    return Error{Errc::kInvalidArgument, "--scrypt-n must be a power of two from 2 to 1048576"};
  }
  // An explicit N is geth's shape (r = 8, p = 1): N = 262144 makes a keystore geth's cost.
  return eth::ScryptParams{n, 8, 1};
}

// A new password, typed twice at a terminal (or $MEDCHAIN_PASSWORD once).
Result<std::string> new_password() {
  MEDCHAIN_TRY(std::string password, read_password("New password: ", "MEDCHAIN_PASSWORD"));
  if (!std::getenv("MEDCHAIN_PASSWORD")) {
    MEDCHAIN_TRY(std::string again, read_password("Repeat it: ", "MEDCHAIN_PASSWORD"));
    if (again != password) return Error{Errc::kInvalidArgument, "the passwords differ"};
  }
  if (password.empty()) return Error{Errc::kInvalidArgument, "an empty password protects nothing"};
  return password;
}

Status store(ClientContext& context, const crypto::PrivateKey& key, std::uint64_t scrypt_n) {
  MEDCHAIN_TRY(eth::ScryptParams params, scrypt_params(scrypt_n));
  const Address address = crypto::address_of(key);
  if (std::filesystem::exists(context.key_file(address))) {
    return Error{Errc::kConflict, "a key for " + eth::to_checksum(address) + " is already stored"};
  }
  MEDCHAIN_TRY(std::string password, new_password());
  MEDCHAIN_TRY_STATUS(context.store_key(address, eth::encrypt_keystore(key, password, params)));
  context.print(
      {{"address", eth::to_checksum(address)}, {"file", context.key_file(address).string()}},
      eth::to_checksum(address));
  return {};
}

// The label as typed ("patient 1", "patient-1", "Patient1") matches the dev account's label.
std::string normalized_label(std::string_view label) {
  std::string out;
  for (char c : label) {
    if (c != ' ' && c != '-' && c != '_') out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

Result<crypto::PrivateKey> dev_account_key(const ImportOptions& options) {
  const std::filesystem::path file = std::filesystem::path(options.dev_dir) / "dev-accounts.json";
  MEDCHAIN_TRY(std::string text, read_input(file.string()));
  const auto document = client::json::parse(text, nullptr, false);
  if (!document.is_object() || !document["accounts"].is_array()) {
    return Error{Errc::kInvalidJson, file.string() + " is not a medchain dev accounts file"};
  }
  std::string labels;
  for (const auto& account : document["accounts"]) {
    const std::string label = account.value("label", std::string());
    labels += (labels.empty() ? "" : ", ") + label;
    if (normalized_label(label) != normalized_label(options.dev_account)) continue;
    MEDCHAIN_TRY(Bytes raw, from_hex(account.value("privateKey", std::string())));
    return crypto::parse_private_key(raw);
  }
  return Error{Errc::kInvalidArgument, "no dev account '" + options.dev_account + "' in " +
                                           file.string() + " (" + labels + ")"};
}

Result<crypto::PrivateKey> imported_key(const ImportOptions& options) {
  const int sources =
      !options.private_key.empty() + !options.keystore.empty() + !options.dev_account.empty();
  if (sources != 1) {
    return Error{Errc::kInvalidArgument,
                 "give exactly one of --private-key, --keystore or --dev-account"};
  }
  if (!options.dev_account.empty()) return dev_account_key(options);
  if (!options.keystore.empty()) {
    MEDCHAIN_TRY(std::string text, read_input(options.keystore));
    MEDCHAIN_TRY(std::string password, read_password("Password of " + options.keystore + ": ",
                                                     "MEDCHAIN_IMPORT_PASSWORD"));
    auto key = eth::decrypt_keystore(text, password);
    if (!key.ok() && key.error().code == Errc::kCheckFailed) {
      return Error{Errc::kInvalidArgument, "wrong password for " + options.keystore};
    }
    return key;
  }
  std::string text = options.private_key;
  if (text == "-") {
    MEDCHAIN_TRY(text, read_input("-"));
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  auto raw = from_hex(text);
  if (!raw.ok()) return Error{Errc::kInvalidPrivateKey, "--private-key is not hex"};
  return crypto::parse_private_key(*raw);
}

Status list_keys(ClientContext& context) {
  MEDCHAIN_TRY(std::vector<Address> accounts, context.stored_accounts());
  client::json list = client::json::array();
  std::string text;
  for (const Address& account : accounts) {
    list.push_back(eth::to_checksum(account));
    text += eth::to_checksum(account) + "\n";
  }
  context.print({{"accounts", list}}, text);
  return {};
}

Status export_key(ClientContext& context, const ExportOptions& options) {
  MEDCHAIN_TRY(Address account, context.account());
  if (options.private_key) {
    MEDCHAIN_TRY(crypto::PrivateKey key, context.key());
    context.print({{"address", eth::to_checksum(account)}, {"privateKey", to_hex(key)}},
                  to_hex(key));
    return {};
  }
  MEDCHAIN_TRY(std::string keystore, read_input(context.key_file(account).string()));
  // The keystore document is JSON already; --json changes nothing.
  std::cout << keystore << (keystore.empty() || keystore.back() != '\n' ? "\n" : "");
  return {};
}

void add_keys_commands(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Account keys, kept as keystore v3 files (scrypt)");
  keys->require_subcommand(1);

  auto fresh = std::make_shared<NewOptions>();
  auto* new_cmd = keys->add_subcommand("new", "Create a new account key");
  new_cmd->add_option("--scrypt-n", fresh->scrypt_n,
                      "scrypt's N with r = 8, p = 1 (default: N = 32768, r = 8, p = 8)");
  on_run(new_cmd, [fresh]() -> Status {
    ClientContext context;
    return store(context, crypto::generate_private_key(), fresh->scrypt_n);
  });

  auto imported = std::make_shared<ImportOptions>();
  auto* import_cmd = keys->add_subcommand("import", "Store an existing key");
  import_cmd->add_option("--private-key", imported->private_key, "The key as hex (- for stdin)");
  import_cmd->add_option(
      "--keystore", imported->keystore,
      "A keystore v3 file (its password from $MEDCHAIN_IMPORT_PASSWORD or asked)");
  import_cmd->add_option("--dev-account", imported->dev_account,
                         "A `medchain dev` account: registrar, doctor 1, patient 2, ...");
  import_cmd->add_option("--dev-dir", imported->dev_dir, "medchain dev's data directory")
      ->capture_default_str();
  import_cmd->add_option("--scrypt-n", imported->scrypt_n,
                         "scrypt's N with r = 8, p = 1 (default: N = 32768, r = 8, p = 8)");
  on_run(import_cmd, [imported]() -> Status {
    ClientContext context;
    MEDCHAIN_TRY(crypto::PrivateKey key, imported_key(*imported));
    return store(context, key, imported->scrypt_n);
  });

  auto* list_cmd = keys->add_subcommand("list", "The stored accounts");
  on_run(list_cmd, []() -> Status {
    ClientContext context;
    return list_keys(context);
  });

  auto exported = std::make_shared<ExportOptions>();
  auto* export_cmd = keys->add_subcommand("export", "Print the account's keystore JSON");
  export_cmd->add_flag("--private-key", exported->private_key,
                       "Print the decrypted private key instead (it controls the account)");
  on_run(export_cmd, [exported]() -> Status {
    ClientContext context;
    return export_key(context, *exported);
  });

  auto* rotate_cmd = keys->add_subcommand(
      "rotate", "Rotate your encryption key (a patient): re-seal your record keys, then the chain");
  on_run(rotate_cmd, []() -> Status {
    ClientContext context;
    MEDCHAIN_TRY(KeyRotation rotation, rotate_encryption_key(context));
    client::json answer = rotation.relayed;
    answer["from"] = rotation.from.describe();
    answer["to"] = rotation.to.describe();
    answer["generation"] = rotation.to.generation;
    answer["encryptionKey"] = to_hex(rotation.encryption_key);
    answer["resealed"] = rotation.resealed;
    answer["alreadySealed"] = rotation.already_sealed;
    context.print_relayed(answer, "rotated your encryption key from " + rotation.from.describe() +
                                      " to " + rotation.to.describe() + " (" +
                                      to_hex(rotation.encryption_key) + "), " +
                                      std::to_string(rotation.resealed + rotation.already_sealed) +
                                      " record keys sealed to it");
    return {};
  });
}

const bool kRegistered = register_top_level_group(&add_keys_commands);

}  // namespace
}  // namespace medchain::cli
