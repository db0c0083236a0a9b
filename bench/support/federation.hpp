// What the federation benchmarks share: a patient whose records are uploaded through a node and
// recorded on chain as homed there, as a client would (upload with the patient's category
// statement, then a relayed addRecordBySig).
#pragma once

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category_statement.hpp>
#include <stdexcept>
#include <string>

#include "support/node.hpp"

namespace medchain::bench {

inline constexpr std::uint8_t kLabCategory = 1;

struct Federation {
  test::Ledger& ledger;
  test::Party patient;
  records::StatementDomain domain() const {
    return {ledger.chain_id(), ledger.deployment().address};
  }
  // Uploads `content` through `node` and records it on chain as homed there; the record id.
  Hash32 add(test::Node& node, const std::string& token, const std::string& content) {
    const Hash32 digest = test::sha256_of(content);
    const std::string statement = to_hex(
        records::sign_category({patient.address, digest, kLabCategory}, domain(), patient.key)
            .value());
    const test::Reply uploaded = node.send("POST", "/v1/blobs", content, token,
                                           {{"Medchain-Patient", to_hex(patient.address)},
                                            {"Medchain-Category", "lab"},
                                            {"Medchain-Digest", to_hex(digest)},
                                            {"Medchain-Category-Signature", statement}},
                                           "application/octet-stream");
    if (uploaded.status != 201) throw std::runtime_error("upload: " + uploaded.raw);
    const Hash32 record_id = test::random_hash();
    const test::Reply added = node.relay(patient, "addRecordBySig",
                                         {{"patient", eth::to_checksum(patient.address)},
                                          {"recordId", to_hex(record_id)},
                                          {"digest", to_hex(digest)},
                                          {"nodeId", to_hex(node.node_id())},
                                          {"contentId", to_hex(digest)}});
    if (added.status != 200) throw std::runtime_error("relay: " + added.raw);
    return record_id;
  }
};

}  // namespace medchain::bench
