// keccak-256, secp256k1 signing and recovery: the primitives every intent and transaction uses.
#include <benchmark/benchmark.h>

#include <medchain/crypto/keccak.hpp>
#include <medchain/crypto/secp256k1.hpp>

namespace medchain::crypto {
namespace {

void BM_Keccak256(benchmark::State& state) {
  const Bytes data(static_cast<std::size_t>(state.range(0)), 0xab);
  for (auto _ : state) benchmark::DoNotOptimize(keccak256(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Keccak256)->Arg(32)->Arg(1 << 20);

PrivateKey bench_key() {
  return parse_private_key(keccak256(as_bytes("bench key"))).value();
}

void BM_Sign(benchmark::State& state) {
  const PrivateKey key = bench_key();
  Hash32 digest = keccak256(as_bytes("digest"));
  for (auto _ : state) {
    benchmark::DoNotOptimize(sign_hash(key, digest));
    ++digest.bytes[0];
  }
}
BENCHMARK(BM_Sign);

void BM_Recover(benchmark::State& state) {
  const PrivateKey key = bench_key();
  const Hash32 digest = keccak256(as_bytes("digest"));
  const Signature signature = sign_hash(key, digest);
  for (auto _ : state) benchmark::DoNotOptimize(recover_address(digest, signature));
}
BENCHMARK(BM_Recover);

}  // namespace
}  // namespace medchain::crypto
