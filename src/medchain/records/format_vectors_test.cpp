// The committed vectors (tests/data/format_vectors.json) that every client (the web app too)
// must pass, checked against this implementation.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/document.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/records/envelope.hpp>
#include <medchain/records/escrow.hpp>
#include <medchain/records/fhir.hpp>
#include <medchain/records/salted_text.hpp>
#include <medchain/records/summary.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace medchain::records {
namespace {

using nlohmann::json;

const json& vectors() {
  static const json kVectors = [] {
    std::ifstream file(std::string(MEDCHAIN_TESTDATA_DIR) + "/format_vectors.json");
    std::stringstream text;
    text << file.rdbuf();
    return json::parse(text.str());
  }();
  return kVectors;
}

Bytes hex(const json& value) {
  return from_hex(value.get<std::string>()).value();
}
ContentKey key_of(const json& value) {
  return from_hex_fixed<ContentKey>(value.get<std::string>()).value();
}

Bytes pattern(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i % 251);
  return out;
}

const json& named(const char* list, const std::string& name) {
  for (const json& vector : vectors()[list]) {
    if (vector["name"] == name) return vector;
  }
  throw std::runtime_error("no vector " + name);
}

// The key from the vector's derivation (format 1, or format 2 with its chain, contract and
// generation): the typed data as given, its digest, the signature and both halves of the key.
TEST(FormatVectors, EncryptionKeysDerive) {
  ASSERT_GE(vectors()["encryptionKeys"].size(), 5u);
  for (const json& vector : vectors()["encryptionKeys"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const crypto::PrivateKey key = crypto::parse_private_key(hex(vector["accountKey"])).value();
    const Address account = crypto::address_of(key);
    EXPECT_EQ(eth::to_checksum(account), vector["account"]);
    const KeyDerivation derivation =
        vector["format"] == 1
            ? KeyDerivation::format1()
            : KeyDerivation::format2(
                  {vector["chainId"].get<std::uint64_t>(),
                   from_hex_fixed<Address>(vector["contract"].get<std::string>()).value()},
                  vector["generation"].get<std::uint32_t>());
    const eth::eip712::TypedData typed = encryption_key_typed_data(account, derivation);
    EXPECT_EQ(typed.domain, vector["typedData"]["domain"]);
    EXPECT_EQ(typed.message, vector["typedData"]["message"]);
    EXPECT_EQ(typed.types, vector["typedData"]["types"]);
    EXPECT_EQ(to_hex(eth::eip712::signing_hash(typed).value()), vector["digest"]);
    const EncryptionKeyPair pair =
        encryption_key_from_signature(account, derivation, hex(vector["signature"])).value();
    EXPECT_EQ(to_hex(pair.secret), vector["secretKey"]);
    EXPECT_EQ(to_hex(pair.public_key), vector["publicKey"]);
    EXPECT_EQ(to_hex(derive_encryption_key(key, derivation).public_key), vector["publicKey"]);
  }
  // Every derivation gives another key: a site or deployment that asks for another message
  // cannot obtain this one.
  std::set<std::string> keys;
  for (const json& vector : vectors()["encryptionKeys"]) keys.insert(vector["publicKey"]);
  EXPECT_EQ(keys.size(), vectors()["encryptionKeys"].size());
  EXPECT_EQ(named("encryptionKeys", "format-1")["publicKey"],
            named("sealedKeys", "sealed-account-0xf39F")["recipientPublic"]);
}

TEST(FormatVectors, CoverTheChunkBoundaries) {
  std::vector<std::size_t> sizes;
  for (const json& vector : vectors()["envelopes"]) sizes.push_back(vector["plaintextSize"]);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{0, 1, 65535, 65536, 65537, 200000}));
}

TEST(FormatVectors, EnvelopesDecrypt) {
  for (const json& vector : vectors()["envelopes"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const Bytes ciphertext = hex(vector["ciphertext"]);
    const std::size_t size = vector["plaintextSize"];
    EXPECT_EQ(ciphertext.size(), ciphertext_size(size));
    EXPECT_EQ(to_hex(crypto::sha256(ciphertext)), vector["digest"]);
    const Bytes plaintext = decrypt(key_of(vector["key"]), ciphertext).value();
    EXPECT_EQ(plaintext, pattern(size));
    EXPECT_EQ(to_hex(crypto::sha256(plaintext)), vector["plaintextSha256"]);
    if (vector.contains("plaintext")) {
      EXPECT_EQ(to_hex(plaintext), vector["plaintext"]);
    }
  }
}

TEST(FormatVectors, DocumentsDecryptToManifestAndAttachment) {
  for (const json& vector : vectors()["documents"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const Bytes ciphertext = hex(vector["ciphertext"]);
    EXPECT_EQ(to_hex(crypto::sha256(ciphertext)), vector["digest"]);
    const Bytes document = decrypt(key_of(vector["key"]), ciphertext).value();
    EXPECT_EQ(to_hex(crypto::sha256(document)), vector["documentSha256"]);
    const DecodedDocument decoded = decode_document(document).value();
    EXPECT_EQ(manifest_to_json(decoded.manifest), vector["manifest"]);
    EXPECT_EQ(decoded.attachment, pattern(vector["attachmentSize"]));
    EXPECT_TRUE(fhir::validate_manifest(decoded.manifest).ok());
  }
}

EncryptionKeyPair recipient_of(const json& vector) {
  EncryptionKeyPair recipient;
  recipient.secret =
      from_hex_fixed<X25519SecretKey>(vector["recipientSecret"].get<std::string>()).value();
  recipient.public_key =
      from_hex_fixed<X25519PublicKey>(vector["recipientPublic"].get<std::string>()).value();
  return recipient;
}

// The binding a sealed-key vector was made for, with a tampered case's replacements.
KeyBinding binding_of(const json& vector, const json& mutation = json::object()) {
  const auto field = [&](const char* name) -> const json& {
    return mutation.contains(name) ? mutation[name] : vector[name];
  };
  return {from_hex_fixed<Hash32>(field("recordId").get<std::string>()).value(),
          field("version").get<std::uint32_t>(),
          from_hex_fixed<Hash32>(field("digest").get<std::string>()).value()};
}

TEST(FormatVectors, SealedKeysOpen) {
  for (const json& vector : vectors()["sealedKeys"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const EncryptionKeyPair recipient = recipient_of(vector);
    X25519PublicKey derived;
    ASSERT_EQ(crypto_scalarmult_base(derived.data(), recipient.secret.data()), 0);
    EXPECT_EQ(derived, recipient.public_key);
    const Bytes sealed = hex(vector["sealed"]);
    EXPECT_EQ(sealed.size(), kSealedKeySize);
    EXPECT_EQ(open_content_key(sealed, binding_of(vector), recipient).value(),
              key_of(vector["contentKey"]));
  }
  // The first recipient is the account of the encryption-key vector in docs/format.md.
  EXPECT_EQ(named("sealedKeys", "sealed-account-0xf39F")["recipientPublic"],
            "0x8337d0b65ee06bdf968a44291178ae5ff5563e5ce12fda371091ca0bbf13a563");
}

// Format 1 keys carry no binding; they open whatever the reader expects (the ciphertext's
// digest is still checked against the chain).
TEST(FormatVectors, LegacySealedKeysStillOpen) {
  for (const json& vector : vectors()["legacySealedKeys"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const Bytes sealed = hex(vector["sealed"]);
    EXPECT_EQ(sealed.size(), kLegacySealedKeySize);
    EXPECT_EQ(open_content_key(sealed, KeyBinding{}, recipient_of(vector)).value(),
              key_of(vector["contentKey"]));
  }
}

Bytes mutate(Bytes bytes, const json& mutation) {
  if (mutation.contains("flipByte")) bytes.at(mutation["flipByte"].get<std::size_t>()) ^= 0x01;
  if (mutation.contains("truncateTo")) bytes.resize(mutation["truncateTo"].get<std::size_t>());
  if (mutation.contains("append")) {
    const Bytes extra = hex(mutation["append"]);
    bytes.insert(bytes.end(), extra.begin(), extra.end());
  }
  return bytes;
}

TEST(FormatVectors, TamperedCasesFail) {
  for (const json& vector : vectors()["tampered"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const json& mutation = vector["mutation"];
    const std::string kind = vector["kind"];
    Errc failure = Errc::kInvalidArgument;
    if (kind == "envelope") {
      const json& base = named("envelopes", vector["base"]);
      const ContentKey key = key_of(mutation.contains("key") ? mutation["key"] : base["key"]);
      const auto result = decrypt(key, mutate(hex(base["ciphertext"]), mutation));
      ASSERT_FALSE(result.ok());
      failure = result.error().code;
    } else if (kind == "sealedKey") {
      const json& base = named("sealedKeys", vector["base"]);
      const auto result = open_content_key(mutate(hex(base["sealed"]), mutation),
                                           binding_of(base, mutation), recipient_of(base));
      ASSERT_FALSE(result.ok());
      failure = result.error().code;
    } else {
      ASSERT_EQ(kind, "digest");
      // A client checks the downloaded blob against the digest the chain holds.
      const json& base = named("envelopes", vector["base"]);
      const Hash32 actual = crypto::sha256(hex(base["ciphertext"]));
      ASSERT_NE(to_hex(actual), mutation["digest"]);
      failure = Errc::kCheckFailed;
    }
    EXPECT_EQ(errc_name(failure), vector["error"].get<std::string>());
  }
}

// Reasons and licences: the hash of each salted text, and each sealed reason opening to its salt
// and text with the recipient's key, checked against its own hash and refused against another's.
TEST(FormatVectors, SaltedTextsHashAndSealedReasonsOpen) {
  ASSERT_GE(vectors()["saltedTexts"].size(), 4u);
  for (const json& vector : vectors()["saltedTexts"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    SaltedText salted{from_hex_fixed<Salt>(vector["salt"].get<std::string>()).value(),
                      vector["text"].get<std::string>()};
    const Hash32 hash = salted_hash(salted);
    EXPECT_EQ(to_hex(hash), vector["hash"]);
    if (!vector.contains("sealed")) continue;
    const EncryptionKeyPair patient = recipient_of(vector);
    const auto opened = open_reason_note(hex(vector["sealed"]), hash, std::span(&patient, 1));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->salt, salted.salt);
    EXPECT_EQ(opened->text, salted.text);
    Hash32 other = hash;
    other.bytes[0] ^= 1;
    const auto refused = open_reason_note(hex(vector["sealed"]), other, std::span(&patient, 1));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::kCheckFailed);
  }
}

// Each summary reseals byte for byte from its key, binding and nonce, opens to its members, and
// is refused for the next version; each reject fails to decode.
TEST(FormatVectors, SummariesSealAndOpen) {
  ASSERT_GE(vectors()["summaries"].size(), 3u);
  for (const json& vector : vectors()["summaries"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    const ContentKey key = key_of(vector["contentKey"]);
    EXPECT_EQ(to_hex(summary_key(key)), vector["summaryKey"]);
    const KeyBinding binding{from_hex_fixed<Hash32>(vector["recordId"].get<std::string>()).value(),
                             vector["version"].get<std::uint32_t>(),
                             from_hex_fixed<Hash32>(vector["digest"].get<std::string>()).value()};
    const json& fields = vector["summary"];
    const RecordSummary expected{fields.value("title", ""), fields.value("date", ""),
                                 fields.value("kind", ""), fields.value("authorName", "")};
    const Bytes plaintext = encode_summary(expected).value();
    EXPECT_EQ(std::string(plaintext.begin(), plaintext.end()), vector["plaintext"]);
    const auto nonce = from_hex_fixed<SummaryNonce>(vector["nonce"].get<std::string>()).value();
    EXPECT_EQ(to_hex(seal_summary(expected, key, binding, nonce).value()), vector["sealed"]);
    const auto opened = open_summary(hex(vector["sealed"]), key, binding);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, expected);
    KeyBinding next = binding;
    next.version += 1;
    EXPECT_EQ(open_summary(hex(vector["sealed"]), key, next).error().code, Errc::kDecryptFailed);
  }
  ASSERT_GE(vectors()["summaryRejects"].size(), 10u);
  for (const json& reject : vectors()["summaryRejects"]) {
    SCOPED_TRACE(reject["name"].get<std::string>());
    const std::string text = reject["plaintext"].get<std::string>();
    EXPECT_FALSE(decode_summary(as_bytes(text)).ok());
  }
}

EncryptionKeyPair pair_of(const json& secret, const json& public_key) {
  return {from_hex_fixed<X25519SecretKey>(secret.get<std::string>()).value(),
          from_hex_fixed<X25519PublicKey>(public_key.get<std::string>()).value()};
}

Bytes open_sealed(const json& sealed, const EncryptionKeyPair& mine) {
  const Bytes box = hex(sealed);
  Bytes plain(box.size() - crypto_box_SEALBYTES);
  EXPECT_EQ(crypto_box_seal_open(plain.data(), box.data(), box.size(), mine.public_key.data(),
                                 mine.secret.data()),
            0);
  return plain;
}

// The escrow vectors: the dealing from the given coefficients reproduces the commitments and the
// shares (plaintexts; the seals are random), wrapping with the given ephemeral reproduces the
// wrapped keys byte for byte, every partial is what the custodian computes, any 2 of the 3
// partials open the content key, and a partial of one version is refused for the other.
TEST(FormatVectors, EscrowReproducesAndOpens) {
  const json& escrow = vectors()["escrow"];
  std::vector<RistrettoScalar> coefficients;
  for (const json& a : escrow["coefficients"]) {
    coefficients.push_back(from_hex_fixed<RistrettoScalar>(a.get<std::string>()).value());
  }
  std::vector<EncryptionKeyPair> custodians;
  std::vector<X25519PublicKey> custodian_keys;
  for (const json& share : escrow["shares"]) {
    custodians.push_back(pair_of(share["custodianSecret"], share["custodianPublic"]));
    custodian_keys.push_back(custodians.back().public_key);
  }
  const Address patient = from_hex_fixed<Address>(escrow["patient"].get<std::string>()).value();
  const EscrowDealing dealing =
      deal_escrow_from_coefficients(patient, coefficients, custodian_keys).value();
  const EscrowPolicy& policy = dealing.policy;
  ASSERT_EQ(policy.threshold, escrow["threshold"].get<int>());
  ASSERT_EQ(policy.custodian_count, escrow["custodianCount"].get<int>());
  ASSERT_EQ(to_hex(policy.escrow_key()), escrow["escrowKey"]);
  for (std::size_t j = 0; j < policy.commitments.size(); ++j) {
    EXPECT_EQ(to_hex(policy.commitments[j]), escrow["commitments"][j]);
  }
  std::vector<EscrowShare> shares;
  for (const json& vector : escrow["shares"]) {
    const auto index = vector["index"].get<std::uint8_t>();
    SCOPED_TRACE("share " + std::to_string(index));
    const EscrowShare share =
        open_escrow_share(hex(vector["sealed"]), policy, index, custodians[index - 1]).value();
    EXPECT_EQ(to_hex(share.secret), vector["share"]);
    EXPECT_EQ(to_hex(open_sealed(vector["sealed"], custodians[index - 1])), vector["plaintext"]);
    EXPECT_EQ(to_hex(open_sealed(to_hex(dealing.sealed_shares[index - 1]), custodians[index - 1])),
              vector["plaintext"]);
    shares.push_back(share);
  }
  const EncryptionKeyPair doctor = pair_of(escrow["doctorSecret"], escrow["doctorPublic"]);
  const json& wraps = escrow["wraps"];
  ASSERT_EQ(wraps.size(), 2u);
  for (const json& wrap : wraps) {
    SCOPED_TRACE(wrap["name"].get<std::string>());
    const KeyBinding binding = binding_of(wrap);
    const Bytes wrapped = hex(wrap["wrapped"]);
    EXPECT_EQ(wrapped,
              wrap_for_escrow_with_ephemeral(
                  key_of(wrap["contentKey"]), binding, policy.escrow_key(),
                  from_hex_fixed<RistrettoScalar>(wrap["ephemeral"].get<std::string>()).value())
                  .value());
    std::vector<EscrowPartial> partials;
    for (const json& vector : wrap["partials"]) {
      const auto index = vector["index"].get<std::uint8_t>();
      partials.push_back(
          open_escrow_partial(hex(vector["sealed"]), policy, wrapped, binding, doctor).value());
      EXPECT_EQ(to_hex(partials.back().point), vector["point"]);
      EXPECT_EQ(to_hex(open_sealed(vector["sealed"], doctor)), vector["plaintext"]);
      const Bytes again =
          make_escrow_partial(shares[index - 1], policy, wrapped, binding, doctor.public_key)
              .value();
      EXPECT_EQ(to_hex(open_sealed(to_hex(again), doctor)), vector["plaintext"]);
    }
    for (std::size_t a = 0; a < 3; ++a) {
      const std::vector<EscrowPartial> pair = {partials[a], partials[(a + 1) % 3]};
      EXPECT_EQ(open_escrow_wrapped_key(wrapped, binding, policy, pair).value(),
                key_of(wrap["contentKey"]));
      const std::vector<EscrowPartial> one = {partials[a]};
      EXPECT_EQ(open_escrow_wrapped_key(wrapped, binding, policy, one).error().code,
                Errc::kDecryptFailed);
    }
  }
  // Custodian 1's partial for version 1, presented for version 2.
  const auto mixed = open_escrow_partial(hex(wraps[0]["partials"][0]["sealed"]), policy,
                                         hex(wraps[1]["wrapped"]), binding_of(wraps[1]), doctor);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().code, Errc::kCheckFailed);
}

}  // namespace
}  // namespace medchain::records
