#include <sodium.h>

#include <account/doctor_names.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>
#include <medchain/records/fhir.hpp>
#include <records/chain_checks.hpp>
#include <records/patient_names.hpp>
#include <records/record_actions.hpp>
#include <records/record_content.hpp>
#include <records/record_escrow.hpp>
#include <records/record_io.hpp>
#include <records/record_keys.hpp>
#include <records/record_summaries.hpp>

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
using nlohmann::json;

Result<Hash32> parse_record_id(const std::string& text) {
  auto id = from_hex_fixed<Hash32>(text);
  if (!id) return Error{Errc::kInvalidArgument, "a record id is 32 bytes of 0x hex"};
  return *id;
}

// GET /v1/records/{id}, whose versions and digests come from the node's index of the chain.
Result<json> record_versions(Caller& caller, const Hash32& record_id, bool with_keys = false) {
  MEDCHAIN_TRY(json record, caller.node.get("/v1/records/" + to_hex(record_id) +
                                            (with_keys ? "?include=keys" : "")));
  if (!record.contains("versions") || !record["versions"].is_array() ||
      record["versions"].empty()) {
    return Error{Errc::kNotFound, "the record has no version you may read"};
  }
  return record;
}

Result<json> pick_version(const json& record, std::uint64_t number) {
  const json& versions = record["versions"];
  if (number == 0) return versions.back();
  for (const json& version : versions) {
    if (version.value("version", std::uint64_t{0}) == number) return version;
  }
  return Error{Errc::kNotFound,
               "the record has no version " + std::to_string(number) + " that you may read"};
}

Hash32 random_record_id() {
  Hash32 id;
  randombytes_buf(id.data(), id.size());
  return id;
}

std::string checksum(const json& value) {
  auto address = eth::parse_address(value.get<std::string>());
  return address ? eth::to_checksum(*address) : value.get<std::string>();
}

// With an emergency escrow policy set for `patient`, wraps the version's content key to its
// escrow key and stores it with the version (docs/format.md, "Emergency escrow"). The document
// the node serves is checked against the chain's hash when `medchain` is given. Returns whether
// the key was escrowed; no policy (404) is not an error.
Result<bool> escrow_content_key(Caller& caller, const chain::Contract* medchain,
                                const Address& patient, const format::KeyBinding& binding,
                                const format::ContentKey& key) {
  auto policy = published_escrow_policy(caller.node, medchain, patient);
  if (!policy.ok()) {
    if (policy.error().code != Errc::kNotFound) return policy.error();
    // The node publishes no policy. With the chain at hand, say so when the chain does name
    // one: an emergency doctor would find this version unreadable through the escrow.
    if (medchain != nullptr) {
      MEDCHAIN_TRY(auto on_chain, medchain->call("escrowPolicies", {eth::abi::Value(patient)}));
      const Bytes& word = on_chain.at(0).bytes();
      if (std::any_of(word.begin(), word.end(), [](std::uint8_t b) { return b != 0; })) {
        std::cerr << "warning: the chain names an emergency escrow policy for this patient that "
                     "the node does not publish: this version's key is not escrowed\n";
      }
    }
    return false;
  }
  MEDCHAIN_TRY_STATUS(store_escrow_key(caller.node, *policy, binding, key));
  return true;
}

// The name a new version's summary gives its author by default: a patient's own, from their
// newest Patient record; a doctor's, from the registrar-signed profile only when the chain's
// registrar could be checked (--rpc-url, so `medchain` is set); else none.
std::string own_author_name(Caller& caller, const Address& patient,
                            const chain::Contract* medchain) {
  if (caller.account == patient) {
    PatientNames names(caller);
    auto details = names.details(patient);
    return details ? details->name : "";
  }
  if (medchain == nullptr) return "";
  return registrar_checked_name(caller.context, caller.node, caller.account);
}

// Encrypts and uploads the content, relays the intent `function` with `message` (which gets the
// digest, nodeId and contentId), then seals the key to the recipients.
Result<json> write_version(Caller& caller, const Address& patient, NewContent& content,
                           std::string_view function, json message,
                           const std::function<Result<std::uint64_t>()>& version_number) {
  // Who the key is sealed to is settled, and checked against the chain, before anything is
  // uploaded or recorded: a lying directory leaves nothing behind.
  MEDCHAIN_TRY(Recipients listed,
               key_recipients(caller.node, patient, content.category, caller.account));
  const std::vector<Recipient>& recipients = listed.readers;
  MEDCHAIN_TRY(const chain::Contract* medchain, caller.context.contract_if_given());
  if (medchain != nullptr) {
    MEDCHAIN_TRY_STATUS(check_guardians_on_chain(*medchain, patient, listed));
    MEDCHAIN_TRY_STATUS(check_recipients_on_chain(*medchain, patient, content.category,
                                                  caller.account, recipients));
  }
  const format::ContentKey key = format::new_content_key();
  MEDCHAIN_TRY(crypto::PrivateKey signer, caller.key());
  MEDCHAIN_TRY(Uploaded uploaded, encrypt_and_upload(caller.node, patient, content.category,
                                                     content.record, key, signer, caller.progress));
  message["digest"] = to_hex(uploaded.digest);
  message["nodeId"] = to_hex(caller.node.info().node_id);
  message["contentId"] = to_hex(uploaded.digest);
  MEDCHAIN_TRY(json relayed, caller.node.relay(signer, function, message));
  const Hash32 record_id = from_hex_fixed<Hash32>(message["recordId"].get<std::string>()).value();
  MEDCHAIN_TRY(std::uint64_t named, version_number());
  MEDCHAIN_TRY(std::uint32_t version, checked_version(named));
  const format::KeyBinding binding{record_id, version, uploaded.digest};
  MEDCHAIN_TRY_STATUS(share_content_key(caller.node, binding, key, recipients));
  MEDCHAIN_TRY(bool escrowed, escrow_content_key(caller, medchain, patient, binding, key));
  if (!content.author_named) {
    content.summary.author_name = own_author_name(caller, patient, medchain);
    // A name the summary format refuses (a profile allows longer ones) is left out, not cut.
    if (!format::encode_summary(content.summary).ok()) content.summary.author_name.clear();
  }
  // The version is on chain by now: a summary the node refuses is a warning, not a failure.
  const Status summary_stored = store_summary(caller.node, binding, key, content.summary);
  if (!summary_stored.ok() && !caller.json) {
    std::cerr << "warning: the record's summary was not stored: " << summary_stored.error().message
              << "\n";
  }
  json summary = {{"title", content.summary.title},
                  {"date", content.summary.date},
                  {"kind", content.summary.kind}};
  if (!content.summary.author_name.empty()) summary["authorName"] = content.summary.author_name;
  json readers = json::array();
  for (const Recipient& recipient : recipients)
    readers.push_back(eth::to_checksum(recipient.account));
  json keyless = json::array();
  for (const Address& guardian : listed.guardians_without_key)
    keyless.push_back(eth::to_checksum(guardian));
  return json{{"recordId", to_hex(record_id)},
              {"version", version},
              {"patient", eth::to_checksum(patient)},
              {"category", format::category_name(content.category)},
              {"digest", to_hex(uploaded.digest)},
              {"size", uploaded.size},
              {"transactionHash", relayed.value("transactionHash", "")},
              {"keysSealedTo", readers},
              {"guardiansWithoutKey", keyless},
              {"escrowed", escrowed},
              {"chainChecked", medchain != nullptr},
              {"summary", summary},
              {"summaryStored", summary_stored.ok()}};
}

void print_written(const Caller& caller, const json& written) {
  if (caller.json) {
    std::cout << written.dump() << "\n";
    return;
  }
  std::cout << written["recordId"].get<std::string>() << "\n";
  for (const json& guardian : written["guardiansWithoutKey"]) {
    std::cerr << "warning: guardian " << guardian.get<std::string>()
              << " has registered no encryption key: this version is not sealed to them\n";
  }
  if (!written.value("chainChecked", false)) {
    std::cerr << "note: the readers' keys were the node's word, unchecked: give --rpc-url to "
                 "check them against the chain\n";
  }
}

// Each version's author by name when a doctor with a profile the node holds (doctor_names.hpp).
void name_authors(Caller& caller, json& records) {
  for (json& record : records) {
    if (record.contains("versions")) {
      look_up_and_name_doctors(caller.context, caller.node, record["versions"], "author");
    }
  }
}

void print_version_line(const json& version) {
  const std::uint64_t block_time = version.value("blockTime", std::uint64_t{0});
  std::cout << "  v" << version.value("version", 0) << "  " << summary_text(version)
            << "\n      block time "
            << (block_time == 0 ? std::string("?")
                                : eth::format_rfc3339(static_cast<std::int64_t>(block_time)))
            << "  "
            << (version["category"].is_string() ? version["category"].get<std::string>() : "?")
            << "  "
            << (version["size"].is_number() ? std::to_string(version["size"].get<std::uint64_t>())
                                            : "?")
            << " bytes  author " << doctor_label(version, "author") << "  digest "
            << version.value("digest", "") << "\n";
}

}  // namespace

Result<json> add_new_record(Caller& caller, const Address& patient, NewContent& content) {
  return add_record_with_id(caller, patient, random_record_id(), content);
}

Result<json> add_record_with_id(Caller& caller, const Address& patient, const Hash32& record_id,
                                NewContent& content) {
  const json message{{"patient", eth::to_checksum(patient)}, {"recordId", to_hex(record_id)}};
  return write_version(caller, patient, content, "addRecordBySig", message,
                       []() -> Result<std::uint64_t> { return std::uint64_t{1}; });
}

Result<json> append_version(Caller& caller, const json& record, NewContent& content) {
  MEDCHAIN_TRY(Hash32 record_id, parse_record_id(record.value("recordId", "")));
  if (!record.contains("versions") || !record["versions"].is_array() ||
      record["versions"].empty()) {
    return Error{Errc::kNotFound, "the record has no version you may read"};
  }
  const json newest = record["versions"].back();
  MEDCHAIN_TRY(Address patient, eth::parse_address(record.value("patient", "")));
  const std::uint64_t next = newest.value("version", std::uint64_t{0}) + 1;
  const json message{{"recordId", to_hex(record_id)}, {"currentHead", newest.value("head", "")}};
  return write_version(caller, patient, content, "updateRecordBySig", message,
                       [next]() -> Result<std::uint64_t> { return next; });
}

Result<Address> patient_or_caller(const Caller& caller, const std::string& text) {
  if (text.empty()) return caller.account;
  return eth::parse_address(text);
}

Result<format::ContentKey> own_key(Caller& caller, const format::KeyBinding& version) {
  MEDCHAIN_TRY(json answer,
               caller.node.get("/v1/records/" + to_hex(version.record_id) + "/versions/" +
                               std::to_string(version.version) + "/key"));
  MEDCHAIN_TRY(Bytes sealed, from_hex(answer.value("sealedKey", "")));
  MEDCHAIN_TRY(std::vector<format::EncryptionKeyPair> mine, caller.encryption());
  return format::open_content_key(sealed, version, mine);
}

Status add_record(Caller& caller, const AddOptions& options) {
  MEDCHAIN_TRY(Address patient, patient_or_caller(caller, options.patient));
  MEDCHAIN_TRY(NewContent content, prepare_content(options.content));
  MEDCHAIN_TRY(json written, add_new_record(caller, patient, content));
  print_written(caller, written);
  return {};
}

Status update_record(Caller& caller, const UpdateOptions& options) {
  MEDCHAIN_TRY(Hash32 record_id, parse_record_id(options.record_id));
  MEDCHAIN_TRY(json record, record_versions(caller, record_id));
  const json newest = record["versions"].back();
  ContentOptions content_options = options.content;
  if (content_options.category.empty() && newest["category"].is_string()) {
    content_options.category = newest["category"].get<std::string>();  // a version keeps it
  }
  MEDCHAIN_TRY(NewContent content, prepare_content(content_options));
  MEDCHAIN_TRY(json written, append_version(caller, record, content));
  print_written(caller, written);
  return {};
}

Status list_records(Caller& caller, const std::string& patient_text) {
  MEDCHAIN_TRY(Address patient, patient_or_caller(caller, patient_text));
  MEDCHAIN_TRY(json listing, caller.node.get("/v1/patients/" + eth::to_checksum(patient) +
                                             "/records?include=keys"));
  if (listing.contains("records")) {
    MEDCHAIN_TRY_STATUS(open_summaries(caller, listing["records"]));
    name_authors(caller, listing["records"]);
  }
  if (caller.json) {
    std::cout << listing.dump() << "\n";
    return {};
  }
  const json records = listing.value("records", json::array());
  if (records.empty()) std::cout << "no records you may read\n";
  for (const json& record : records) {
    std::cout << record.value("recordId", "") << "  " << record["versions"].size()
              << " version(s)\n";
    print_version_line(record["versions"].back());
  }
  return {};
}

Status show_record(Caller& caller, const std::string& record_text) {
  MEDCHAIN_TRY(Hash32 record_id, parse_record_id(record_text));
  MEDCHAIN_TRY(json record, record_versions(caller, record_id, /*with_keys=*/true));
  json one = json::array({record});
  MEDCHAIN_TRY_STATUS(open_summaries(caller, one));
  name_authors(caller, one);
  record = one[0];
  if (caller.json) {
    std::cout << record.dump() << "\n";
    return {};
  }
  std::cout << "record  " << to_hex(record_id) << "\npatient " << checksum(record["patient"])
            << "\n";
  for (const json& version : record["versions"]) print_version_line(version);
  return {};
}

Status get_record(Caller& caller, const GetOptions& options) {
  MEDCHAIN_TRY(Hash32 record_id, parse_record_id(options.record_id));
  MEDCHAIN_TRY(json record, record_versions(caller, record_id));
  MEDCHAIN_TRY(json version, pick_version(record, options.version));
  MEDCHAIN_TRY(format::KeyBinding binding, version_binding(record_id, version));
  MEDCHAIN_TRY(const chain::Contract* medchain, caller.context.contract_if_given());
  if (medchain != nullptr) {
    MEDCHAIN_TRY_STATUS(check_version_on_chain(*medchain, binding, version));
  }
  const std::uint64_t number = binding.version;
  const Hash32& digest = binding.digest;
  std::vector<std::string> skipped;  // custodians that did not answer, through the escrow
  auto opened = [&]() -> Result<format::ContentKey> {
    if (!options.through_escrow) return own_key(caller, binding);
    MEDCHAIN_TRY(Address patient, eth::parse_address(record.value("patient", "")));
    return content_key_through_escrow(caller, medchain, patient, binding, skipped);
  }();
  for (const std::string& custodian : skipped) std::cerr << "warning: " << custodian << "\n";
  MEDCHAIN_TRY(format::ContentKey key, std::move(opened));
  MEDCHAIN_TRY(format::Manifest manifest,
               download_and_decrypt(caller.node, digest, key, options.out, caller.progress));
  if (options.out != "-") {
    json summary{{"recordId", to_hex(record_id)},
                 {"version", number},
                 {"digest", to_hex(digest)},
                 {"resourceType", manifest.resource.value("resourceType", "")},
                 {"attachment", format::manifest_to_json(manifest)["attachment"]},
                 {"out", options.out},
                 {"throughEscrow", options.through_escrow},
                 {"chainChecked", medchain != nullptr}};
    if (options.through_escrow) summary["custodiansSkipped"] = skipped;
    if (caller.json) {
      std::cout << summary.dump() << "\n";
    } else {
      std::cerr << "wrote " << options.out << " (record " << to_hex(record_id) << " v" << number
                << (medchain != nullptr ? ", digest and author checked against the chain)\n"
                                        : ", digest checked against the node's word only)\n");
    }
  }
  return {};
}

Status set_category(Caller& caller, const CategoryOptions& options) {
  const auto category = format::parse_category(options.category);
  if (!category) {
    return Error{Errc::kInvalidArgument, "'" + options.category +
                                             "' is not a category (general, lab, imaging, "
                                             "medication, ...)"};
  }
  MEDCHAIN_TRY(Hash32 record_id, parse_record_id(options.record_id));
  MEDCHAIN_TRY(json record, record_versions(caller, record_id));
  MEDCHAIN_TRY(json version, pick_version(record, options.version));
  MEDCHAIN_TRY(format::KeyBinding binding, version_binding(record_id, version));
  MEDCHAIN_TRY(Address patient, eth::parse_address(record.value("patient", "")));
  // The statement is about the digest it names: sign only the chain's.
  MEDCHAIN_TRY(const chain::Contract* medchain, caller.context.contract_if_given());
  if (medchain != nullptr) MEDCHAIN_TRY_STATUS(check_version_on_chain(*medchain, binding, version));
  MEDCHAIN_TRY(crypto::PrivateKey key, caller.key());
  MEDCHAIN_TRY(
      Bytes signature,
      format::sign_category({patient, binding.digest, *category},
                            {caller.node.info().chain_id, caller.node.info().contract}, key));
  const json body{{"category", std::string(format::category_name(*category))},
                  {"signature", to_hex(signature)}};
  MEDCHAIN_TRY(json corrected, caller.node.send("PATCH",
                                                "/v1/records/" + to_hex(record_id) + "/versions/" +
                                                    std::to_string(binding.version),
                                                &body));
  if (caller.json) {
    std::cout << corrected.dump() << "\n";
  } else {
    std::cout << "record " << to_hex(record_id) << " v" << binding.version << " is now "
              << corrected.value("category", "?") << "\n";
  }
  return {};
}

}  // namespace medchain::cli::records
