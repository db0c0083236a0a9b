#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>

namespace medchain::records {

Result<eth::eip712::TypedData> category_typed_data(const CategoryStatement& statement,
                                                   const StatementDomain& domain) {
  if (statement.category >= kCategoryNames.size()) {
    return Error{Errc::kInvalidArgument,
                 "no category numbered " + std::to_string(statement.category)};
  }
  const nlohmann::json document{
      {"types",
       {{"RecordCategory",
         {{{"name", "patient"}, {"type", "address"}},
          {{"name", "digest"}, {"type", "bytes32"}},
          {{"name", "category"}, {"type", "string"}}}}}},
      {"primaryType", "RecordCategory"},
      {"domain",
       {{"name", "medchain"},
        {"version", "1"},
        {"chainId", domain.chain_id},
        {"verifyingContract", eth::to_checksum(domain.contract)}}},
      {"message",
       {{"patient", eth::to_checksum(statement.patient)},
        {"digest", to_hex(statement.digest)},
        {"category", std::string(category_name(statement.category))}}},
  };
  return eth::eip712::typed_data_from_json(document);
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
