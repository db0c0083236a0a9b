// util to-rlp | from-rlp: the `cast to-rlp` / `cast from-rlp` equivalents.
//
// to-rlp reads JSON made of arrays, hex strings (with or without 0x) and non-negative integers
// of any size up to 2^256 - 1, as cast does. from-rlp prints compact JSON. One difference:
// from-rlp refuses bytes after the first item, which cast silently ignores.
#include <iostream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/rlp.hpp>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace medchain::cli {
namespace {

namespace rlp = eth::rlp;

// Builds an rlp::Item from JSON through nlohmann's SAX interface, which hands over the text of
// numbers too large for 64 bits; a DOM parse would have rounded them to doubles.
class RlpJsonBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return fail("RLP input can not contain null"); }
  bool boolean(bool) override { return fail("RLP input can not contain booleans"); }
  bool number_integer(number_integer_t value) override {
    if (value < 0) return fail("RLP input can not contain negative numbers");
    return add(rlp::Item(to_compact_be(U256(value))));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return add(rlp::Item(to_compact_be(U256(value))));
  }
  bool number_float(number_float_t, const string_t& text) override {
    auto value = parse_u256(text);
    if (!value) return fail("RLP input numbers must be non-negative integers below 2^256: " + text);
    return add(rlp::Item(to_compact_be(*value)));
  }
  bool string(string_t& text) override {
    auto bytes = from_hex(text);
    if (!bytes) return fail("Could not decode hex: " + text);
    return add(rlp::Item(std::move(*bytes)));
  }
  bool binary(binary_t&) override { return fail("RLP input can not contain binary values"); }
  bool start_object(std::size_t) override { return fail("RLP input can not contain objects"); }
  bool key(string_t&) override { return fail("RLP input can not contain objects"); }
  bool end_object() override { return fail("RLP input can not contain objects"); }
  bool start_array(std::size_t) override {
    if (open_.size() >= rlp::kMaxDepth) return fail("RLP input nests too deeply");
    open_.emplace_back();
    return true;
  }
  bool end_array() override {
    std::vector<rlp::Item> items = std::move(open_.back());
    open_.pop_back();
    return add(rlp::Item(std::move(items)));
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    return fail(std::string("invalid JSON: ") + e.what());
  }

  Result<rlp::Item> result() {
    if (!error_.empty()) return Error{Errc::kInvalidJson, error_};
    if (!root_) return Error{Errc::kInvalidJson, "empty RLP input"};
    return std::move(*root_);
  }

 private:
  bool add(rlp::Item item) {
    if (open_.empty()) {
      root_ = std::move(item);
    } else {
      open_.back().push_back(std::move(item));
    }
    return true;
  }
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  std::vector<std::vector<rlp::Item>> open_;
  std::optional<rlp::Item> root_;
  std::string error_;
};

nlohmann::json to_json(const rlp::Item& item) {
  if (!item.is_list()) return to_hex(item.bytes());
  nlohmann::json array = nlohmann::json::array();
  for (const rlp::Item& child : item.list()) array.push_back(to_json(child));
  return array;
}

void add_to_rlp(CLI::App& util) {
  auto* cmd = util.add_subcommand("to-rlp", "RLP-encode JSON of arrays, hex strings and integers");
  auto value = std::make_shared<std::string>();
  cmd->add_option("value", *value, "e.g. '[\"0x01\",[\"0x0203\"],5]'")->required();
  on_run(cmd, [value]() -> Status {
    RlpJsonBuilder builder;
    nlohmann::json::sax_parse(*value, &builder);
    MEDCHAIN_TRY(rlp::Item item, builder.result());
    std::cout << to_hex(rlp::encode(item)) << "\n";
    return {};
  });
}

void add_from_rlp(CLI::App& util) {
  auto* cmd = util.add_subcommand("from-rlp", "Decode RLP to JSON");
  auto value = std::make_shared<std::string>();
  cmd->add_option("value", *value, "The RLP bytes (hex)")->required();
  on_run(cmd, [value]() -> Status {
    MEDCHAIN_TRY(Bytes bytes, from_hex(*value));
    MEDCHAIN_TRY(rlp::Item item, rlp::decode(bytes));
    std::cout << to_json(item).dump() << "\n";
    return {};
  });
}

void add_rlp_commands(CLI::App& util) {
  add_to_rlp(util);
  add_from_rlp(util);
}

const bool kRegistered = register_util_group(&add_rlp_commands);

}  // namespace
}  // namespace medchain::cli
