// What a custodian and a doctor parse from other parties in the emergency escrow
// (docs/format.md, "Emergency escrow"): a share's and a partial's plaintext (sealed here, so that
// the fuzzer's bytes reach the parser rather than failing the box) and a wrapped key, each the
// genuine one XOR the fuzzer's bytes (so an input of zeros is genuine and the checks behind the
// fixed headers are reached). The first byte picks the target. Nothing
// may crash, and whatever is accepted must be the truth: an accepted share is the dealt one, an
// accepted partial is s_i·R (its proof is sound), an unwrapped key is the wrapped one.
#include <cstdint>
#include <cstdlib>
#include <medchain/crypto/sha256.hpp>
#include <medchain/records/escrow.hpp>
#include <string>

namespace {

using namespace medchain;
using namespace medchain::records;

RistrettoScalar scalar_for(const std::string& label) {
  std::array<std::uint8_t, crypto_hash_sha512_BYTES> wide{};
  crypto_hash_sha512(wide.data(), reinterpret_cast<const std::uint8_t*>(label.data()),
                     label.size());
  RistrettoScalar s;
  crypto_core_ristretto255_scalar_reduce(s.data(), wide.data());
  return s;
}

EncryptionKeyPair pair_for(const std::string& label) {
  EncryptionKeyPair pair;
  const Hash32 seed = crypto::sha256(as_bytes(label));
  std::copy(seed.bytes.begin(), seed.bytes.end(), pair.secret.bytes.begin());
  crypto_scalarmult_base(pair.public_key.data(), pair.secret.data());
  return pair;
}

Bytes mixed(Bytes genuine, const Bytes& input) {
  for (std::size_t i = 0; i < genuine.size() && i < input.size(); ++i) genuine[i] ^= input[i];
  return genuine;
}

Bytes open_box(const Bytes& sealed, const EncryptionKeyPair& mine) {
  Bytes plain(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), mine.public_key.data(),
                           mine.secret.data()) != 0) {
    std::abort();
  }
  return plain;
}

Bytes sealed_to(const Bytes& plain, const X25519PublicKey& to) {
  Bytes sealed(plain.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(sealed.data(), plain.data(), plain.size(), to.data()) != 0) std::abort();
  return sealed;
}

struct Fixture {
  std::vector<EncryptionKeyPair> custodians;
  EncryptionKeyPair doctor = pair_for("fuzz doctor");
  EscrowPolicy policy;
  std::vector<EscrowShare> shares;
  ContentKey key;
  KeyBinding binding{crypto::sha256(as_bytes("fuzz record")), 1,
                     crypto::sha256(as_bytes("fuzz ciphertext"))};
  Bytes wrapped;
  std::vector<EscrowPartial> partials;
  Bytes share_plain;
  std::vector<Bytes> partial_plains;

  Fixture() {
    if (sodium_init() < 0) std::abort();
    std::vector<X25519PublicKey> keys;
    for (int i = 1; i <= 3; ++i) {
      custodians.push_back(pair_for("fuzz custodian " + std::to_string(i)));
      keys.push_back(custodians.back().public_key);
    }
    const std::vector<RistrettoScalar> coefficients = {scalar_for("a0"), scalar_for("a1")};
    const EscrowDealing dealing =
        deal_escrow_from_coefficients(Address{}, coefficients, keys).value();
    policy = dealing.policy;
    share_plain = open_box(dealing.sealed_shares[0], custodians[0]);
    for (std::uint8_t i = 1; i <= 3; ++i) {
      shares.push_back(
          open_escrow_share(dealing.sealed_shares[i - 1], policy, i, custodians[i - 1]).value());
    }
    key.bytes.fill(0x42);
    wrapped =
        wrap_for_escrow_with_ephemeral(key, binding, policy.escrow_key(), scalar_for("r")).value();
    for (std::uint8_t i = 1; i <= 3; ++i) {
      const Bytes sealed =
          make_escrow_partial(shares[i - 1], policy, wrapped, binding, doctor.public_key).value();
      partials.push_back(open_escrow_partial(sealed, policy, wrapped, binding, doctor).value());
      partial_plains.push_back(open_box(sealed, doctor));
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  if (size == 0) return 0;
  const Bytes input(data + 1, data + size);
  switch (data[0] % 3) {
    case 0: {  // a custodian opens a share
      const Bytes sealed = sealed_to(mixed(f.share_plain, input), f.custodians[0].public_key);
      auto share = open_escrow_share(sealed, f.policy, 1, f.custodians[0]);
      if (share && share->secret != f.shares[0].secret) std::abort();
      break;
    }
    case 1: {  // the doctor opens a partial
      const Bytes& genuine = f.partial_plains[(data[0] / 3) % 3];
      const Bytes sealed = sealed_to(mixed(genuine, input), f.doctor.public_key);
      auto partial = open_escrow_partial(sealed, f.policy, f.wrapped, f.binding, f.doctor);
      if (partial && partial->point != f.partials[partial->index - 1].point) std::abort();
      break;
    }
    default: {  // a custodian answers for, and the doctor unwraps, a wrapped key
      const Bytes wrapped = mixed(f.wrapped, input);
      (void)make_escrow_partial(f.shares[0], f.policy, wrapped, f.binding, f.doctor.public_key);
      auto key = open_escrow_wrapped_key(wrapped, f.binding, f.policy, f.partials);
      if (key && *key != f.key) std::abort();
      break;
    }
  }
  return 0;
}
