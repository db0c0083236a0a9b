#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/eip712.hpp>
#include <sstream>

namespace medchain::eth::eip712 {
namespace {

using nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

const std::string kMail = read_file(std::string(MEDCHAIN_TESTDATA_DIR) + "/eip712_mail.json");

// The example of EIP-712 (its reference implementation's test).
TEST(Eip712, HashesTheMailExample) {
  auto data = parse_typed_data(kMail);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(encode_type(*data, "Mail").value(),
            "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
  EXPECT_EQ(to_hex(domain_separator(*data).value()),
            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
  EXPECT_EQ(to_hex(hash_struct(*data, "Mail", data->message).value()),
            "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
  const Hash32 digest = signing_hash(*data).value();
  EXPECT_EQ(to_hex(digest), "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
  const auto cow = crypto::parse_private_key(crypto::keccak256(as_bytes("cow"))).value();
  const crypto::Signature signature = crypto::sign_hash(cow, digest);
  EXPECT_EQ(to_hex(signature.r),
            "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
  EXPECT_EQ(to_hex(signature.s),
            "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
  EXPECT_EQ(signature.recovery_id + 27, 28);
}

// The EIP's example signature: the mail signed by keccak256("cow"), whose address is Cow's.
TEST(Eip712, SignsAndRecoversTheMailExample) {
  const TypedData data = parse_typed_data(kMail).value();
  const std::string_view cow = "cow";
  const Hash32 secret =
      crypto::keccak256(ByteView(reinterpret_cast<const std::uint8_t*>(cow.data()), cow.size()));
  const crypto::PrivateKey key = crypto::parse_private_key(secret.bytes).value();
  const Bytes signature = sign(data, key).value();
  EXPECT_EQ(
      to_hex(signature),
      "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443"
      "dfa05f40ff007d72911b6f72307f996231605b915621c");
  EXPECT_EQ(to_hex(recover_signer(data, signature).value().bytes),
            "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826");
  const Bytes short_signature(signature.begin(), signature.end() - 1);
  EXPECT_EQ(recover_signer(data, short_signature).error().code, Errc::kInvalidSignature);
}

TEST(Eip712, DerivesTheDomainTypeWhenAbsent) {
  json document = json::parse(kMail);
  document["types"].erase("EIP712Domain");
  auto data = typed_data_from_json(document);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(to_hex(domain_separator(*data).value()),
            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
}

TEST(Eip712, HashesArraysOfStructsAndAtoms) {
  json document = json::parse(kMail);
  document["types"]["Group"] = json::array({{{"name", "members"}, {"type", "Person[]"}},
                                            {{"name", "scores"}, {"type", "uint8[2]"}},
                                            {{"name", "tags"}, {"type", "string[][]"}}});
  document["primaryType"] = "Group";
  document["message"] = {{"members", {document["message"]["from"], document["message"]["to"]}},
                         {"scores", {1, "0x02"}},
                         {"tags", {{"a", "b"}, json::array()}}};
  auto data = typed_data_from_json(document);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(
      encode_type(*data, "Group").value(),
      "Group(Person[] members,uint8[2] scores,string[][] tags)Person(string name,address wallet)");
  // encodeData of an array is keccak256 of its elements' encodings.
  const Hash32 person_hashes =
      crypto::Keccak256()
          .update(hash_struct(*data, "Person", document["message"]["members"][0]).value())
          .update(hash_struct(*data, "Person", document["message"]["members"][1]).value())
          .finish();
  const Hash32 type_hash = crypto::keccak256(as_bytes(encode_type(*data, "Group").value()));
  Bytes scores(64, 0);
  scores[31] = 1;
  scores[63] = 2;
  const Hash32 tags = crypto::Keccak256()
                          .update(crypto::Keccak256()
                                      .update(crypto::keccak256(as_bytes("a")))
                                      .update(crypto::keccak256(as_bytes("b")))
                                      .finish())
                          .update(crypto::keccak256({}))
                          .finish();
  const Hash32 expected = crypto::Keccak256()
                              .update(type_hash)
                              .update(person_hashes)
                              .update(crypto::keccak256(scores))
                              .update(tags)
                              .finish();
  EXPECT_EQ(hash_struct(*data, "Group", data->message).value(), expected);
}

TEST(Eip712, RejectsInconsistentDocuments) {
  auto error_of = [](const json& document) {
    auto data = typed_data_from_json(document);
    if (!data) return data.error().code;
    auto digest = signing_hash(*data);
    return digest ? Errc{} : digest.error().code;
  };
  const json mail = json::parse(kMail);
  json missing_field = mail;
  missing_field["message"].erase("contents");
  EXPECT_EQ(error_of(missing_field), Errc::kEip712Invalid);
  json undefined_type = mail;
  undefined_type["types"]["Mail"][2]["type"] = "Letter";
  EXPECT_EQ(error_of(undefined_type), Errc::kEip712Invalid);
  json bad_address = mail;
  bad_address["message"]["to"]["wallet"] = "0x1234";
  EXPECT_EQ(error_of(bad_address), Errc::kEip712Invalid);
  json bad_primary = mail;
  bad_primary["primaryType"] = "Nothing";
  EXPECT_EQ(error_of(bad_primary), Errc::kEip712Invalid);
  json out_of_range = mail;
  out_of_range["types"]["Mail"].push_back({{"name", "n"}, {"type", "uint8"}});
  out_of_range["message"]["n"] = 256;
  EXPECT_EQ(error_of(out_of_range), Errc::kEip712Invalid);
  json duplicate = mail;
  duplicate["types"]["Person"].push_back({{"name", "name"}, {"type", "string"}});
  EXPECT_EQ(error_of(duplicate), Errc::kEip712Invalid);
  EXPECT_EQ(parse_typed_data("{").error().code, Errc::kInvalidJson);
  // A type that contains itself cannot be given a finite value; the depth bound stops it.
  json recursive = mail;
  recursive["types"]["Node"] = json::array({{{"name", "next"}, {"type", "Node"}}});
  recursive["primaryType"] = "Node";
  json node = json::object();
  for (int i = 0; i < 100; ++i) node = {{"next", node}};
  recursive["message"] = node;
  EXPECT_EQ(error_of(recursive), Errc::kEip712Invalid);
}

}  // namespace
}  // namespace medchain::eth::eip712
