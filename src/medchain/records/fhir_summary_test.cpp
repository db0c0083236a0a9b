#include <gtest/gtest.h>

#include <medchain/records/fhir.hpp>
#include <medchain/records/fhir_summary.hpp>

namespace medchain::records {
namespace {

using nlohmann::json;

TEST(SummaryOfResource, AnObservationIsItsCodeOnItsEffectiveDate) {
  const json observation = {
      {"resourceType", "Observation"},
      {"code",
       {{"coding",
         {{{"system", "http://loinc.org"}, {"code", "2345-7"}, {"display", "Glucose"}}}}}},
      {"effectiveDateTime", "2026-03-14T08:00:00Z"}};
  EXPECT_EQ(summary_of_resource(observation, std::nullopt),
            (RecordSummary{"Glucose", "2026-03-14T08:00:00Z", "Observation", ""}));
}

TEST(SummaryOfResource, EachResourceTypeNamesItsConcept) {
  const json medication = {{"resourceType", "MedicationStatement"},
                           {"medicationCodeableConcept", {{"text", "Metformin 500 mg"}}},
                           {"effectivePeriod", {{"start", "2025-11-02"}}}};
  EXPECT_EQ(summary_of_resource(medication, std::nullopt),
            (RecordSummary{"Metformin 500 mg", "2025-11-02", "MedicationStatement", ""}));
  const json allergy = {{"resourceType", "AllergyIntolerance"},
                        {"code", {{"coding", {{{"code", "764146007"}}}}}},
                        {"recordedDate", "2024-05"}};
  EXPECT_EQ(summary_of_resource(allergy, std::nullopt),
            (RecordSummary{"764146007", "2024-05", "AllergyIntolerance", ""}));
  const json vaccine = {{"resourceType", "Immunization"},
                        {"vaccineCode", {{"text", "Influenza"}}},
                        {"occurrenceDateTime", "2025-10-01"}};
  EXPECT_EQ(summary_of_resource(vaccine, std::nullopt).title, "Influenza");
  EXPECT_EQ(summary_of_resource(vaccine, std::nullopt).date, "2025-10-01");
  const json condition = {{"resourceType", "Condition"}, {"code", {{"text", "Asthma"}}}};
  EXPECT_EQ(summary_of_resource(condition, std::nullopt),
            (RecordSummary{"Asthma", "", "Condition", ""}));
}

TEST(SummaryOfResource, AFileIsItsTitleAndMediaType) {
  const Attachment xray{"image/png", 70000, "chest x-ray.png"};
  json reference = fhir::document_reference_for(xray);
  reference["date"] = "2026-01-05T10:00:00+01:00";
  EXPECT_EQ(summary_of_resource(reference, xray),
            (RecordSummary{"chest x-ray.png", "2026-01-05T10:00:00+01:00", "image/png", ""}));
}

TEST(SummaryOfResource, OddInputStillGivesAValidSummary) {
  const json odd = {{"resourceType", "Observation"},
                    {"code", {{"text", std::string(300, 'a') + "\nb"}}},
                    {"effectiveDateTime", "last Tuesday"}};
  const RecordSummary summary = summary_of_resource(odd, std::nullopt);
  EXPECT_EQ(summary.title.size(), kMaxSummaryTitle);
  EXPECT_TRUE(summary.date.empty());
  EXPECT_TRUE(encode_summary(summary).ok());
  EXPECT_EQ(summary_of_resource({{"resourceType", "Patient"}}, std::nullopt).title, "Patient");
}

}  // namespace
}  // namespace medchain::records
