#include <gtest/gtest.h>

#include <medchain/records/category.hpp>
#include <medchain/records/fhir.hpp>

namespace medchain::records::fhir {
namespace {

using nlohmann::json;

const json kSubject = {{"reference", "Patient/1"}};
const json kCode = {{"coding", {{{"system", "http://loinc.org"}, {"code", "2345-7"}}}}};

TEST(Fhir, AcceptsTheRequiredFieldsOfEachType) {
  const std::vector<json> valid = {
      {{"resourceType", "Observation"}, {"status", "final"}, {"code", kCode}},
      {{"resourceType", "MedicationStatement"},
       {"status", "active"},
       {"medicationCodeableConcept", kCode},
       {"subject", kSubject}},
      {{"resourceType", "MedicationStatement"},
       {"status", "active"},
       {"medicationReference", {{"reference", "Medication/9"}}},
       {"subject", kSubject}},
      {{"resourceType", "AllergyIntolerance"}, {"patient", kSubject}},
      {{"resourceType", "Condition"}, {"subject", kSubject}},
      {{"resourceType", "Immunization"},
       {"status", "completed"},
       {"vaccineCode", kCode},
       {"patient", kSubject},
       {"occurrenceDateTime", "2026-01-02"}},
      {{"resourceType", "Procedure"}, {"status", "completed"}, {"subject", kSubject}},
      {{"resourceType", "DiagnosticReport"}, {"status", "final"}, {"code", kCode}, {"id", "r-1.2"}},
      document_reference_for({"application/pdf", 10, "report.pdf"}),
  };
  for (const json& resource : valid) {
    EXPECT_TRUE(validate_resource(resource).ok()) << resource.dump();
  }
}

TEST(Fhir, RefusesMissingFieldsUnknownTypesAndBadValues) {
  const std::vector<std::pair<json, std::string>> invalid = {
      {json::array(), "object"},
      {{{"status", "final"}}, "resourceType"},
      {{{"resourceType", "Spaceship"}}, "not supported"},
      {{{"resourceType", "Observation"}, {"status", "final"}}, "code"},
      {{{"resourceType", "Observation"}, {"code", kCode}}, "status"},
      {{{"resourceType", "Observation"}, {"status", "done"}, {"code", kCode}}, "value set"},
      {{{"resourceType", "Observation"}, {"status", "final"}, {"code", "2345-7"}}, "wrong kind"},
      {{{"resourceType", "MedicationStatement"}, {"status", "active"}, {"subject", kSubject}},
       "medication[x]"},
      {{{"resourceType", "MedicationStatement"},
        {"status", "active"},
        {"medicationCodeableConcept", kCode},
        {"medicationReference", kSubject},
        {"subject", kSubject}},
       "more than one"},
      {{{"resourceType", "AllergyIntolerance"}}, "patient"},
      {{{"resourceType", "Immunization"},
        {"status", "completed"},
        {"vaccineCode", kCode},
        {"patient", kSubject}},
       "occurrence[x]"},
      {{{"resourceType", "DocumentReference"}, {"status", "current"}, {"content", json::array()}},
       "content"},
      {{{"resourceType", "DocumentReference"},
        {"status", "current"},
        {"content", {{{"format", kCode}}}}},
       "attachment"},
      {{{"resourceType", "Condition"}, {"subject", kSubject}, {"id", "has space"}}, "id"},
  };
  for (const auto& [resource, needle] : invalid) {
    const Status status = validate_resource(resource);
    ASSERT_FALSE(status.ok()) << resource.dump();
    EXPECT_EQ(status.error().code, Errc::kInvalidResource);
    EXPECT_NE(status.error().message.find(needle), std::string::npos) << status.error().message;
  }
}

TEST(Fhir, AFileRecordsDocumentReferenceMustMatchTheFile) {
  const Attachment file{"image/png", 1234, "xray.png"};
  EXPECT_TRUE(validate_manifest({document_reference_for(file), file}).ok());
  Attachment other = file;
  other.size = 1235;
  EXPECT_EQ(validate_manifest({document_reference_for(file), other}).error().code,
            Errc::kInvalidResource);
  const json observation = {{"resourceType", "Observation"}, {"status", "final"}, {"code", kCode}};
  EXPECT_TRUE(validate_manifest({observation, std::nullopt}).ok());
  EXPECT_FALSE(validate_manifest({observation, file}).ok());
}

TEST(Fhir, SuggestsACategory) {
  const auto observation = [](std::string_view code) {
    return json{{"resourceType", "Observation"},
                {"status", "final"},
                {"code", kCode},
                {"category", {{{"coding", {{{"code", code}}}}}}}};
  };
  EXPECT_EQ(category_name(suggest_category(observation("laboratory"))), "lab");
  EXPECT_EQ(category_name(suggest_category(observation("imaging"))), "imaging");
  EXPECT_EQ(category_name(suggest_category(observation("vital-signs"))), "general");
  EXPECT_EQ(category_name(suggest_category({{"resourceType", "MedicationStatement"}})),
            "medication");
  EXPECT_EQ(category_name(suggest_category({{"resourceType", "AllergyIntolerance"}})), "allergy");
  EXPECT_EQ(category_name(suggest_category(document_reference_for({"image/png", 1, "x.png"}))),
            "imaging");
  EXPECT_EQ(category_name(suggest_category(document_reference_for({"application/pdf", 1, "x"}))),
            "clinical-note");
}

TEST(Fhir, WritesACollectionBundleWithStableEntryUrls) {
  const std::vector<json> resources = {{{"resourceType", "Condition"}, {"subject", kSubject}},
                                       document_reference_for({"image/png", 1, "x.png"})};
  const std::vector<std::string> ids = {"0xaa/1", "0xbb/2"};
  const json bundle = make_bundle(resources, ids);
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  ASSERT_EQ(bundle["entry"].size(), 2u);
  EXPECT_EQ(bundle["entry"][1]["resource"], resources[1]);
  const std::string url = bundle["entry"][0]["fullUrl"];
  EXPECT_EQ(url.size(), 9u + 36u);
  EXPECT_EQ(url.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(url[9 + 14], '8');
  EXPECT_EQ(make_bundle(resources, ids), bundle);
  EXPECT_NE(bundle["entry"][0]["fullUrl"], bundle["entry"][1]["fullUrl"]);
}

}  // namespace
}  // namespace medchain::records::fhir
