#include <fstream>
#include <medchain/chain/contract_abi.hpp>
#include <medchain/core/hex.hpp>
#include <sstream>

namespace medchain::chain {
namespace {

using nlohmann::json;
namespace abi = eth::abi;

Error malformed(const std::string& what) {
  return Error{Errc::kInvalidJson, "contract ABI: " + what};
}

// The canonical type string of one ABI JSON parameter; tuples spell out their components.
Result<std::string> type_string(const json& param, std::size_t depth = 0) {
  if (depth > abi::kMaxTypeDepth) return malformed("tuples nested too deeply");
  if (!param.is_object() || !param.contains("type") || !param["type"].is_string()) {
    return malformed("parameter without a type");
  }
  const std::string type = param["type"].get<std::string>();
  if (type.rfind("tuple", 0) != 0) return type;
  std::string out = "(";
  const json components = param.value("components", json::array());
  for (std::size_t i = 0; i < components.size(); ++i) {
    MEDCHAIN_TRY(std::string member, type_string(components[i], depth + 1));
    out += (i ? "," : "") + member;
  }
  return out + ")" + type.substr(5);  // the array suffix after "tuple", if any
}

Result<std::vector<abi::Param>> params_of(const json& list) {
  std::vector<abi::Param> params;
  if (list.is_null()) return params;
  if (!list.is_array()) return malformed("parameters must be a list");
  for (const json& entry : list) {
    MEDCHAIN_TRY(std::string text, type_string(entry));
    MEDCHAIN_TRY(abi::Type type, abi::parse_type(text));
    params.push_back(abi::Param{std::move(type), entry.value("name", std::string()),
                                entry.value("indexed", false)});
  }
  return params;
}

}  // namespace

Result<ContractAbi> ContractAbi::from_artifact(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) {
    return Error{Errc::kNotFound,
                 "no contract artifact at " + path.string() + " (run contracts/scripts/build)"};
  }
  std::stringstream text;
  text << file.rdbuf();
  const json artifact = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (artifact.is_discarded()) return malformed(path.string() + " is not JSON");
  return from_json(artifact);
}

Result<ContractAbi> ContractAbi::from_json(const json& artifact) {
  if (!artifact.is_object() || !artifact.contains("abi") || !artifact["abi"].is_array()) {
    return malformed("artifact has no \"abi\" list");
  }
  ContractAbi contract;
  for (const json& entry : artifact["abi"]) {
    const std::string kind = entry.value("type", "");
    if (kind != "function" && kind != "event" && kind != "error") continue;
    abi::Signature signature;
    signature.name = entry.value("name", "");
    MEDCHAIN_TRY(signature.inputs, params_of(entry.value("inputs", json())));
    MEDCHAIN_TRY(signature.outputs, params_of(entry.value("outputs", json())));
    if (kind == "function") {
      contract.functions_.push_back(std::move(signature));
      contract.function_entries_.push_back(entry);
    } else if (kind == "event") {
      signature.kind = abi::Signature::Kind::kEvent;
      contract.event_by_topic_[abi::event_topic(signature)] = contract.events_.size();
      contract.events_.push_back(std::move(signature));
    } else {
      signature.kind = abi::Signature::Kind::kError;
      contract.errors_.push_back(std::move(signature));
    }
  }
  const json bytecode = artifact.value("bytecode", json::object());
  if (bytecode.is_object() && bytecode.contains("object") && bytecode["object"].is_string()) {
    auto bytes = from_hex(bytecode["object"].get<std::string>());
    if (!bytes) return malformed("bytecode is not hex");
    contract.bytecode_ = std::move(*bytes);
  }
  return contract;
}

Result<const abi::Signature*> ContractAbi::function(std::string_view name) const {
  const abi::Signature* found = nullptr;
  for (const abi::Signature& candidate : functions_) {
    if (candidate.name != name) continue;
    if (found != nullptr) {
      return Error{Errc::kInvalidArgument, "function " + std::string(name) + " is overloaded"};
    }
    found = &candidate;
  }
  if (found == nullptr)
    return Error{Errc::kNotFound, "the contract has no function " + std::string(name)};
  return found;
}

Result<StructDescription> ContractAbi::input_struct(std::string_view function_name,
                                                    std::size_t index) const {
  MEDCHAIN_TRY(const abi::Signature* signature, function(function_name));
  const json& entry = function_entries_[static_cast<std::size_t>(signature - functions_.data())];
  const json inputs = entry.value("inputs", json::array());
  if (index >= inputs.size() || inputs[index].value("type", "") != "tuple") {
    return Error{Errc::kInvalidArgument, std::string(function_name) + " input " +
                                             std::to_string(index) + " is not a struct"};
  }
  const json& param = inputs[index];
  // "struct IntentTypes.GrantAccess" -> "GrantAccess".
  std::string name = param.value("internalType", "");
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
  if (const auto space = name.rfind(' '); space != std::string::npos) name = name.substr(space + 1);
  if (name.empty()) return malformed(std::string(function_name) + ": struct without a name");
  StructDescription description{name, {}};
  for (const json& component : param.value("components", json::array())) {
    MEDCHAIN_TRY(std::string type, type_string(component));
    description.fields.emplace_back(component.value("name", ""), std::move(type));
  }
  return description;
}

Result<Bytes> ContractAbi::encode_call(std::string_view function_name,
                                       const std::vector<abi::Value>& args) const {
  MEDCHAIN_TRY(const abi::Signature* signature, function(function_name));
  return abi::encode_call(*signature, args);
}

Result<std::vector<abi::Value>> ContractAbi::decode_output(std::string_view function_name,
                                                           ByteView output) const {
  MEDCHAIN_TRY(const abi::Signature* signature, function(function_name));
  return abi::decode(signature->output_types(), output);
}

const abi::Value* DecodedLog::field(std::string_view name) const {
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (names[i] == name) return &values[i];
  }
  return nullptr;
}

Result<DecodedLog> ContractAbi::decode_log(const Log& log) const {
  if (log.topics.empty()) return Error{Errc::kNotFound, "anonymous log"};
  const auto found = event_by_topic_.find(log.topics[0]);
  if (found == event_by_topic_.end()) {
    return Error{Errc::kNotFound, "unknown event topic " + to_hex(log.topics[0])};
  }
  const abi::Signature& event = events_[found->second];
  MEDCHAIN_TRY(std::vector<abi::Value> values, abi::decode_event(event, log.topics, log.data));
  DecodedLog decoded{event.name, {}, std::move(values)};
  for (const abi::Param& param : event.inputs) decoded.names.push_back(param.name);
  return decoded;
}

const abi::Signature* ContractAbi::event(std::string_view name) const {
  for (const abi::Signature& candidate : events_) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

abi::RevertReason ContractAbi::decode_revert(ByteView data) const {
  return abi::decode_revert(data, errors_);
}

Error revert_error(ByteView revert_data, const ContractAbi* abi) {
  const abi::RevertReason reason =
      abi != nullptr ? abi->decode_revert(revert_data) : abi::decode_revert(revert_data);
  return Error{Errc::kReverted,
               reason.name.empty() ? reason.description : "reverted: " + reason.description};
}

}  // namespace medchain::chain
