// Patients by name for the doctors and guardians who may read their details (docs/cli.md,
// "Names"): a patient's demographics are an ordinary FHIR Patient resource among their
// encrypted records. The newest version whose summary (opened on this machine) says kind
// "Patient" is read the way `records get` reads one: the caller's own sealed key bound to the
// version, the digest checked (and with --rpc-url the version checked against the chain), the
// whole blob decrypted. One read per patient per command; a patient whose details the caller
// cannot read keeps the address alone.
#pragma once

#include <map>
#include <optional>
#include <records/record_actions.hpp>
#include <string>

namespace medchain::cli::records {

struct PatientDetails {
  std::string name;        // the Patient's first name's text, else given names and family
  std::string birth_date;  // birthDate as written, may be empty
};

class PatientNames {
 public:
  explicit PatientNames(Caller& caller) : caller_(caller) {}

  // The details of `patient`, or nothing when the caller can read no Patient record of theirs.
  std::optional<PatientDetails> details(const Address& patient);

  // Adds "patientName" and "patientBirthDate" to each row whose `field` names a patient whose
  // details the caller can read.
  void name_patients(nlohmann::json& rows, const std::string& field = "patient");

 private:
  Caller& caller_;
  std::map<Address, std::optional<PatientDetails>> cache_;
};

// "Jean Dupont (born 1970-01-02) (0xAbC…)" for a row name_patients named, else the address.
std::string patient_label(const nlohmann::json& row, const std::string& field = "patient");

}  // namespace medchain::cli::records
