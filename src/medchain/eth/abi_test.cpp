#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/abi.hpp>

namespace medchain::eth::abi {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}
Value b(std::string_view text) {
  return Value(Bytes(text.begin(), text.end()));
}
Value items(std::vector<Value> values) {
  return Value(Value::Items(std::move(values)));
}

// Joins the 32-byte words of the specification's listings.
std::string words(std::initializer_list<std::string_view> parts) {
  std::string out = "0x";
  for (std::string_view part : parts) out += part;
  return out;
}

std::string call(std::string_view signature, std::vector<Value> values) {
  return to_hex(encode_call(parse_signature(signature).value(), values).value());
}

// The examples of the Solidity ABI specification ("Examples", "Use of Dynamic Types").
TEST(Abi, EncodesTheSpecificationExamples) {
  EXPECT_EQ(call("baz(uint32,bool)", {U256(69), true}),
            words({"cdcd77c0", "0000000000000000000000000000000000000000000000000000000000000045",
                   "0000000000000000000000000000000000000000000000000000000000000001"}));
  EXPECT_EQ(call("bar(bytes3[2])", {items({b("abc"), b("def")})}),
            words({"fce353f6", "6162630000000000000000000000000000000000000000000000000000000000",
                   "6465660000000000000000000000000000000000000000000000000000000000"}));
  EXPECT_EQ(
      call("sam(bytes,bool,uint256[])", {b("dave"), true, items({U256(1), U256(2), U256(3)})}),
      words({"a5643bf2", "0000000000000000000000000000000000000000000000000000000000000060",
             "0000000000000000000000000000000000000000000000000000000000000001",
             "00000000000000000000000000000000000000000000000000000000000000a0",
             "0000000000000000000000000000000000000000000000000000000000000004",
             "6461766500000000000000000000000000000000000000000000000000000000",
             "0000000000000000000000000000000000000000000000000000000000000003",
             "0000000000000000000000000000000000000000000000000000000000000001",
             "0000000000000000000000000000000000000000000000000000000000000002",
             "0000000000000000000000000000000000000000000000000000000000000003"}));
  EXPECT_EQ(
      call("f(uint256,uint32[],bytes10,bytes)",
           {U256(0x123), items({U256(0x456), U256(0x789)}), b("1234567890"), b("Hello, world!")}),
      words({"8be65246", "0000000000000000000000000000000000000000000000000000000000000123",
             "0000000000000000000000000000000000000000000000000000000000000080",
             "3132333435363738393000000000000000000000000000000000000000000000",
             "00000000000000000000000000000000000000000000000000000000000000e0",
             "0000000000000000000000000000000000000000000000000000000000000002",
             "0000000000000000000000000000000000000000000000000000000000000456",
             "0000000000000000000000000000000000000000000000000000000000000789",
             "000000000000000000000000000000000000000000000000000000000000000d",
             "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"}));
  EXPECT_EQ(call("g(uint256[][],string[])",
                 {items({items({U256(1), U256(2)}), items({U256(3)})}),
                  items({std::string("one"), std::string("two"), std::string("three")})}),
            words({"2289b18c",
                   "0000000000000000000000000000000000000000000000000000000000000040",
                   "0000000000000000000000000000000000000000000000000000000000000140",
                   "0000000000000000000000000000000000000000000000000000000000000002",
                   "0000000000000000000000000000000000000000000000000000000000000040",
                   "00000000000000000000000000000000000000000000000000000000000000a0",
                   "0000000000000000000000000000000000000000000000000000000000000002",
                   "0000000000000000000000000000000000000000000000000000000000000001",
                   "0000000000000000000000000000000000000000000000000000000000000002",
                   "0000000000000000000000000000000000000000000000000000000000000001",
                   "0000000000000000000000000000000000000000000000000000000000000003",
                   "0000000000000000000000000000000000000000000000000000000000000003",
                   "0000000000000000000000000000000000000000000000000000000000000060",
                   "00000000000000000000000000000000000000000000000000000000000000a0",
                   "00000000000000000000000000000000000000000000000000000000000000e0",
                   "0000000000000000000000000000000000000000000000000000000000000003",
                   "6f6e650000000000000000000000000000000000000000000000000000000000",
                   "0000000000000000000000000000000000000000000000000000000000000003",
                   "74776f0000000000000000000000000000000000000000000000000000000000",
                   "0000000000000000000000000000000000000000000000000000000000000005",
                   "7468726565000000000000000000000000000000000000000000000000000000"}));
}

TEST(Abi, ParsesSignaturesInEveryCommonForm) {
  const std::string canonical = "transfer(address,uint256)";
  for (std::string_view text :
       {"transfer(address,uint256)", "function transfer(address to, uint256 amount)",
        "transfer(address to,uint amount) external returns (bool)",
        " transfer ( address , uint256 ) "}) {
    auto signature = parse_signature(text);
    ASSERT_TRUE(signature.ok()) << text << ": " << signature.error().message;
    EXPECT_EQ(signature->canonical(), canonical);
  }
  EXPECT_EQ(to_hex(selector(parse_signature(canonical).value())), "0xa9059cbb");
  auto event =
      parse_signature("event Transfer(address indexed from, address indexed to, uint256 value)")
          .value();
  EXPECT_EQ(event.kind, Signature::Kind::kEvent);
  EXPECT_TRUE(event.inputs[0].indexed);
  EXPECT_EQ(to_hex(event_topic(event)),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  auto with_outputs = parse_signature("balanceOf(address)(uint256)").value();
  EXPECT_EQ(with_outputs.outputs.size(), 1u);
  EXPECT_EQ(parse_type("(uint8,(bool,bytes32)[])[2]").value().canonical(),
            "(uint8,(bool,bytes32)[])[2]");
  EXPECT_EQ(parse_type("uint").value().canonical(), "uint256");
}

TEST(Abi, RejectsBadTypesAndSignatures) {
  for (std::string_view bad :
       {"uint7", "uint264", "int0", "bytes33", "bytes0", "uint256[0]", "uint256[", "foo",
        "(uint256", "uint256[]]", "uint08", "string[99999999]", "uint256[65536][65536]"}) {
    auto type = parse_type(bad);
    ASSERT_FALSE(type.ok()) << bad;
    EXPECT_EQ(type.error().code, Errc::kAbiInvalidType) << bad;
  }
  std::string deep(100, '(');
  EXPECT_FALSE(parse_type(deep + "uint256" + std::string(100, ')')).ok());
  for (std::string_view bad :
       {"", "(uint256)", "f(uint256", "f(uint256 indexed)", "1f()", "f() junk"}) {
    EXPECT_FALSE(parse_signature(bad).ok()) << bad;
  }
}

TEST(Abi, RoundTripsNestedDynamicValues) {
  const std::vector<Type> types{
      parse_type("(uint8,int16,(string,bytes)[],address,bool,bytes32)[2]").value(),
      parse_type("int256").value()};
  const Value inner = items({std::string("medchain"), Value(Bytes(70, 0xab))});
  const Value element = items({U256(255), negate(U256(300)), items({inner, inner}), Address{},
                               false, Value(Bytes(32, 0x11))});
  const std::vector<Value> values{items({element, element}), negate(U256(1))};
  const Bytes encoded = encode(types, values).value();
  auto decoded = decode(types, encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, values);
}

TEST(Abi, RejectsValuesThatDoNotFitTheirTypes) {
  EXPECT_EQ(encode({Type::uint(8)}, {U256(256)}).error().code, Errc::kAbiValueMismatch);
  EXPECT_EQ(encode({Type::int_(8)}, {U256(128)}).error().code, Errc::kAbiValueMismatch);
  EXPECT_TRUE(encode({Type::int_(8)}, {negate(U256(128))}).ok());
  EXPECT_EQ(encode({Type::fixed_bytes(4)}, {Value(Bytes(3, 0))}).error().code,
            Errc::kAbiValueMismatch);
  EXPECT_EQ(encode({Type::boolean()}, {U256(1)}).error().code, Errc::kAbiValueMismatch);
  EXPECT_EQ(encode({Type::uint()}, {}).error().code, Errc::kAbiValueMismatch);
  EXPECT_EQ(encode({Type::fixed_array(Type::uint(), 2)}, {items({U256(1)})}).error().code,
            Errc::kAbiValueMismatch);
}

TEST(Abi, DecodingRejectsMalformedAndHostileInput) {
  auto decode_error = [](std::string_view type, const Bytes& data) {
    auto decoded = decode({parse_type(type).value()}, data);
    return decoded.ok() ? Errc{} : decoded.error().code;
  };
  Bytes dirty(32, 0);
  dirty[0] = 1;
  EXPECT_EQ(decode_error("uint8", dirty), Errc::kAbiInvalidData);
  EXPECT_EQ(decode_error("address", dirty), Errc::kAbiInvalidData);
  EXPECT_EQ(decode_error("bool", hex("0x" + std::string(63, '0') + "2")), Errc::kAbiInvalidData);
  EXPECT_EQ(decode_error("int8", hex("0x" + std::string(62, '0') + "80")), Errc::kAbiInvalidData);
  EXPECT_EQ(decode_error("uint256", Bytes(31, 0)), Errc::kAbiInvalidData);
  // An offset far past the end, and an array claiming 2^255 elements.
  EXPECT_EQ(decode_error("bytes", hex("0x" + std::string(56, '0') + "ffffffff")),
            Errc::kAbiInvalidData);
  Bytes huge_array = hex("0x" + std::string(62, '0') + "20");
  huge_array.push_back(0x80);
  huge_array.insert(huge_array.end(), 31, 0);
  EXPECT_EQ(decode_error("uint256[]", huge_array), Errc::kAbiInvalidData);
  // Non-zero padding after a string.
  Bytes padded = encode({Type::string()}, {std::string("abc")}).value();
  padded.back() = 1;
  EXPECT_EQ(decode_error("string", padded), Errc::kAbiInvalidData);
}

TEST(Abi, DecodesEventLogs) {
  const Signature event = parse_signature(
                              "event AccessGranted(address indexed patient, address indexed "
                              "doctor, uint16 scope, string note)")
                              .value();
  const Address patient =
      from_hex_fixed<Address>("0x1111111111111111111111111111111111111111").value();
  const Address doctor =
      from_hex_fixed<Address>("0x2222222222222222222222222222222222222222").value();
  Hash32 patient_topic;
  std::copy(patient.bytes.begin(), patient.bytes.end(), patient_topic.bytes.begin() + 12);
  Hash32 doctor_topic;
  std::copy(doctor.bytes.begin(), doctor.bytes.end(), doctor_topic.bytes.begin() + 12);
  const Bytes data =
      encode({Type::uint(16), Type::string()}, {U256(5), std::string("lab")}).value();
  auto values = decode_event(event, {event_topic(event), patient_topic, doctor_topic}, data);
  ASSERT_TRUE(values.ok()) << values.error().message;
  EXPECT_EQ((*values)[0].address(), patient);
  EXPECT_EQ((*values)[1].address(), doctor);
  EXPECT_EQ((*values)[2].word(), U256(5));
  EXPECT_EQ((*values)[3].text(), "lab");
  EXPECT_FALSE(decode_event(event, {event_topic(event), patient_topic}, data).ok());
  EXPECT_FALSE(decode_event(event, {Hash32{}, patient_topic, doctor_topic}, data).ok());
}

TEST(Abi, DecodesRevertReasons) {
  const Bytes error_string =
      encode_call(parse_signature("Error(string)").value(), {std::string("not allowed")}).value();
  EXPECT_EQ(decode_revert(error_string).description, "not allowed");
  const Bytes panic = encode_call(parse_signature("Panic(uint256)").value(), {U256(0x11)}).value();
  EXPECT_EQ(decode_revert(panic).description, "panic 0x11: arithmetic overflow or underflow");
  const Signature custom =
      parse_signature("error NotAuthorized(address caller, uint8 role)").value();
  const Bytes custom_data = encode_call(custom, {Address{}, U256(2)}).value();
  const RevertReason reason = decode_revert(custom_data, {custom});
  EXPECT_EQ(reason.name, "NotAuthorized");
  EXPECT_EQ(reason.description, "NotAuthorized(0x0000000000000000000000000000000000000000, 2)");
  EXPECT_EQ(decode_revert(custom_data).name, "");
  EXPECT_EQ(decode_revert({}).description, "reverted without a reason");
}

}  // namespace
}  // namespace medchain::eth::abi
