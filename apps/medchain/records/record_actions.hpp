// What `medchain records add|list|show|get|update|export` do, given a signed-in node client
// and the caller's key (records_command.cpp parses the command line into these).
#pragma once

#include <cstdint>
#include <medchain/client/node_client.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/records/envelope.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client_context.hpp"

namespace medchain::cli::records {

// The caller as the records commands need them. The key (and so the password) is asked for
// only by commands that sign or decrypt.
struct Caller {
  ClientContext& context;
  client::NodeClient& node;  // signed in
  Address account;
  bool json = false;      // --json: one line of JSON on stdout
  bool progress = false;  // a progress bar on stderr for transfers over 1 MiB

  Result<crypto::PrivateKey> key() { return context.key(); }
  // The caller's encryption keys, the one on chain first (ClientContext::decryption_keys).
  Result<std::vector<medchain::records::EncryptionKeyPair>> encryption() {
    return context.decryption_keys();
  }
};

// The content of a new record version: a FHIR resource, a file, or both (then the resource is
// the file's DocumentReference).
struct ContentOptions {
  std::string resource_file;  // JSON, "-" for stdin
  std::string file;           // the attachment, "-" for stdin
  std::string content_type;   // default from the file's extension
  std::string title;          // the summary's title (and a file's); default derived / its name
  std::string date;           // the summary's date; default the resource's clinical date
  std::string category;       // default suggested by the resource
  // The summary's author name; unset: the author's own checked name (record_actions.cpp).
  std::optional<std::string> author_name;
};

struct AddOptions {
  std::string patient;  // default the caller
  ContentOptions content;
};

struct UpdateOptions {
  std::string record_id;
  ContentOptions content;
};

struct GetOptions {
  std::string record_id;
  std::uint64_t version = 0;  // 0: the newest
  std::string out = "-";
  // An emergency read: the key from k escrow custodians, not one sealed to the caller.
  bool through_escrow = false;
};

struct CategoryOptions {
  std::string record_id;
  std::uint64_t version = 0;  // 0: the newest
  std::string category;
};

struct NewContent;

Status add_record(Caller& caller, const AddOptions& options);
// Adds `content` as a new record of `patient` (encrypt, upload, relay addRecordBySig, seal the
// key to its readers) and returns what `records add --json` prints.
Result<nlohmann::json> add_new_record(Caller& caller, const Address& patient, NewContent& content);
// The same with a record id the caller chose (a well-known one: the emergency summary's).
Result<nlohmann::json> add_record_with_id(Caller& caller, const Address& patient,
                                          const Hash32& record_id, NewContent& content);
// Appends `content` as the next version of `record`, as the node lists it (GET /v1/records/{id}:
// recordId, patient, versions with the newest's head), and returns what `records update --json`
// prints. The chain refuses it (StaleRecordVersion) if another version came in between.
Result<nlohmann::json> append_version(Caller& caller, const nlohmann::json& record,
                                      NewContent& content);
// The patient an option names, or the caller when it is empty.
Result<Address> patient_or_caller(const Caller& caller, const std::string& text);
// The caller's sealed key of a version, opened and checked to be bound to that version.
Result<medchain::records::ContentKey> own_key(Caller& caller,
                                             const medchain::records::KeyBinding& version);
// Corrects a version's category: the caller (the patient or a guardian) signs a category
// statement of it for the version's digest, and the node stores it (PATCH .../versions/{n}).
Status set_category(Caller& caller, const CategoryOptions& options);
Status update_record(Caller& caller, const UpdateOptions& options);
Status list_records(Caller& caller, const std::string& patient);
Status show_record(Caller& caller, const std::string& record_id);
Status get_record(Caller& caller, const GetOptions& options);

}  // namespace medchain::cli::records
