#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/emergency_summary.hpp>
#include <medchain/records/ips.hpp>

namespace medchain::records::emergency {
namespace {

Address patient() {
  return *eth::parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
}

// The vector docs/format.md ("Emergency summary") gives, computed independently with ethers
// (keccak256(concat([toUtf8Bytes("medchain.emergency-summary"), address]))); the web app's
// emergencySummary.test.js checks the same value.
constexpr const char* kRecordIdVector =
    "0xbb5d9c3de8ac850263006862f3a373581533354ac9f5545bb61e3dc2486a00f8";

TEST(EmergencySummary, RecordIdIsKeccakOfTheDomainAndThePatient) {
  EXPECT_EQ(to_hex(record_id(patient())), kRecordIdVector);
  EXPECT_NE(record_id(patient()), record_id(Address{}));
}

TEST(EmergencySummary, BuildsAnIpsDocumentThatStatesTheFactsBack) {
  const Facts facts{{"Penicillin"}, {"Metformin 500 mg", "Aspirin"}, {"Type 2 diabetes"}, "O-"};
  const auto bundle = make_bundle(patient(), facts, "2026-12-05T03:00:00Z");
  ASSERT_TRUE(ips::validate_summary(bundle).ok()) << ips::validate_summary(bundle).error().message;
  const Facts back = facts_of(bundle);
  EXPECT_EQ(back.allergies, facts.allergies);
  EXPECT_EQ(back.medications, facts.medications);
  EXPECT_EQ(back.conditions, facts.conditions);
  EXPECT_EQ(back.blood_type, "O-");
  auto parsed = parse_bundle(bundle.dump());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, bundle);
}

// tests/data/emergency_summary_vector.json: the web client (emergencySummary.test.js) checks the
// same record id and the same Bundle from the same facts.
TEST(EmergencySummary, BuildsTheBundleOfTheSharedVector) {
  std::ifstream file(std::string(MEDCHAIN_TESTDATA_DIR) + "/emergency_summary_vector.json");
  ASSERT_TRUE(file.good());
  const nlohmann::json vector = nlohmann::json::parse(file);
  const Address who = *eth::parse_address(vector["patient"].get<std::string>());
  EXPECT_EQ(to_hex(record_id(who)), vector["recordId"]);
  const Facts facts{vector["facts"]["allergies"], vector["facts"]["medications"],
                    vector["facts"]["conditions"], vector["facts"]["bloodType"]};
  EXPECT_EQ(make_bundle(who, facts, vector["now"]), vector["bundle"]);
}

TEST(EmergencySummary, AnEmptySummaryIsStillAValidDocument) {
  const auto bundle = make_bundle(patient(), {}, "2026-12-05T03:00:00Z");
  EXPECT_TRUE(ips::validate_summary(bundle).ok());
  const Facts back = facts_of(bundle);
  EXPECT_TRUE(back.allergies.empty() && back.medications.empty() && back.conditions.empty());
  EXPECT_EQ(back.blood_type, "");
}

TEST(EmergencySummary, RefusesABloodTypeOutsideTheEightGroupsAndEmptyEntries) {
  EXPECT_EQ(check_facts({{}, {}, {}, "C+"}).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(check_facts({{""}, {}, {}, ""}).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(check_facts({{}, {std::string(201, 'x')}, {}, ""}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(check_facts({{}, {}, {"a\nb"}, ""}).error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(check_facts({{"Latex"}, {}, {}, "AB+"}).ok());
}

TEST(EmergencySummary, ParseRefusesNonJsonAndBundlesThatAreNotIpsDocuments) {
  EXPECT_EQ(parse_bundle("{not json").error().code, Errc::kInvalidJson);
  auto collection = parse_bundle(R"({"resourceType":"Bundle","type":"collection","entry":[]})");
  ASSERT_FALSE(collection.ok());
  EXPECT_EQ(collection.error().code, Errc::kInvalidResource);
  EXPECT_NE(collection.error().message.find("not an IPS document"), std::string::npos);
}

TEST(EmergencySummary, TheDocumentReferenceDescribesAFhirJsonAttachment) {
  const auto reference = document_reference(123);
  EXPECT_EQ(reference["content"][0]["attachment"]["contentType"], kContentType);
  EXPECT_EQ(reference["content"][0]["attachment"]["size"], 123);
}

}  // namespace
}  // namespace medchain::records::emergency
