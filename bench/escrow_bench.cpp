// The emergency escrow's cryptography (docs/format.md, "Emergency escrow"): what a writer adds
// per version (wrap), what a custodian does per request (partial), and what the doctor does for
// an emergency read of a 1 MiB record with 3 custodians' partials (open and verify each, combine,
// unwrap, decrypt). Issue 16's goal for the whole read, network included, is p50 ≤ 100 ms.
#include <benchmark/benchmark.h>

#include <medchain/crypto/sha256.hpp>
#include <medchain/records/escrow.hpp>

namespace medchain::records {
namespace {

EncryptionKeyPair key_pair() {
  EncryptionKeyPair pair;
  crypto_box_keypair(pair.public_key.data(), pair.secret.data());
  return pair;
}

// A 3-of-5 escrow, a wrapped 1 MiB record version and the 3 sealed partials a doctor receives.
struct EmergencyRead {
  static constexpr std::uint8_t kThreshold = 3;
  std::vector<EncryptionKeyPair> custodians;
  EscrowPolicy policy;
  std::vector<EscrowShare> shares;
  EncryptionKeyPair doctor = key_pair();
  ContentKey key = new_content_key();
  Bytes envelope;
  KeyBinding binding;
  Bytes wrapped;
  std::vector<Bytes> sealed_partials;

  EmergencyRead() {
    std::vector<X25519PublicKey> keys;
    for (int i = 0; i < 5; ++i) {
      custodians.push_back(key_pair());
      keys.push_back(custodians.back().public_key);
    }
    const EscrowDealing dealing =
        deal_escrow(Address::from_view(Bytes(20, 1)).value(), kThreshold, keys).value();
    policy = dealing.policy;
    for (std::uint8_t i = 1; i <= 5; ++i) {
      shares.push_back(
          open_escrow_share(dealing.sealed_shares[i - 1], policy, i, custodians[i - 1]).value());
    }
    envelope = encrypt(key, Bytes(1 << 20, 0x5a));
    binding = {crypto::sha256(as_bytes("bench record")), 1, crypto::sha256(envelope)};
    wrapped = wrap_for_escrow(key, binding, policy.escrow_key()).value();
    for (std::uint8_t i = 1; i <= kThreshold; ++i) {
      sealed_partials.push_back(
          make_escrow_partial(shares[i - 1], policy, wrapped, binding, doctor.public_key).value());
    }
  }
};

const EmergencyRead& fixture() {
  static const EmergencyRead kRead;
  return kRead;
}

void BM_EscrowWrap(benchmark::State& state) {
  const EmergencyRead& read = fixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(wrap_for_escrow(read.key, read.binding, read.policy.escrow_key()));
  }
}
BENCHMARK(BM_EscrowWrap);

void BM_EscrowCustodianPartial(benchmark::State& state) {
  const EmergencyRead& read = fixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(make_escrow_partial(read.shares[0], read.policy, read.wrapped,
                                                 read.binding, read.doctor.public_key));
  }
}
BENCHMARK(BM_EscrowCustodianPartial);

// The doctor's side without the record: open and verify 3 partials, combine, unwrap.
ContentKey unwrap_from_partials(const EmergencyRead& read) {
  std::vector<EscrowPartial> partials;
  for (const Bytes& sealed : read.sealed_partials) {
    partials.push_back(
        open_escrow_partial(sealed, read.policy, read.wrapped, read.binding, read.doctor).value());
  }
  return open_escrow_wrapped_key(read.wrapped, read.binding, read.policy, partials).value();
}

void BM_EscrowCombine3(benchmark::State& state) {
  const EmergencyRead& read = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(unwrap_from_partials(read));
}
BENCHMARK(BM_EscrowCombine3)->Unit(benchmark::kMicrosecond);

// The same, then the digest check and decryption of the 1 MiB envelope: the whole client-side
// crypto of an emergency read.
void BM_EscrowEmergencyRead1MiB(benchmark::State& state) {
  const EmergencyRead& read = fixture();
  for (auto _ : state) {
    const ContentKey key = unwrap_from_partials(read);
    if (crypto::sha256(read.envelope) != read.binding.digest) state.SkipWithError("digest");
    benchmark::DoNotOptimize(decrypt(key, read.envelope).value());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * (1 << 20));
}
BENCHMARK(BM_EscrowEmergencyRead1MiB)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace medchain::records
