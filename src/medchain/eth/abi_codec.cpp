// Encoding and decoding of ABI values: the head/tail layout of the Solidity ABI specification.
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/abi.hpp>

namespace medchain::eth::abi {
namespace {

constexpr std::size_t kWord = 32;

Error mismatch(const Type& type, std::string_view why) {
  return Error{Errc::kAbiValueMismatch, "value for " + type.canonical() + ": " + std::string(why)};
}

Error invalid(const Type& type, std::string_view why) {
  return Error{Errc::kAbiInvalidData,
               "cannot decode " + type.canonical() + ": " + std::string(why)};
}

std::size_t padded(std::size_t size) {
  return (size + kWord - 1) / kWord * kWord;
}

void append_word(Bytes& out, const U256& value) {
  const auto word = to_word(value);
  out.insert(out.end(), word.begin(), word.end());
}

// The range an intN word may hold, as 256-bit two's complement: sign-extended from bit N-1.
bool fits_int(const U256& word, unsigned bits) {
  if (bits == 256) return true;
  const U256 limit = U256(1) << (bits - 1);
  return word < limit || word >= negate(limit);
}

bool fits_uint(const U256& word, unsigned bits) {
  return bits == 256 || word < (U256(1) << bits);
}

Status encode_sequence(const Type& element, const Value::Items& items, Bytes& out);
Status encode_tuple(const std::vector<Type>& types, const Value::Items& values, Bytes& out);

Status encode_single(const Type& type, const Value& value, Bytes& out) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kUint:
    case Kind::kInt: {
      const U256* word = std::get_if<U256>(&value.data);
      if (word == nullptr) return mismatch(type, "expected an integer");
      if (type.kind == Kind::kUint ? !fits_uint(*word, type.bits) : !fits_int(*word, type.bits)) {
        return mismatch(type, "out of range");
      }
      append_word(out, *word);
      return {};
    }
    case Kind::kAddress: {
      const Address* address = std::get_if<Address>(&value.data);
      if (address == nullptr) return mismatch(type, "expected an address");
      out.insert(out.end(), 12, 0);
      out.insert(out.end(), address->bytes.begin(), address->bytes.end());
      return {};
    }
    case Kind::kBool: {
      const bool* flag = std::get_if<bool>(&value.data);
      if (flag == nullptr) return mismatch(type, "expected a boolean");
      append_word(out, *flag ? 1 : 0);
      return {};
    }
    case Kind::kFixedBytes: {
      const Bytes* bytes = std::get_if<Bytes>(&value.data);
      if (bytes == nullptr || bytes->size() != type.bits) {
        return mismatch(type, "expected exactly " + std::to_string(type.bits) + " bytes");
      }
      out.insert(out.end(), bytes->begin(), bytes->end());
      out.insert(out.end(), kWord - bytes->size(), 0);
      return {};
    }
    case Kind::kBytes:
    case Kind::kString: {
      ByteView content;
      if (const Bytes* bytes = std::get_if<Bytes>(&value.data);
          bytes && type.kind == Kind::kBytes) {
        content = *bytes;
      } else if (const std::string* text = std::get_if<std::string>(&value.data);
                 text && type.kind == Kind::kString) {
        content = as_bytes(*text);
      } else {
        return mismatch(type, type.kind == Kind::kBytes ? "expected bytes" : "expected a string");
      }
      append_word(out, content.size());
      out.insert(out.end(), content.begin(), content.end());
      out.insert(out.end(), padded(content.size()) - content.size(), 0);
      return {};
    }
    case Kind::kArray:
    case Kind::kFixedArray: {
      const Value::Items* items = std::get_if<Value::Items>(&value.data);
      if (items == nullptr) return mismatch(type, "expected an array");
      if (type.kind == Kind::kFixedArray && items->size() != type.length) {
        return mismatch(type, "expected " + std::to_string(type.length) + " elements");
      }
      if (type.kind == Kind::kArray) append_word(out, items->size());
      return encode_sequence(type.components[0], *items, out);
    }
    case Kind::kTuple: {
      const Value::Items* items = std::get_if<Value::Items>(&value.data);
      if (items == nullptr) return mismatch(type, "expected a tuple");
      return encode_tuple(type.components, *items, out);
    }
  }
  return mismatch(type, "unknown type");
}

// Heads first (static values, or offsets of dynamic ones), then the tails.
template <class TypeAt>
Status encode_heads_and_tails(std::size_t count, TypeAt type_at, const Value::Items& values,
                              Bytes& out) {
  std::size_t head_size = 0;
  for (std::size_t i = 0; i < count; ++i) head_size += type_at(i).head_size();
  const std::size_t start = out.size();
  out.reserve(start + head_size);
  Bytes tail;
  for (std::size_t i = 0; i < count; ++i) {
    const Type& type = type_at(i);
    if (type.is_dynamic()) {
      append_word(out, head_size + tail.size());
      MEDCHAIN_TRY_STATUS(encode_single(type, values[i], tail));
    } else {
      MEDCHAIN_TRY_STATUS(encode_single(type, values[i], out));
    }
  }
  out.insert(out.end(), tail.begin(), tail.end());
  return {};
}

Status encode_sequence(const Type& element, const Value::Items& items, Bytes& out) {
  return encode_heads_and_tails(
      items.size(), [&](std::size_t) -> const Type& { return element; }, items, out);
}

Status encode_tuple(const std::vector<Type>& types, const Value::Items& values, Bytes& out) {
  if (types.size() != values.size()) {
    return Error{Errc::kAbiValueMismatch, "expected " + std::to_string(types.size()) +
                                              " values, got " + std::to_string(values.size())};
  }
  return encode_heads_and_tails(
      types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, values, out);
}

// Decoding. `region` always starts where the enclosing tuple's encoding starts, since offsets
// are relative to it. `budget` bounds the total work, so offsets that point many values at the
// same bytes cannot inflate a small input into a huge result.
class Decoder {
 public:
  explicit Decoder(std::size_t input_size) : budget_(64 * (input_size / kWord) + 65536) {}

  Result<Value> single(const Type& type, ByteView at) {
    if (budget_ == 0) return invalid(type, "input expands beyond the decoding budget");
    --budget_;
    using Kind = Type::Kind;
    // A tuple or fixed array is encoded like a tuple, in place if static, behind an offset if not.
    if (type.kind == Kind::kTuple) return tuple(type.components, at);
    if (type.kind == Kind::kFixedArray) return sequence(type.components[0], type.length, at);
    if (at.size() < kWord) return invalid(type, "input ends inside a word");
    const ByteView word = at.first(kWord);
    switch (type.kind) {
      case Kind::kUint: {
        const U256 value = from_be(word);
        if (!fits_uint(value, type.bits)) return invalid(type, "value has dirty high bits");
        return Value(value);
      }
      case Kind::kInt: {
        const U256 value = from_be(word);
        if (!fits_int(value, type.bits)) return invalid(type, "value is not sign-extended");
        return Value(value);
      }
      case Kind::kAddress: {
        if (!std::all_of(word.begin(), word.begin() + 12, [](std::uint8_t b) { return b == 0; })) {
          return invalid(type, "address has dirty high bits");
        }
        return Value(*Address::from_view(word.subspan(12)));
      }
      case Kind::kBool: {
        const U256 value = from_be(word);
        if (value > 1) return invalid(type, "a bool is 0 or 1");
        return Value(value == 1);
      }
      case Kind::kFixedBytes: {
        if (!std::all_of(word.begin() + type.bits, word.end(),
                         [](std::uint8_t b) { return b == 0; })) {
          return invalid(type, "padding is not zero");
        }
        return Value(Bytes(word.begin(), word.begin() + type.bits));
      }
      case Kind::kBytes:
      case Kind::kString: {
        MEDCHAIN_TRY(std::size_t length, length_word(type, word, at.size() - kWord, 1));
        const ByteView content = at.subspan(kWord, length);
        const std::size_t padding = std::min(padded(length), at.size() - kWord) - length;
        const ByteView pad = at.subspan(kWord + length, padding);
        if (!std::all_of(pad.begin(), pad.end(), [](std::uint8_t b) { return b == 0; })) {
          return invalid(type, "padding is not zero");
        }
        budget_ -= std::min(budget_, length / kWord);
        if (type.kind == Kind::kBytes) return Value(Bytes(content.begin(), content.end()));
        return Value(std::string(content.begin(), content.end()));
      }
      case Kind::kArray: {
        const Type& element = type.components[0];
        MEDCHAIN_TRY(std::size_t count,
                     length_word(type, word, at.size() - kWord, element.head_size()));
        return sequence(element, count, at.subspan(kWord));
      }
      default:
        return invalid(type, "unexpected type");
    }
  }

  Result<Value> tuple(const std::vector<Type>& types, ByteView region) {
    Value::Items items;
    items.reserve(types.size());
    std::size_t position = 0;
    for (const Type& type : types) {
      MEDCHAIN_TRY(Value value, member(type, region, position));
      items.push_back(std::move(value));
      position += type.head_size();
    }
    return Value(std::move(items));
  }

  Result<Value> sequence(const Type& element, std::size_t count, ByteView region) {
    Value::Items items;
    items.reserve(count);
    std::size_t position = 0;
    for (std::size_t i = 0; i < count; ++i) {
      MEDCHAIN_TRY(Value value, member(element, region, position));
      items.push_back(std::move(value));
      position += element.head_size();
    }
    return Value(std::move(items));
  }

 private:
  Result<Value> member(const Type& type, ByteView region, std::size_t position) {
    if (position > region.size() || region.size() - position < type.head_size()) {
      return invalid(type, "input ends inside the head");
    }
    if (!type.is_dynamic()) return single(type, region.subspan(position));
    MEDCHAIN_TRY(std::size_t offset,
                 length_word(type, region.subspan(position, kWord), region.size(), 1));
    if (offset % kWord != 0) return invalid(type, "offset is not a multiple of 32");
    return single(type, region.subspan(offset));
  }

  // Reads a length or offset word and checks that `value * unit` fits in `available` bytes.
  static Result<std::size_t> length_word(const Type& type, ByteView word, std::size_t available,
                                         std::size_t unit) {
    const U256 value = from_be(word);
    if (value > available || value * std::max<std::size_t>(unit, 1) > available) {
      return invalid(type, "length or offset points past the end of the input");
    }
    return static_cast<std::size_t>(value);
  }

  std::size_t budget_;
};

}  // namespace

U256 negate(const U256& word) {
  return ~word + 1;
}

bool is_negative(const U256& word) {
  return (word >> 255) != 0;
}

Result<Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values) {
  Bytes out;
  MEDCHAIN_TRY_STATUS(encode_tuple(types, values, out));
  return out;
}

Result<Bytes> encode_call(const Signature& signature, const std::vector<Value>& values) {
  const auto prefix = selector(signature);
  Bytes out(prefix.begin(), prefix.end());
  MEDCHAIN_TRY_STATUS(encode_tuple(signature.input_types(), values, out));
  return out;
}

Result<std::vector<Value>> decode(const std::vector<Type>& types, ByteView data) {
  Decoder decoder(data.size());
  MEDCHAIN_TRY(Value tuple, decoder.tuple(types, data));
  return std::get<Value::Items>(std::move(tuple.data));
}

Result<std::vector<Value>> decode_event(const Signature& event, const std::vector<Hash32>& topics,
                                        ByteView data) {
  std::vector<Type> data_types;
  std::size_t indexed = 0;
  for (const Param& param : event.inputs) {
    if (param.indexed) {
      ++indexed;
    } else {
      data_types.push_back(param.type);
    }
  }
  if (topics.size() != indexed + 1 || topics[0] != event_topic(event)) {
    return Error{Errc::kAbiInvalidData, "log does not match event " + event.canonical()};
  }
  MEDCHAIN_TRY(std::vector<Value> data_values, decode(data_types, data));
  std::vector<Value> values;
  std::size_t next_topic = 1;
  std::size_t next_data = 0;
  for (const Param& param : event.inputs) {
    if (!param.indexed) {
      values.push_back(std::move(data_values[next_data++]));
      continue;
    }
    const Hash32& topic = topics[next_topic++];
    if (param.type.is_dynamic() || param.type.kind == Type::Kind::kTuple ||
        param.type.kind == Type::Kind::kFixedArray) {
      values.emplace_back(
          Bytes(topic.bytes.begin(), topic.bytes.end()));  // only the hash is logged
    } else {
      MEDCHAIN_TRY(std::vector<Value> one, decode({param.type}, topic));
      values.push_back(std::move(one[0]));
    }
  }
  return values;
}

}  // namespace medchain::eth::abi
