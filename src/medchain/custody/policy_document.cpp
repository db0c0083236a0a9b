#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/custody/policy_document.hpp>
#include <nlohmann/json.hpp>
#include <set>

namespace medchain::custody {
namespace {

using nlohmann::ordered_json;

constexpr int kFormat = 1;

Error malformed(const std::string& what) {
  return Error{Errc::kInvalidJson, "the escrow policy document's " + what + " is malformed"};
}

template <class T>
Result<T> fixed_field(const ordered_json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return malformed(key);
  auto parsed = from_hex_fixed<T>(found->get<std::string>());
  if (!parsed) return malformed(key);
  return *parsed;
}

Result<std::uint64_t> unsigned_field(const ordered_json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number_unsigned()) return malformed(key);
  return found->get<std::uint64_t>();
}

}  // namespace

std::string policy_document_text(const PolicyDocument& document) {
  ordered_json custodians = ordered_json::array();
  for (std::size_t i = 0; i < document.custodians.size(); ++i) {
    const CustodianEntry& custodian = document.custodians[i];
    custodians.push_back(ordered_json{{"index", i + 1},
                                      {"account", to_hex(custodian.account)},
                                      {"encryptionKey", to_hex(custodian.encryption_key)},
                                      {"url", custodian.url}});
  }
  ordered_json commitments = ordered_json::array();
  for (const records::RistrettoPoint& commitment : document.policy.commitments) {
    commitments.push_back(to_hex(commitment));
  }
  const ordered_json text{{"format", kFormat},
                          {"patient", to_hex(document.policy.patient)},
                          {"threshold", document.policy.threshold},
                          {"custodians", custodians},
                          {"commitments", commitments}};
  return text.dump();
}

Hash32 policy_hash(std::string_view text) {
  return crypto::keccak256(
      ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<PolicyDocument> parse_policy_document(std::string_view text) {
  const ordered_json parsed = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return malformed("JSON");
  MEDCHAIN_TRY(std::uint64_t format, unsigned_field(parsed, "format"));
  if (format != kFormat) {
    return Error{Errc::kUnsupported,
                 "escrow policy format " + std::to_string(format) + " is not supported"};
  }
  PolicyDocument document;
  MEDCHAIN_TRY(document.policy.patient, fixed_field<Address>(parsed, "patient"));
  MEDCHAIN_TRY(std::uint64_t threshold, unsigned_field(parsed, "threshold"));
  const auto custodians = parsed.find("custodians");
  const auto commitments = parsed.find("commitments");
  if (custodians == parsed.end() || !custodians->is_array()) return malformed("custodians");
  if (commitments == parsed.end() || !commitments->is_array()) return malformed("commitments");
  if (threshold > 255 || custodians->size() > 255 || commitments->size() > 255) {
    return Error{Errc::kInvalidArgument, "an escrow has at most 255 custodians"};
  }
  document.policy.threshold = static_cast<std::uint8_t>(threshold);
  document.policy.custodian_count = static_cast<std::uint8_t>(custodians->size());
  for (const ordered_json& commitment : *commitments) {
    if (!commitment.is_string()) return malformed("commitments");
    auto point = from_hex_fixed<records::RistrettoPoint>(commitment.get<std::string>());
    if (!point) return malformed("commitments");
    document.policy.commitments.push_back(*point);
  }
  std::set<Address> accounts;
  for (const ordered_json& entry : *custodians) {
    if (!entry.is_object()) return malformed("custodians");
    MEDCHAIN_TRY(std::uint64_t index, unsigned_field(entry, "index"));
    if (index != document.custodians.size() + 1) {
      return Error{Errc::kInvalidArgument, "custodian indices must be 1, 2, ... in order"};
    }
    CustodianEntry custodian;
    MEDCHAIN_TRY(custodian.account, fixed_field<Address>(entry, "account"));
    MEDCHAIN_TRY(custodian.encryption_key,
                 fixed_field<records::X25519PublicKey>(entry, "encryptionKey"));
    const auto url = entry.find("url");
    if (url == entry.end() || !url->is_string()) return malformed("url");
    custodian.url = url->get<std::string>();
    if (!accounts.insert(custodian.account).second) {
      return Error{Errc::kInvalidArgument,
                   "custodian " + to_hex(custodian.account) + " appears twice"};
    }
    document.custodians.push_back(std::move(custodian));
  }
  MEDCHAIN_TRY_STATUS(records::check_escrow_policy(document.policy));
  return document;
}

std::uint8_t custodian_index(const PolicyDocument& document, const Address& account) {
  for (std::size_t i = 0; i < document.custodians.size(); ++i) {
    if (document.custodians[i].account == account) return static_cast<std::uint8_t>(i + 1);
  }
  return 0;
}

}  // namespace medchain::custody
