#include <gtest/gtest.h>

#include <medchain/records/fhir.hpp>
#include <medchain/records/ips.hpp>

namespace medchain::records::ips {
namespace {

using nlohmann::json;

const json kAllergy = {{"resourceType", "AllergyIntolerance"},
                       {"patient", {{"reference", "Patient/p"}}},
                       {"code", {{"text", "Penicillin"}}}};
const json kMedication = {{"resourceType", "MedicationStatement"},
                          {"status", "active"},
                          {"subject", {{"reference", "Patient/p"}}},
                          {"medicationCodeableConcept", {{"text", "Metformin 500 mg"}}}};
const json kCondition = {{"resourceType", "Condition"},
                         {"subject", {{"reference", "Patient/p"}}},
                         {"code", {{"text", "Type 2 diabetes"}}}};
const json kBloodType = {
    {"resourceType", "Observation"},
    {"status", "final"},
    {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "882-1"}}}}}},
    {"valueCodeableConcept", {{"text", "A Rh+"}}}};
const json kPulse = {{"resourceType", "Observation"},
                     {"status", "final"},
                     {"category", {{{"coding", {{{"code", "vital-signs"}}}}}}},
                     {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
                     {"valueQuantity", {{"value", 72}, {"unit", "/min"}}}};

json summary_of(const std::vector<json>& resources) {
  return make_summary({Address{}, resources, "2026-12-04T11:00:00Z", "test"});
}

const json& section(const json& bundle, const char* code) {
  for (const json& s : bundle["entry"][0]["resource"]["section"]) {
    if (s["code"]["coding"][0]["code"] == code) return s;
  }
  throw std::runtime_error(std::string("no section ") + code);
}

TEST(PatientSummary, ListsEachResourceInItsSectionAndValidates) {
  const json file = fhir::document_reference_for({"image/png", 10, "x.png"});
  const json bundle = summary_of({kAllergy, kMedication, kCondition, kBloodType, kPulse, file});
  ASSERT_TRUE(validate_summary(bundle).ok()) << validate_summary(bundle).error().message;
  EXPECT_EQ(bundle["type"], "document");
  EXPECT_EQ(bundle["entry"][1]["resource"]["resourceType"], "Patient");
  EXPECT_EQ(bundle["entry"].size(), 7u);  // composition, patient, five resources; no file
  EXPECT_EQ(section(bundle, kAllergiesSection)["entry"].size(), 1u);
  EXPECT_EQ(section(bundle, kMedicationsSection)["entry"].size(), 1u);
  EXPECT_EQ(section(bundle, kProblemsSection)["entry"].size(), 1u);
  EXPECT_EQ(section(bundle, "30954-2")["entry"].size(), 1u);  // the blood type: a result
  EXPECT_EQ(section(bundle, "8716-3")["entry"].size(), 1u);   // the pulse: a vital sign
}

TEST(PatientSummary, RequiredSectionsArePresentAndSayWhenTheyAreEmpty) {
  const json bundle = summary_of({});
  ASSERT_TRUE(validate_summary(bundle).ok()) << validate_summary(bundle).error().message;
  EXPECT_EQ(bundle["entry"][0]["resource"]["section"].size(), 3u);
  EXPECT_TRUE(section(bundle, kAllergiesSection).contains("emptyReason"));
}

TEST(PatientSummary, ThePatientsOwnPatientResourceIsTheSubject) {
  const json demographics = {{"resourceType", "Patient"},
                             {"name", {{{"family", "Rossi"}, {"given", {"Anna"}}}}},
                             {"birthDate", "1970-03-01"}};
  const json bundle = summary_of({demographics, kAllergy});
  ASSERT_TRUE(validate_summary(bundle).ok());
  EXPECT_EQ(bundle["entry"][1]["resource"], demographics);
}

TEST(PatientSummary, RefusesWhatIsNotAnIpsDocument) {
  const json good = summary_of({kAllergy, kMedication, kCondition});
  const auto refused = [](json bundle) {
    const Status status = validate_summary(bundle);
    EXPECT_FALSE(status.ok()) << bundle.dump().substr(0, 200);
    return status.ok() ? std::string() : status.error().message;
  };
  json no_problems = good;
  auto& sections = no_problems["entry"][0]["resource"]["section"];
  sections.erase(sections.begin() + 2);
  EXPECT_NE(refused(no_problems).find("Problem list is missing"), std::string::npos);

  json dangling = good;
  dangling["entry"][0]["resource"]["section"][0]["entry"][0]["reference"] = "urn:uuid:nowhere";
  EXPECT_NE(refused(dangling).find("reference to no entry"), std::string::npos);

  json misfiled = good;
  std::swap(misfiled["entry"][0]["resource"]["section"][0]["entry"],
            misfiled["entry"][0]["resource"]["section"][2]["entry"]);
  EXPECT_NE(refused(misfiled).find("lists a Condition"), std::string::npos);

  json broken = good;
  broken["entry"][2]["resource"].erase("patient");
  EXPECT_NE(refused(broken).find("entry 3"), std::string::npos);

  json collection = good;
  collection["type"] = "collection";
  EXPECT_FALSE(validate_summary(collection).ok());

  json no_subject = good;
  no_subject["entry"][0]["resource"]["subject"]["reference"] = "urn:uuid:someone";
  EXPECT_NE(refused(no_subject).find("subject"), std::string::npos);
}

}  // namespace
}  // namespace medchain::records::ips
