#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/transaction.hpp>

namespace medchain::eth {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}
crypto::PrivateKey key(std::string_view text) {
  return crypto::parse_private_key(hex(text)).value();
}
Address address(std::string_view text) {
  return from_hex_fixed<Address>(text).value();
}

const crypto::PrivateKey kCastKey =
    key("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const U256 kGwei = 1'000'000'000;
const U256 kEther = U256(1'000'000'000) * 1'000'000'000;

// The example of EIP-155.
TEST(Transaction, MatchesTheEip155Example) {
  LegacyTransaction tx;
  tx.nonce = 9;
  tx.gas_price = 20 * kGwei;
  tx.gas_limit = 21000;
  tx.to = address("0x3535353535353535353535353535353535353535");
  tx.value = kEther;
  tx.chain_id = 1;
  EXPECT_EQ(to_hex(signing_hash(tx)),
            "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  const SignedTransaction signed_tx = sign_transaction(
      tx, key("0x4646464646464646464646464646464646464646464646464646464646464646"));
  EXPECT_EQ(
      to_hex(signed_tx.raw()),
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
      "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703"
      "304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  EXPECT_EQ(signed_tx.sender().value(), address("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));
}

// Reference: `cast mktx --private-key <kCastKey> --nonce 7 --gas-limit 50000
// --gas-price 30000000000 --priority-gas-price 2000000000 --chain 1 --value 1000000000000000000
// 0x3535353535353535353535353535353535353535 0x12345678` (cast 1.7.1).
TEST(Transaction, Eip1559MatchesCastMktx) {
  Eip1559Transaction tx;
  tx.chain_id = 1;
  tx.nonce = 7;
  tx.max_priority_fee_per_gas = 2 * kGwei;
  tx.max_fee_per_gas = 30 * kGwei;
  tx.gas_limit = 50000;
  tx.to = address("0x3535353535353535353535353535353535353535");
  tx.value = kEther;
  tx.data = hex("0x12345678");
  const SignedTransaction signed_tx = sign_transaction(tx, kCastKey);
  EXPECT_EQ(
      to_hex(signed_tx.raw()),
      "0x02f877010784773594008506fc23ac0082c350943535353535353535353535353535353535353535880de0"
      "b6b3a76400008412345678c001a0dd8750dffd5d167a48f8f66aa2ba91f9ad70ce983244985cc15b7dfa1360"
      "3f1fa03a90dc2a1aeb451866265d21aeea7ce419a5ee8070679035173d3dd3b425626b");
}

// Reference: `cast mktx ... --nonce 0 --gas-limit 100000 --gas-price 30000000000
// --priority-gas-price 1 --chain 31337 --create 0x6080`.
TEST(Transaction, ContractCreationMatchesCastMktx) {
  Eip1559Transaction tx;
  tx.chain_id = 31337;
  tx.max_priority_fee_per_gas = 1;
  tx.max_fee_per_gas = 30 * kGwei;
  tx.gas_limit = 100000;
  tx.data = hex("0x6080");
  EXPECT_EQ(
      to_hex(sign_transaction(tx, kCastKey).raw()),
      "0x02f858827a6980018506fc23ac00830186a08080826080c080a0db76cef78f33a2cddaf860d1b2321565e7"
      "481d84aa8179061925ae7261bb754aa0299e0582cb71bceb10190fa1216bad031c2051c87cd7c5c400d63b89"
      "93149cc7");
}

TEST(Transaction, DecodesWhatItEncodesAndRecoversTheSender) {
  Eip1559Transaction tx;
  tx.chain_id = 31337;
  tx.nonce = 42;
  tx.max_priority_fee_per_gas = 3;
  tx.max_fee_per_gas = 7 * kGwei;
  tx.gas_limit = 1'000'000;
  tx.to = address("0x1111111111111111111111111111111111111111");
  tx.data = Bytes(300, 0xab);
  tx.access_list = {{address("0x2222222222222222222222222222222222222222"), {Hash32{}, Hash32{}}}};
  const SignedTransaction signed_tx = sign_transaction(tx, kCastKey);
  auto decoded = decode_transaction(signed_tx.raw());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, signed_tx);
  EXPECT_EQ(decoded->sender().value(), crypto::address_of(kCastKey));
  EXPECT_EQ(decoded->hash(), signed_tx.hash());

  LegacyTransaction legacy;
  legacy.nonce = 1;
  legacy.gas_price = 1;
  legacy.gas_limit = 21000;
  legacy.chain_id = 0;  // pre-EIP-155: v is 27 or 28
  const SignedTransaction old = sign_transaction(legacy, kCastKey);
  EXPECT_EQ(decode_transaction(old.raw()).value(), old);
}

TEST(Transaction, RejectsMalformedRawTransactions) {
  Eip1559Transaction tx;
  tx.gas_limit = 21000;
  const Bytes good = sign_transaction(tx, kCastKey).raw();
  EXPECT_EQ(decode_transaction({}).error().code, Errc::kInvalidTransaction);
  EXPECT_EQ(decode_transaction(Bytes{0x03, 0xc0}).error().code, Errc::kUnsupported);
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_FALSE(decode_transaction(truncated).ok());
  Bytes trailing = good;
  trailing.push_back(0x00);
  EXPECT_FALSE(decode_transaction(trailing).ok());
  // v = 36 would claim EIP-155 protection for chain id 0 (found by the fuzzer).
  Bytes v36 = hex(
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008024a0"
      "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703"
      "304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  EXPECT_EQ(decode_transaction(v36).error().code, Errc::kInvalidTransaction);
  // A legacy list with too few fields, and one with v = 29.
  EXPECT_EQ(decode_transaction(hex("0xc3010203")).error().code, Errc::kInvalidTransaction);
  EXPECT_EQ(decode_transaction(hex("0xc9010203808080"
                                   "1d"
                                   "0101"))
                .error()
                .code,
            Errc::kInvalidTransaction);
}

}  // namespace
}  // namespace medchain::eth
