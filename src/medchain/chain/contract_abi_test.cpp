#include <gtest/gtest.h>

#include <medchain/chain/contract_abi.hpp>
#include <medchain/chain/intents.hpp>
#include <medchain/core/hex.hpp>

namespace medchain::chain {
namespace {

using nlohmann::json;
namespace abi = eth::abi;

// A forge artifact in miniature: a function taking a struct, an overloaded function, an event
// and a custom error.
const json kArtifact = json::parse(R"({
  "abi": [
    {"type": "function", "name": "grantBySig", "stateMutability": "nonpayable", "outputs": [],
     "inputs": [
       {"name": "m", "type": "tuple", "internalType": "struct IntentTypes.Grant",
        "components": [{"name": "doctor", "type": "address", "internalType": "address"},
                       {"name": "scope", "type": "uint16", "internalType": "uint16"},
                       {"name": "nonce", "type": "uint256", "internalType": "uint256"},
                       {"name": "deadline", "type": "uint256", "internalType": "uint256"}]},
       {"name": "signature", "type": "bytes", "internalType": "bytes"}]},
    {"type": "function", "name": "scopeOf", "stateMutability": "view",
     "inputs": [{"name": "doctor", "type": "address"}],
     "outputs": [{"name": "", "type": "uint16"}]},
    {"type": "function", "name": "twice", "inputs": [], "outputs": []},
    {"type": "function", "name": "twice", "inputs": [{"name": "x", "type": "uint8"}], "outputs": []},
    {"type": "event", "name": "Granted", "anonymous": false,
     "inputs": [{"name": "doctor", "type": "address", "indexed": true},
                {"name": "scope", "type": "uint16", "indexed": false}]},
    {"type": "error", "name": "NotAllowed", "inputs": [{"name": "who", "type": "address"}]},
    {"type": "constructor", "inputs": []}
  ],
  "bytecode": {"object": "0x6080"}
})");

const Address kDoctor =
    from_hex_fixed<Address>("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();

ContractAbi load() {
  return ContractAbi::from_json(kArtifact).value();
}

TEST(ContractAbi, ReadsFunctionsEventsErrorsAndBytecode) {
  const ContractAbi contract = load();
  EXPECT_EQ(contract.bytecode(), (Bytes{0x60, 0x80}));
  EXPECT_EQ(contract.function("grantBySig").value()->canonical(),
            "grantBySig((address,uint16,uint256,uint256),bytes)");
  EXPECT_EQ(contract.function("nothing").error().code, Errc::kNotFound);
  EXPECT_EQ(contract.function("twice").error().code, Errc::kInvalidArgument);
  ASSERT_NE(contract.event("Granted"), nullptr);
  EXPECT_EQ(contract.event("Missing"), nullptr);
}

TEST(ContractAbi, DescribesStructInputsByTheirSolidityNames) {
  const StructDescription grant = load().input_struct("grantBySig", 0).value();
  EXPECT_EQ(grant.name, "Grant");
  ASSERT_EQ(grant.fields.size(), 4u);
  EXPECT_EQ(grant.fields[1], (std::pair<std::string, std::string>{"scope", "uint16"}));
  EXPECT_EQ(load().input_struct("grantBySig", 1).error().code, Errc::kInvalidArgument);
}

TEST(ContractAbi, EncodesCallsAndDecodesOutputs) {
  const ContractAbi contract = load();
  const Bytes call = contract.encode_call("scopeOf", {kDoctor}).value();
  const auto expected_selector = abi::selector(abi::parse_signature("scopeOf(address)").value());
  EXPECT_TRUE(std::equal(expected_selector.begin(), expected_selector.end(), call.begin()));
  Bytes output(32, 0);
  output[31] = 6;
  EXPECT_EQ(contract.decode_output("scopeOf", output).value()[0].word(), 6u);
  EXPECT_EQ(contract.encode_call("scopeOf", {}).error().code, Errc::kAbiValueMismatch);
}

TEST(ContractAbi, DecodesLogsAndCustomErrors) {
  const ContractAbi contract = load();
  Log log;
  log.topics.push_back(abi::event_topic(*contract.event("Granted")));
  Hash32 doctor_topic;
  std::copy(kDoctor.bytes.begin(), kDoctor.bytes.end(), doctor_topic.bytes.begin() + 12);
  log.topics.push_back(doctor_topic);
  log.data = Bytes(32, 0);
  log.data[31] = 2;
  const DecodedLog decoded = contract.decode_log(log).value();
  EXPECT_EQ(decoded.event, "Granted");
  EXPECT_EQ(decoded.names, (std::vector<std::string>{"doctor", "scope"}));
  EXPECT_EQ(decoded.values[0].address(), kDoctor);
  EXPECT_EQ(decoded.values[1].word(), 2u);
  log.topics[0] = Hash32{};
  EXPECT_EQ(contract.decode_log(log).error().code, Errc::kNotFound);

  const auto error_selector = abi::selector(abi::parse_signature("NotAllowed(address)").value());
  Bytes revert(error_selector.begin(), error_selector.end());
  revert.resize(4 + 12);
  revert.insert(revert.end(), kDoctor.bytes.begin(), kDoctor.bytes.end());
  const Error error = revert_error(revert, &contract);
  EXPECT_EQ(error.code, Errc::kReverted);
  EXPECT_EQ(error.message, "reverted: NotAllowed(" + to_hex(kDoctor) + ")");
}

TEST(ContractAbi, RefusesMalformedArtifacts) {
  EXPECT_EQ(ContractAbi::from_json(json::object()).error().code, Errc::kInvalidJson);
  EXPECT_EQ(ContractAbi::from_json(json::parse(R"({"abi": [{"type": "function", "name": "f",
      "inputs": [{"name": "x"}]}]})"))
                .error()
                .code,
            Errc::kInvalidJson);
  EXPECT_EQ(ContractAbi::from_artifact("/nonexistent/Medchain.json").error().code, Errc::kNotFound);
}

TEST(Intents, SignedIntentRecoversToTheSignerAndEncodesTheCall) {
  const ContractAbi contract = load();
  const IntentDomain domain{31337, kDoctor};
  const crypto::PrivateKey key = crypto::generate_private_key();
  const json message{{"doctor", to_hex(kDoctor)}, {"scope", 6}, {"nonce", "0"}, {"deadline", 99}};
  const SignedIntent intent = sign_intent(contract, domain, "grantBySig", message, key).value();
  EXPECT_EQ(intent.signer, crypto::address_of(key));
  const auto typed = intent_typed_data(contract, domain, "grantBySig", message).value();
  EXPECT_EQ(typed.primary_type, "Grant");
  EXPECT_EQ(eth::eip712::signing_hash(typed).value(), intent.digest);
  const auto args = abi::decode(contract.function("grantBySig").value()->input_types(),
                                ByteView(intent.calldata).subspan(4))
                        .value();
  EXPECT_EQ(args[0].items()[1].word(), 6u);
  EXPECT_EQ(args[1].bytes().size(), 65u);
  // Another chain id is another digest.
  const SignedIntent elsewhere =
      sign_intent(contract, IntentDomain{1, kDoctor}, "grantBySig", message, key).value();
  EXPECT_NE(elsewhere.digest, intent.digest);
}

TEST(Intents, RefusesMessagesThatDoNotMatchTheStruct) {
  const ContractAbi contract = load();
  const IntentDomain domain{31337, kDoctor};
  const crypto::PrivateKey key = crypto::generate_private_key();
  const json good{{"doctor", to_hex(kDoctor)}, {"scope", 6}, {"nonce", "0"}, {"deadline", 99}};
  json missing = good;
  missing.erase("scope");
  EXPECT_EQ(sign_intent(contract, domain, "grantBySig", missing, key).error().code,
            Errc::kInvalidArgument);
  json too_big = good;
  too_big["scope"] = 70'000;  // uint16
  EXPECT_EQ(sign_intent(contract, domain, "grantBySig", too_big, key).error().code,
            Errc::kInvalidArgument);
  json negative = good;
  negative["deadline"] = -1;
  EXPECT_EQ(sign_intent(contract, domain, "grantBySig", negative, key).error().code,
            Errc::kInvalidArgument);
  json bad_address = good;
  bad_address["doctor"] = "0x1234";
  EXPECT_EQ(sign_intent(contract, domain, "grantBySig", bad_address, key).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(sign_intent(contract, domain, "scopeOf", good, key).error().code,
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace medchain::chain
