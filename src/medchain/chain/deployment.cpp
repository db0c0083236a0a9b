#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <medchain/chain/deployment.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <sstream>

namespace medchain::chain {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFileName = "deployment.json";

Error damaged(const fs::path& path, const std::string& why) {
  return Error{Errc::kInvalidJson, path.string() + ": " + why};
}

Status write_file_durably(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{Errc::kIo, "cannot write " + temp.string()};
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (synced) fs::rename(temp, path, ec);
  if (!synced || ec) {
    fs::remove(temp, ec);
    return Error{Errc::kIo, "cannot write " + path.string()};
  }
  return {};
}

}  // namespace

Result<Deployment> deploy(TransactionSender& deployer, const ContractAbi& abi) {
  if (abi.bytecode().empty()) {
    return Error{Errc::kInvalidArgument, "the contract artifact has no bytecode"};
  }
  MEDCHAIN_TRY(Receipt receipt,
               deployer.send(TxRequest{std::nullopt, abi.bytecode(), 0, std::nullopt}, &abi));
  if (!receipt.contract_address) {
    return Error{Errc::kProtocol, "the deployment receipt has no contract address"};
  }
  return Deployment{deployer.chain_id(), *receipt.contract_address, receipt.block_number,
                    receipt.transaction_hash, deployer.address()};
}

Status write_deployment(const fs::path& data_dir, const Deployment& deployment) {
  const json record{
      {"chainId", deployment.chain_id},
      {"address", eth::to_checksum(deployment.address)},
      {"block", deployment.block},
      {"transactionHash", to_hex(deployment.transaction_hash)},
      {"admin", eth::to_checksum(deployment.admin)},
  };
  return write_file_durably(data_dir / kFileName, record.dump(2) + "\n");
}

Result<Deployment> read_deployment(const fs::path& data_dir) {
  const fs::path path = data_dir / kFileName;
  std::ifstream file(path);
  if (!file) return Error{Errc::kNotFound, "no deployment record at " + path.string()};
  std::stringstream text;
  text << file.rdbuf();
  const json record = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) return damaged(path, "not a JSON object");
  const auto number = [&](const char* key) -> Result<std::uint64_t> {
    if (!record.contains(key) || !record[key].is_number_unsigned()) {
      return damaged(path, std::string(key) + " must be a number");
    }
    return record[key].get<std::uint64_t>();
  };
  const auto text_of = [&](const char* key) -> Result<std::string> {
    if (!record.contains(key) || !record[key].is_string()) {
      return damaged(path, std::string(key) + " must be a string");
    }
    return record[key].get<std::string>();
  };
  Deployment deployment;
  MEDCHAIN_TRY(deployment.chain_id, number("chainId"));
  MEDCHAIN_TRY(deployment.block, number("block"));
  MEDCHAIN_TRY(std::string address, text_of("address"));
  MEDCHAIN_TRY(std::string admin, text_of("admin"));
  MEDCHAIN_TRY(std::string transaction, text_of("transactionHash"));
  auto parsed_address = eth::parse_address(address);
  auto parsed_admin = eth::parse_address(admin);
  auto parsed_hash = from_hex_fixed<Hash32>(transaction);
  if (!parsed_address || !parsed_admin || !parsed_hash) {
    return damaged(path, "address, admin or transactionHash is malformed");
  }
  deployment.address = *parsed_address;
  deployment.admin = *parsed_admin;
  deployment.transaction_hash = *parsed_hash;
  return deployment;
}

Status check_deployment(EthClient& client, const Deployment& deployment) {
  MEDCHAIN_TRY(std::uint64_t chain_id, client.chain_id());
  if (chain_id != deployment.chain_id) {
    return Error{Errc::kWrongChain, "the deployment is on chain " +
                                        std::to_string(deployment.chain_id) + ", the node serves " +
                                        std::to_string(chain_id)};
  }
  MEDCHAIN_TRY(Bytes code, client.code(deployment.address));
  if (code.empty()) {
    return Error{Errc::kNotFound,
                 "no contract at " + eth::to_checksum(deployment.address) + " on this chain"};
  }
  return {};
}

}  // namespace medchain::chain
