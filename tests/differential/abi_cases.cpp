// Differential cases for abi-encode, abi-decode, calldata, sig and sig-event: random types,
// nested up to three levels, with random values written in cast's argument language.
#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>
#include <medchain/eth/address.hpp>

#include "differential/differential.hpp"

namespace medchain::differential {
namespace {

namespace abi = eth::abi;
using abi::Type;
using abi::Value;

Type random_type(std::mt19937_64& rng, int depth) {
  const unsigned choice = static_cast<unsigned>(rng() % (depth >= 3 ? 7 : 10));
  switch (choice) {
    case 0:
      return Type::uint(8 * static_cast<unsigned>(1 + rng() % 32));
    case 1:
      return Type::int_(8 * static_cast<unsigned>(1 + rng() % 32));
    case 2:
      return Type::address();
    case 3:
      return Type::boolean();
    case 4:
      return Type::fixed_bytes(static_cast<unsigned>(1 + rng() % 32));
    case 5:
      return Type::bytes();
    case 6:
      return Type::string();
    case 7:
      return Type::array(random_type(rng, depth + 1));
    case 8:
      return Type::fixed_array(random_type(rng, depth + 1), 1 + rng() % 3);
    default: {
      std::vector<Type> members(1 + rng() % 3);
      for (Type& member : members) member = random_type(rng, depth + 1);
      return Type::tuple(std::move(members));
    }
  }
}

std::string word_text(std::mt19937_64& rng, std::size_t max_size) {
  static constexpr char kChars[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  std::string out;
  const std::size_t size = random_size(rng, max_size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(kChars[rng() % (sizeof kChars - 1)]);
  return out;
}

// A random value of `type` and its text. Strings inside arrays and tuples avoid the characters
// that delimit elements.
Value random_value(std::mt19937_64& rng, const Type& type, bool top_level, std::string& text) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kUint: {
      const U256 value = random_u256(rng, type.bits);
      text += rng() % 2 ? to_decimal(value) : to_hex_quantity(value);
      return Value(value);
    }
    case Kind::kInt: {
      const U256 magnitude = random_u256(rng, type.bits - 1);
      const bool negative = rng() % 2 && magnitude != 0;
      text += (negative ? "-" : "") + to_decimal(magnitude);
      return Value(negative ? abi::negate(magnitude) : magnitude);
    }
    case Kind::kAddress: {
      const Address address = from_hex_fixed<Address>(random_hex_bytes(rng, 20)).value();
      text += rng() % 2 ? to_hex(address) : eth::to_checksum(address);
      return Value(address);
    }
    case Kind::kBool: {
      const bool flag = rng() % 2;
      text += flag ? "true" : "false";
      return Value(flag);
    }
    case Kind::kFixedBytes:
    case Kind::kBytes: {
      const std::string hex =
          random_hex_bytes(rng, type.kind == Kind::kBytes ? random_size(rng, 80) : type.bits);
      text += hex;
      return Value(from_hex(hex).value());
    }
    case Kind::kString: {
      std::string value;
      if (top_level) {
        // cast reads a leading quote as the start of a quoted string and drops trailing
        // whitespace; both programs see the same text.
        text += random_text(rng, random_size(rng, 70));
        if (!text.empty() && (text[0] == '"' || text[0] == '\'')) text[0] = '_';
        value = text;
        while (!value.empty() && value.back() == ' ') value.pop_back();
      } else if (rng() % 2) {
        value = word_text(rng, 20);
        text += "\"" + value + "\"";
      } else {
        value = "w" + word_text(rng, 20);  // bare, so never empty
        text += value;
      }
      return Value(value);
    }
    case Kind::kArray:
    case Kind::kFixedArray:
    case Kind::kTuple: {
      const bool is_tuple = type.kind == Kind::kTuple;
      const std::size_t count = is_tuple                         ? type.components.size()
                                : type.kind == Kind::kFixedArray ? type.length
                                                                 : random_size(rng, 3);
      text += is_tuple ? "(" : "[";
      Value::Items items;
      for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) text += rng() % 2 ? "," : ", ";
        items.push_back(
            random_value(rng, is_tuple ? type.components[i] : type.components[0], false, text));
      }
      text += is_tuple ? ")" : "]";
      return Value(std::move(items));
    }
  }
  return Value();
}

struct RandomCall {
  std::vector<Type> types;
  std::vector<Value> values;
  std::vector<std::string> texts;
  std::string type_list;  // "uint8,(bool,string)[]"
};

RandomCall random_call(std::mt19937_64& rng) {
  RandomCall call;
  const std::size_t count = 1 + random_size(rng, 4);
  for (std::size_t i = 0; i < count; ++i) {
    call.types.push_back(random_type(rng, 0));
    std::string text;
    call.values.push_back(random_value(rng, call.types.back(), true, text));
    call.texts.push_back(text);
    call.type_list += (i ? "," : "") + call.types.back().canonical();
  }
  return call;
}

Case with_args(std::vector<std::string> ours, std::vector<std::string> theirs,
               const RandomCall& call) {
  ours.insert(ours.end(), call.texts.begin(), call.texts.end());
  theirs.insert(theirs.end(), call.texts.begin(), call.texts.end());
  return Case{ours, theirs};
}

const bool kAbiEncode = register_primitive("abi-encode", [](std::mt19937_64& rng) {
  const RandomCall call = random_call(rng);
  const std::string signature = "f(" + call.type_list + ")";
  return with_args({"util", "abi-encode", signature}, {"abi-encode", signature}, call);
});

const bool kCalldata = register_primitive("calldata", [](std::mt19937_64& rng) {
  const RandomCall call = random_call(rng);
  const std::string signature = "fn_" + word_text(rng, 8) + "(" + call.type_list + ")";
  return with_args({"util", "calldata", signature}, {"calldata", signature}, call);
});

const bool kAbiDecode = register_primitive("abi-decode", [](std::mt19937_64& rng) {
  const RandomCall call = random_call(rng);
  const std::string data = to_hex(abi::encode(call.types, call.values).value());
  const std::string signature = "f()(" + call.type_list + ")";
  return Case{{"util", "abi-decode", signature, data}, {"abi-decode", signature, data}};
});

// The same signature in the forms people write: canonical, or with keywords, names and spaces.
std::string signature_text(std::mt19937_64& rng, const std::string& keyword,
                           const std::vector<Type>& types, bool events) {
  const bool decorated = rng() % 2;
  std::string out = decorated ? keyword + " " : "";
  out += "N" + word_text(rng, 10) + "(";
  for (std::size_t i = 0; i < types.size(); ++i) {
    out += (i ? (decorated ? ", " : ",") : "") + types[i].canonical();
    if (events && rng() % 2) out += " indexed";
    if (decorated) out += " p" + std::to_string(i);
  }
  return out + ")";
}

std::vector<Type> random_types(std::mt19937_64& rng) {
  std::vector<Type> types(random_size(rng, 4));
  for (Type& type : types) type = random_type(rng, 0);
  return types;
}

const bool kSig = register_primitive("sig", [](std::mt19937_64& rng) {
  const std::string text = signature_text(rng, "function", random_types(rng), false);
  return Case{{"util", "sig", text}, {"sig", text}};
});

const bool kSigEvent = register_primitive("sig-event", [](std::mt19937_64& rng) {
  const std::string text = signature_text(rng, "event", random_types(rng), true);
  return Case{{"util", "sig-event", text}, {"sig-event", text}};
});

}  // namespace
}  // namespace medchain::differential
