#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>

namespace medchain::records {

Result<eth::eip712::TypedData> statement_typed_data(const StatementDomain& domain,
                                                    std::string_view primary_type,
                                                    nlohmann::json fields, nlohmann::json message) {
  const nlohmann::json document{
      {"types", {{std::string(primary_type), std::move(fields)}}},
      {"primaryType", primary_type},
      {"domain",
       {{"name", "medchain"},
        {"version", "1"},
        {"chainId", domain.chain_id},
        {"verifyingContract", eth::to_checksum(domain.contract)}}},
      {"message", std::move(message)},
  };
  return eth::eip712::typed_data_from_json(document);
}

Result<eth::eip712::TypedData> category_typed_data(const CategoryStatement& statement,
                                                   const StatementDomain& domain) {
  if (statement.category >= kCategoryNames.size()) {
    return Error{Errc::kInvalidArgument,
                 "no category numbered " + std::to_string(statement.category)};
  }
  return statement_typed_data(domain, "RecordCategory",
                              {{{"name", "patient"}, {"type", "address"}},
                               {{"name", "digest"}, {"type", "bytes32"}},
                               {{"name", "category"}, {"type", "string"}}},
                              {{"patient", eth::to_checksum(statement.patient)},
                               {"digest", to_hex(statement.digest)},
                               {"category", std::string(category_name(statement.category))}});
}

Result<Bytes> sign_category(const CategoryStatement& statement, const StatementDomain& domain,
                            const crypto::PrivateKey& key) {
  MEDCHAIN_TRY(eth::eip712::TypedData data, category_typed_data(statement, domain));
  return eth::eip712::sign(data, key);
}

Result<Address> category_signer(const CategoryStatement& statement, const StatementDomain& domain,
                                ByteView signature) {
  MEDCHAIN_TRY(eth::eip712::TypedData data, category_typed_data(statement, domain));
  return eth::eip712::recover_signer(data, signature);
}

}  // namespace medchain::records
