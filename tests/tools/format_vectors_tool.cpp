// Writes tests/data/format_vectors.json, the record-format vectors every client must pass
// (docs/format.md, "Test vectors"):
//   build/release/tests/format_vectors_tool > tests/data/format_vectors.json
// Keys are fixed (SHA-256 of a label) so a reader can see where they come from; the
// secretstream headers and the ephemeral keys of crypto_box_seal are random, so each run writes
// different ciphertexts, all equally valid. The file is committed; clients only decrypt it.
#include <iostream>
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
#include <stdexcept>

namespace {

using namespace medchain;
using namespace medchain::records;
using nlohmann::json;

constexpr std::size_t kInlinePlaintext = 1024;  // larger plaintexts are given by the pattern

Bytes pattern(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i % 251);
  return out;
}

ContentKey key_for(const std::string& label) {
  return ContentKey::from_view(crypto::sha256(as_bytes("medchain format vector " + label))).value();
}

json envelope_vector(std::size_t size) {
  const std::string name = "plaintext-" + std::to_string(size);
  const ContentKey key = key_for(name);
  const Bytes plaintext = pattern(size);
  const Bytes ciphertext = encrypt(key, plaintext);
  json vector = {{"name", name},
                 {"key", to_hex(key)},
                 {"plaintextSize", size},
                 {"plaintextSha256", to_hex(crypto::sha256(plaintext))},
                 {"ciphertext", to_hex(ciphertext)},
                 {"digest", to_hex(crypto::sha256(ciphertext))}};
  if (size <= kInlinePlaintext) vector["plaintext"] = to_hex(plaintext);
  return vector;
}

json document_vector(const std::string& name, const Manifest& manifest) {
  const ContentKey key = key_for(name);
  const std::uint64_t size = manifest.attachment ? manifest.attachment->size : 0;
  const Bytes document = encode_document(manifest, pattern(size)).value();
  const Bytes ciphertext = encrypt(key, document);
  return {{"name", name},
          {"key", to_hex(key)},
          {"manifest", manifest_to_json(manifest)},
          {"attachmentSize", size},
          {"documentSha256", to_hex(crypto::sha256(document))},
          {"ciphertext", to_hex(ciphertext)},
          {"digest", to_hex(crypto::sha256(ciphertext))}};
}

// A format 2 sealed key, bound to version `version` of a record whose id and digest derive from
// the name.
json sealed_vector(const std::string& name, const EncryptionKeyPair& recipient,
                   std::uint32_t version) {
  const ContentKey key = key_for(name);
  const KeyBinding binding{crypto::sha256(as_bytes("record id of " + name)), version,
                           crypto::sha256(as_bytes("ciphertext of " + name))};
  return {{"name", name},
          {"recipientSecret", to_hex(recipient.secret)},
          {"recipientPublic", to_hex(recipient.public_key)},
          {"contentKey", to_hex(key)},
          {"recordId", to_hex(binding.record_id)},
          {"version", binding.version},
          {"digest", to_hex(binding.digest)},
          {"sealed", to_hex(seal_content_key(key, binding, recipient.public_key))}};
}

EncryptionKeyPair pair_from_seed(const std::string& label) {
  EncryptionKeyPair pair;
  const Hash32 seed = crypto::sha256(as_bytes("medchain format vector " + label));
  std::copy(seed.bytes.begin(), seed.bytes.end(), pair.secret.bytes.begin());
  crypto_scalarmult_base(pair.public_key.data(), pair.secret.data());
  return pair;
}

// A mutation that makes the reader expect another record, version or digest (a sealed key's
// binding, or a blob's digest): a check fails rather than a decryption.
bool mutation_binds(const json& mutation) {
  return mutation.contains("recordId") || mutation.contains("version") ||
         mutation.contains("digest");
}

// A format 1 sealed key (the content key alone, 80 bytes), which readers still open for data
// written before format 2. Sealed here directly: the library writes only format 2.
json legacy_sealed_vector(const std::string& name, const EncryptionKeyPair& recipient) {
  const ContentKey key = key_for(name);
  Bytes sealed(kLegacySealedKeySize);
  crypto_box_seal(sealed.data(), key.data(), key.size(), recipient.public_key.data());
  return {{"name", name},
          {"recipientSecret", to_hex(recipient.secret)},
          {"recipientPublic", to_hex(recipient.public_key)},
          {"contentKey", to_hex(key)},
          {"sealed", to_hex(sealed)}};
}

// A salted text (docs/format.md, "Reasons and licences") with a salt derived from the name, its
// hash, and for a reason the note sealed to `recipient`.
json salted_text_vector(const std::string& name, const std::string& text,
                        const EncryptionKeyPair* recipient) {
  SaltedText salted{{}, text};
  const Hash32 seed = crypto::sha256(as_bytes("medchain format vector salt " + name));
  std::copy(seed.bytes.begin(), seed.bytes.end(), salted.salt.bytes.begin());
  json vector = {{"name", name},
                 {"salt", to_hex(salted.salt)},
                 {"text", text},
                 {"hash", to_hex(salted_hash(salted))}};
  if (recipient != nullptr) {
    vector["recipientSecret"] = to_hex(recipient->secret);
    vector["recipientPublic"] = to_hex(recipient->public_key);
    vector["sealed"] = to_hex(seal_reason_note(salted, recipient->public_key).value());
  }
  return vector;
}

json tamper(const std::string& name, const std::string& kind, const std::string& base,
            json mutation) {
  const char* error = mutation_binds(mutation) ? "check_failed" : "decrypt_failed";
  return {{"name", name},
          {"kind", kind},
          {"base", base},
          {"mutation", std::move(mutation)},
          {"error", error}};
}

json tamper_vectors() {
  const std::string big = "plaintext-200000";
  const std::size_t size = ciphertext_size(200000);
  const std::size_t chunk1 = kEnvelopeHeaderSize + kChunkCiphertext;
  return json::array({
      tamper("magic", "envelope", big, {{"flipByte", 0}}),
      tamper("header", "envelope", big, {{"flipByte", 10}}),
      tamper("first-chunk-body", "envelope", big, {{"flipByte", kEnvelopeHeaderSize + 5}}),
      tamper("first-chunk-mac", "envelope", big, {{"flipByte", chunk1 - 1}}),
      tamper("third-chunk", "envelope", big, {{"flipByte", chunk1 + kChunkCiphertext + 100}}),
      tamper("final-chunk-tag", "envelope", big, {{"flipByte", size - 1}}),
      tamper("truncated-at-chunk-boundary", "envelope", big, {{"truncateTo", chunk1}}),
      tamper("truncated-after-header", "envelope", big, {{"truncateTo", kEnvelopeHeaderSize}}),
      tamper("truncated-one-byte", "envelope", big, {{"truncateTo", size - 1}}),
      tamper("appended-byte", "envelope", big, {{"append", "0x00"}}),
      tamper("wrong-key", "envelope", big, {{"key", to_hex(key_for("wrong key"))}}),
      tamper("empty-truncated", "envelope", "plaintext-0", {{"truncateTo", 27}}),
      tamper("sealed-ephemeral-key", "sealedKey", "sealed-random-recipient", {{"flipByte", 3}}),
      tamper("sealed-body", "sealedKey", "sealed-random-recipient", {{"flipByte", 40}}),
      tamper("sealed-mac", "sealedKey", "sealed-random-recipient",
             {{"flipByte", kSealedKeySize - 1}}),
      tamper("sealed-for-another-record", "sealedKey", "sealed-random-recipient",
             {{"recordId", to_hex(crypto::sha256(as_bytes("another record")))}}),
      tamper("sealed-for-another-version", "sealedKey", "sealed-random-recipient",
             {{"version", 3}}),
      tamper("sealed-for-another-ciphertext", "sealedKey", "sealed-random-recipient",
             {{"digest", to_hex(crypto::sha256(as_bytes("another ciphertext")))}}),
      tamper("digest-of-another-blob", "digest", big,
             {{"digest", to_hex(crypto::sha256(as_bytes("another blob")))}}),
  });
}

// The account key of the docs' encryption-key vectors (anvil's first development account).
crypto::PrivateKey vector_account_key() {
  return crypto::parse_private_key(
             from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value())
      .value();
}

json encryption_key_vector(const std::string& name, const KeyDerivation& derivation) {
  const crypto::PrivateKey key = vector_account_key();
  const Address account = crypto::address_of(key);
  const eth::eip712::TypedData typed = encryption_key_typed_data(account, derivation);
  const Hash32 digest = eth::eip712::signing_hash(typed).value();
  const auto signature = crypto::sign_hash(key, digest).to_rsv();
  const EncryptionKeyPair pair =
      encryption_key_from_signature(account, derivation, signature).value();
  json vector = {{"name", name},
                 {"accountKey", to_hex(key)},
                 {"account", eth::to_checksum(account)},
                 {"format", derivation.format}};
  if (derivation.format == 2) {
    vector["chainId"] = derivation.deployment.chain_id;
    vector["contract"] = eth::to_checksum(derivation.deployment.contract);
    vector["generation"] = derivation.generation;
  }
  vector["typedData"] = {{"types", typed.types},
                         {"primaryType", typed.primary_type},
                         {"domain", typed.domain},
                         {"message", typed.message}};
  vector["digest"] = to_hex(digest);
  vector["signature"] = to_hex(signature);
  vector["secretKey"] = to_hex(pair.secret);
  vector["publicKey"] = to_hex(pair.public_key);
  return vector;
}

json encryption_key_vectors() {
  // medchain dev's chain and the first contract anvil's first account deploys there.
  const Deployment dev{
      31337, from_hex_fixed<Address>("0x5FbDB2315678afecb367f032d93F642f64180aa3").value()};
  const Deployment other_chain{1, dev.contract};
  const Deployment other_contract{
      31337, from_hex_fixed<Address>("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512").value()};
  return json::array({
      encryption_key_vector("format-1", KeyDerivation::format1()),
      encryption_key_vector("format-2-generation-0", KeyDerivation::format2(dev, 0)),
      encryption_key_vector("format-2-generation-1", KeyDerivation::format2(dev, 1)),
      encryption_key_vector("format-2-another-chain", KeyDerivation::format2(other_chain, 0)),
      encryption_key_vector("format-2-another-contract", KeyDerivation::format2(other_contract, 0)),
  });
}

json salted_text_vectors() {
  const EncryptionKeyPair patient = pair_from_seed("recipient");
  return json::array({
      salted_text_vector("reason-follow-up", "Follow-up of the blood test", &patient),
      salted_text_vector("reason-utf8", "Kontrolle nach Operation \u2014 Dr. M\u00fcller",
                         &patient),
      salted_text_vector("reason-empty-text", "", &patient),
      salted_text_vector("license", "GMC 7654321", nullptr),
  });
}

// A record summary (docs/format.md, "Record summaries") sealed with a nonce derived from the
// name, so the vector is reproducible and a client can check its sealing byte for byte.
json summary_vector(const std::string& name, const RecordSummary& summary, std::uint32_t version) {
  const ContentKey key = key_for(name);
  const KeyBinding binding{crypto::sha256(as_bytes("record id of " + name)), version,
                           crypto::sha256(as_bytes("ciphertext of " + name))};
  SummaryNonce nonce;
  const Hash32 seed = crypto::sha256(as_bytes("medchain format vector nonce " + name));
  std::copy_n(seed.bytes.begin(), nonce.size(), nonce.bytes.begin());
  const Bytes plaintext = encode_summary(summary).value();
  json fields = {{"title", summary.title}, {"kind", summary.kind}};
  if (!summary.date.empty()) fields["date"] = summary.date;
  if (!summary.author_name.empty()) fields["authorName"] = summary.author_name;
  return {{"name", name},
          {"contentKey", to_hex(key)},
          {"summaryKey", to_hex(summary_key(key))},
          {"recordId", to_hex(binding.record_id)},
          {"version", binding.version},
          {"digest", to_hex(binding.digest)},
          {"nonce", to_hex(nonce)},
          {"summary", fields},
          {"plaintext", std::string(plaintext.begin(), plaintext.end())},
          {"sealed", to_hex(seal_summary(summary, key, binding, nonce).value())}};
}

json summary_vectors() {
  return json::array({
      summary_vector("summary-observation",
                     {"Glucose [Mass/volume] in Serum or Plasma", "2026-03-14", "Observation",
                      "Dr. Alice Example"},
                     1),
      summary_vector("summary-utf8-datetime",
                     {"Kontrolle nach Operation \u2014 \"R\u00f6ntgen\" \\ links",
                      "2026-03-14T09:30:00+01:00", "image/png", "Dr. M\u00fcller"},
                     3),
      summary_vector("summary-minimal", {"Allergy: penicillin", "", "AllergyIntolerance", ""}, 2),
  });
}

// Plaintexts every reader must refuse even though they decrypt (the author wrote a bad one).
json summary_rejects() {
  const auto reject = [](const std::string& name, const std::string& plaintext) {
    return json{{"name", name}, {"plaintext", plaintext}};
  };
  return json::array({
      reject("not-json", "title: x"),
      reject("other-format", R"({"kind":"Observation","medchain":"summary/2","title":"x"})"),
      reject("no-title", R"({"kind":"Observation","medchain":"summary/1"})"),
      reject("empty-title", R"({"kind":"Observation","medchain":"summary/1","title":""})"),
      reject("bad-date",
             R"({"date":"14.03.2026","kind":"Observation","medchain":"summary/1","title":"x"})"),
      reject("bad-month",
             R"({"date":"2026-13-01","kind":"Observation","medchain":"summary/1","title":"x"})"),
      reject("bad-kind", R"({"kind":"Obs ervation","medchain":"summary/1","title":"x"})"),
      reject("unknown-member",
             R"({"kind":"Observation","medchain":"summary/1","title":"x","x":"y"})"),
      reject("number-title", R"({"kind":"Observation","medchain":"summary/1","title":7})"),
      reject("control-character",
             "{\"kind\":\"Observation\",\"medchain\":\"summary/1\",\"title\":\"a\\nb\"}"),
      reject("title-too-long", R"({"kind":"Observation","medchain":"summary/1","title":")" +
                                   std::string(201, 'x') + R"("})"),
  });
}

// A scalar from a label: SHA-512("medchain format vector " + label) reduced mod L.
RistrettoScalar scalar_for(const std::string& label) {
  const std::string text = "medchain format vector " + label;
  std::array<std::uint8_t, crypto_hash_sha512_BYTES> wide{};
  crypto_hash_sha512(wide.data(), reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  RistrettoScalar s;
  crypto_core_ristretto255_scalar_reduce(s.data(), wide.data());
  return s;
}

Bytes open_sealed(ByteView sealed, const EncryptionKeyPair& mine) {
  Bytes plain(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), mine.public_key.data(),
                           mine.secret.data()) != 0) {
    throw std::runtime_error("a vector's sealed box does not open");
  }
  return plain;
}

// A 2-of-3 escrow of the docs' account with coefficients, custodians, doctor and ephemeral
// scalars derived from labels; only the seals are random (docs/format.md, "Emergency escrow").
json escrow_vectors() {
  const Address patient = crypto::address_of(vector_account_key());
  const std::vector<RistrettoScalar> coefficients = {scalar_for("escrow coefficient 0"),
                                                     scalar_for("escrow coefficient 1")};
  std::vector<EncryptionKeyPair> custodians;
  std::vector<X25519PublicKey> custodian_keys;
  for (int i = 1; i <= 3; ++i) {
    custodians.push_back(pair_from_seed("escrow custodian " + std::to_string(i)));
    custodian_keys.push_back(custodians.back().public_key);
  }
  const EscrowDealing dealing =
      deal_escrow_from_coefficients(patient, coefficients, custodian_keys).value();
  const EscrowPolicy& policy = dealing.policy;
  const EncryptionKeyPair doctor = pair_from_seed("escrow doctor");

  json out = {{"patient", eth::to_checksum(patient)},
              {"threshold", policy.threshold},
              {"custodianCount", policy.custodian_count},
              {"coefficients", json::array()},
              {"commitments", json::array()},
              {"escrowKey", to_hex(policy.escrow_key())},
              {"doctorSecret", to_hex(doctor.secret)},
              {"doctorPublic", to_hex(doctor.public_key)},
              {"shares", json::array()},
              {"wraps", json::array()}};
  for (const auto& a : coefficients) out["coefficients"].push_back(to_hex(a));
  for (const auto& c : policy.commitments) out["commitments"].push_back(to_hex(c));
  std::vector<EscrowShare> shares;
  for (std::uint8_t i = 1; i <= 3; ++i) {
    const Bytes& sealed = dealing.sealed_shares[i - 1];
    shares.push_back(open_escrow_share(sealed, policy, i, custodians[i - 1]).value());
    RistrettoPoint image;
    if (crypto_scalarmult_ristretto255_base(image.data(), shares.back().secret.data()) != 0) {
      throw std::runtime_error("a zero share");
    }
    out["shares"].push_back({{"index", i},
                             {"custodianSecret", to_hex(custodians[i - 1].secret)},
                             {"custodianPublic", to_hex(custodians[i - 1].public_key)},
                             {"share", to_hex(shares.back().secret)},
                             {"shareImage", to_hex(image)},
                             {"plaintext", to_hex(open_sealed(sealed, custodians[i - 1]))},
                             {"sealed", to_hex(sealed)}});
  }
  // Two versions of one record: a partial of one must not open the other.
  for (std::uint32_t version : {1u, 2u}) {
    const std::string name = "escrow-version-" + std::to_string(version);
    const ContentKey key = key_for(name);
    const KeyBinding binding{crypto::sha256(as_bytes("record id of escrow")), version,
                             crypto::sha256(as_bytes("ciphertext of " + name))};
    const RistrettoScalar ephemeral = scalar_for("escrow ephemeral " + std::to_string(version));
    const Bytes wrapped =
        wrap_for_escrow_with_ephemeral(key, binding, policy.escrow_key(), ephemeral).value();
    json partials = json::array();
    for (std::uint8_t i = 1; i <= 3; ++i) {
      const Bytes sealed =
          make_escrow_partial(shares[i - 1], policy, wrapped, binding, doctor.public_key).value();
      const EscrowPartial opened =
          open_escrow_partial(sealed, policy, wrapped, binding, doctor).value();
      partials.push_back({{"index", i},
                          {"point", to_hex(opened.point)},
                          {"plaintext", to_hex(open_sealed(sealed, doctor))},
                          {"sealed", to_hex(sealed)}});
    }
    RistrettoPoint shared;
    if (crypto_scalarmult_ristretto255(shared.data(), ephemeral.data(),
                                       policy.escrow_key().data()) != 0) {
      throw std::runtime_error("r·E is the identity");
    }
    out["wraps"].push_back({{"name", name},
                            {"contentKey", to_hex(key)},
                            {"recordId", to_hex(binding.record_id)},
                            {"version", binding.version},
                            {"digest", to_hex(binding.digest)},
                            {"ephemeral", to_hex(ephemeral)},
                            {"sharedPoint", to_hex(shared)},
                            {"wrapped", to_hex(wrapped)},
                            {"partials", partials}});
  }
  return out;
}

}  // namespace

// With "--section NAME", prints only that member of the file (to add a new format's vectors
// without rewriting the random ciphertexts of the others).
int main(int argc, char** argv) {
  json envelopes = json::array();
  for (std::size_t size : {0, 1, 65535, 65536, 65537, 200000}) {
    envelopes.push_back(envelope_vector(size));
  }
  const json observation = {
      {"resourceType", "Observation"},
      {"status", "final"},
      {"category",
       {{{"coding",
          {{{"system", "http://terminology.hl7.org/CodeSystem/observation-category"},
            {"code", "laboratory"}}}}}}},
      {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "2345-7"}}}}}},
      {"valueQuantity", {{"value", 95}, {"unit", "mg/dL"}}}};
  const Attachment xray{"image/png", 70000, "xray.png"};
  const json documents = json::array({
      document_vector("observation", {observation, std::nullopt}),
      document_vector("xray-png", {fhir::document_reference_for(xray), xray}),
  });
  // The first recipient is the docs' encryption-key vector (account 0xf39F…2266).
  const crypto::PrivateKey account = vector_account_key();
  const json sealed = json::array({
      sealed_vector("sealed-account-0xf39F",
                    derive_encryption_key(account, KeyDerivation::format1()), 1),
      sealed_vector("sealed-random-recipient", pair_from_seed("recipient"), 2),
  });
  const json out = {
      {"description",
       "medchain record format (docs/format.md): encryption keys (formats 1 and 2), envelopes v1, "
       "sealed keys v2 (legacySealedKeys: "
       "v1), salted reasons and licences. Every salted text's hash is keccak256(salt ‖ text), "
       "and a sealed reason opens to \"MCN1\" ‖ salt ‖ text. Every envelope and document must "
       "decrypt "
       "to the plaintext given, every sealed key must open to contentKey, every tampered case "
       "must fail. Hex is 0x-prefixed."},
      {"plaintextPattern", "byte i of a plaintext or attachment given by size is i mod 251"},
      {"chunkPlaintext", kChunkPlaintext},
      {"encryptionKeys", encryption_key_vectors()},
      {"envelopes", envelopes},
      {"documents", documents},
      {"sealedKeys", sealed},
      {"legacySealedKeys",
       json::array({legacy_sealed_vector("legacy-random-recipient", pair_from_seed("recipient"))})},
      {"tampered", tamper_vectors()},
      {"saltedTexts", salted_text_vectors()},
      {"escrow", escrow_vectors()},
      {"summaries", summary_vectors()},
      {"summaryRejects", summary_rejects()},
  };
  if (argc == 3 && std::string(argv[1]) == "--section") {
    if (!out.contains(argv[2])) {
      std::cerr << "no section " << argv[2] << '\n';
      return 2;
    }
    std::cout << out[argv[2]].dump(2) << '\n';
    return 0;
  }
  std::cout << out.dump(2) << '\n';
  return 0;
}
