#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/doctor_profile.hpp>

namespace medchain::records {
namespace {

// Well-formed UTF-8 without C0/C1 controls or DEL: the text is shown to people as it is.
bool is_plain_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t point = 0;
    if (lead < 0x80) {
      length = 1;
      point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < kMinimum[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
      return false;
    if (point < 0x20 || (point >= 0x7F && point <= 0x9F)) return false;
    i += length;
  }
  return true;
}

Status check_field(std::string_view field, std::string_view text) {
  if (text.size() > kMaxProfileField) {
    return Error{Errc::kInvalidArgument, std::string(field) + " is longer than " +
                                             std::to_string(kMaxProfileField) + " bytes"};
  }
  if (!is_plain_utf8(text)) {
    return Error{Errc::kInvalidArgument,
                 std::string(field) + " is not UTF-8 text without control characters"};
  }
  return {};
}

}  // namespace

Status check_profile_fields(const DoctorProfile& profile) {
  if (profile.name.empty()) return Error{Errc::kInvalidArgument, "name is empty"};
  MEDCHAIN_TRY_STATUS(check_field("name", profile.name));
  MEDCHAIN_TRY_STATUS(check_field("specialty", profile.specialty));
  return check_field("institution", profile.institution);
}

Result<eth::eip712::TypedData> profile_typed_data(const DoctorProfile& profile,
                                                  const StatementDomain& domain) {
  MEDCHAIN_TRY_STATUS(check_profile_fields(profile));
  return statement_typed_data(domain, "DoctorProfile",
                              {{{"name", "doctor"}, {"type", "address"}},
                               {{"name", "name"}, {"type", "string"}},
                               {{"name", "specialty"}, {"type", "string"}},
                               {{"name", "institution"}, {"type", "string"}},
                               {{"name", "issuedAt"}, {"type", "uint64"}}},
                              {{"doctor", eth::to_checksum(profile.doctor)},
                               {"name", profile.name},
                               {"specialty", profile.specialty},
                               {"institution", profile.institution},
                               {"issuedAt", profile.issued_at}});
}

Result<Bytes> sign_profile(const DoctorProfile& profile, const StatementDomain& domain,
                           const crypto::PrivateKey& key) {
  MEDCHAIN_TRY(eth::eip712::TypedData data, profile_typed_data(profile, domain));
  return eth::eip712::sign(data, key);
}

Result<Address> profile_signer(const DoctorProfile& profile, const StatementDomain& domain,
                               ByteView signature) {
  MEDCHAIN_TRY(eth::eip712::TypedData data, profile_typed_data(profile, domain));
  return eth::eip712::recover_signer(data, signature);
}

}  // namespace medchain::records
