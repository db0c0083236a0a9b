// FHIR R4 for record contents (docs/format.md, "FHIR resources"): the structural check a
// resource passes before it is encrypted, the DocumentReference a plain file gets, the
// category a resource suggests, and the Bundle a patient's export is written as.
#pragma once

#include <cstdint>
#include <medchain/core/result.hpp>
#include <medchain/records/document.hpp>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

namespace medchain::records::fhir {

// The resource types a record may hold.
std::span<const std::string_view> known_resource_types();

// kInvalidResource unless `resource` is an object of a known resourceType with the fields R4
// requires of it (e.g. Observation: status and code), each of the right JSON kind, a status
// from the type's value set, and a valid id if it has one. The message names the first problem.
Status validate_resource(const nlohmann::json& resource);

// The DocumentReference (status "current") that describes a file record; its
// content[0].attachment has the file's contentType, size and title but no data.
nlohmann::json document_reference_for(const Attachment& attachment);

// kInvalidResource unless the manifest's resource is valid and, with an attachment, is a
// DocumentReference whose content[0].attachment agrees with it on contentType and size.
Status validate_manifest(const Manifest& manifest);

// The category (records/category.hpp) a resource most likely belongs to: an Observation of
// category "laboratory" is lab, a MedicationStatement medication, an image imaging; "general"
// when nothing says more.
std::uint8_t suggest_category(const nlohmann::json& resource);

// A UUID derived from `name` (RFC 9562 version 8, from its SHA-256): the same name, the same
// UUID, for urn:uuid fullUrls that are stable across runs.
std::string name_based_uuid(std::string_view name);

// A FHIR Bundle of type "collection" holding the resources in order, each entry with a
// urn:uuid fullUrl derived from `entry_ids` (one per resource, e.g. "recordId/version").
nlohmann::json make_bundle(std::span<const nlohmann::json> resources,
                           std::span<const std::string> entry_ids);

}  // namespace medchain::records::fhir
