// ABI encoding and decoding of a 10-argument call, and RLP encoding of a signed transaction.
#include <benchmark/benchmark.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/abi.hpp>
#include <medchain/eth/rlp.hpp>
#include <medchain/eth/transaction.hpp>

namespace medchain::eth {
namespace {

// A call shaped like the contracts' intents: static words, a few dynamic values.
const abi::Signature kCall =
    abi::parse_signature(
        "f(address,address,bytes32,bytes32,uint16,uint8,uint64,uint256,bytes,string)")
        .value();

std::vector<abi::Value> call_values() {
  const Address patient =
      from_hex_fixed<Address>("0x1111111111111111111111111111111111111111").value();
  const Address doctor =
      from_hex_fixed<Address>("0x2222222222222222222222222222222222222222").value();
  return {patient,
          doctor,
          Bytes(32, 0xaa),
          Bytes(32, 0xbb),
          U256(0x0fff),
          U256(3),
          U256(1'800'000'000),
          U256(42),
          Bytes(65, 0xcc),
          std::string("lab results, 2026-11-25")};
}

void BM_AbiEncodeCall10(benchmark::State& state) {
  const auto values = call_values();
  for (auto _ : state) benchmark::DoNotOptimize(abi::encode_call(kCall, values));
}
BENCHMARK(BM_AbiEncodeCall10);

void BM_AbiDecodeCall10(benchmark::State& state) {
  const Bytes encoded = abi::encode(kCall.input_types(), call_values()).value();
  const auto types = kCall.input_types();
  for (auto _ : state) benchmark::DoNotOptimize(abi::decode(types, encoded));
}
BENCHMARK(BM_AbiDecodeCall10);

SignedTransaction signed_transaction() {
  Eip1559Transaction tx;
  tx.chain_id = 31337;
  tx.nonce = 1234;
  tx.max_priority_fee_per_gas = 1'000'000'000;
  tx.max_fee_per_gas = 30'000'000'000;
  tx.gas_limit = 120'000;
  tx.to = from_hex_fixed<Address>("0x3333333333333333333333333333333333333333").value();
  tx.data = abi::encode_call(kCall, call_values()).value();
  return sign_transaction(tx,
                          crypto::parse_private_key(crypto::keccak256(as_bytes("bench"))).value());
}

void BM_RlpEncodeSignedTransaction(benchmark::State& state) {
  const SignedTransaction tx = signed_transaction();
  for (auto _ : state) benchmark::DoNotOptimize(tx.raw());
}
BENCHMARK(BM_RlpEncodeSignedTransaction);

void BM_RlpDecodeSignedTransaction(benchmark::State& state) {
  const Bytes raw = signed_transaction().raw();
  for (auto _ : state) benchmark::DoNotOptimize(decode_transaction(raw));
}
BENCHMARK(BM_RlpDecodeSignedTransaction);

}  // namespace
}  // namespace medchain::eth
