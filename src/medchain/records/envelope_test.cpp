#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/records/envelope.hpp>
#include <vector>

namespace medchain::records {
namespace {

Bytes pattern(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i % 251);
  return out;
}

// Decrypts in pieces of `piece` bytes, to exercise every way a stream can be cut.
Result<Bytes> decrypt_in_pieces(const ContentKey& key, ByteView envelope, std::size_t piece) {
  Decryptor decryptor(key);
  Bytes plaintext;
  const PlaintextSink append = [&](ByteView part) -> Status {
    EXPECT_LE(part.size(), kChunkPlaintext);
    plaintext.insert(plaintext.end(), part.begin(), part.end());
    return {};
  };
  for (std::size_t at = 0; at < envelope.size(); at += piece) {
    MEDCHAIN_TRY_STATUS(
        decryptor.update(envelope.subspan(at, std::min(piece, envelope.size() - at)), append));
  }
  MEDCHAIN_TRY_STATUS(decryptor.finish(append));
  return plaintext;
}

class EnvelopeSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(EnvelopeSizes, RoundTripsWithTheAnnouncedSize) {
  const ContentKey key = new_content_key();
  const Bytes plaintext = pattern(GetParam());
  const Bytes envelope = encrypt(key, plaintext);
  EXPECT_EQ(envelope.size(), ciphertext_size(plaintext.size()));
  EXPECT_TRUE(std::equal(kEnvelopeMagic.begin(), kEnvelopeMagic.end(), envelope.begin()));
  EXPECT_EQ(decrypt(key, envelope).value(), plaintext);
  EXPECT_EQ(decrypt_in_pieces(key, envelope, 7919).value(), plaintext);
  EXPECT_EQ(decrypt_in_pieces(key, envelope, kChunkCiphertext).value(), plaintext);
}

INSTANTIATE_TEST_SUITE_P(ChunkBoundaries, EnvelopeSizes,
                         ::testing::Values(0, 1, 65535, 65536, 65537, 131072, 200000,
                                           3 * 1024 * 1024 + 5));

TEST(Envelope, CiphertextSizeCountsAFinalChunkEvenWhenEmpty) {
  EXPECT_EQ(ciphertext_size(0), 28u + 17u);
  EXPECT_EQ(ciphertext_size(65535), 28u + 65535u + 17u);
  EXPECT_EQ(ciphertext_size(65536), 28u + 65536u + 34u);
  EXPECT_EQ(ciphertext_size(std::uint64_t{1} << 30), 28u + (1u << 30) + 17u * 16385u);
}

TEST(Envelope, PiecewiseEncryptionEqualsACopiedStateAndIsFreshPerEncryptor) {
  const ContentKey key = new_content_key();
  const Bytes plaintext = pattern(200000);
  Encryptor first(key);
  Encryptor again = first;  // the two-pass upload: hash with one, send with the copy
  Bytes a;
  Bytes b;
  for (std::size_t at = 0; at < plaintext.size(); at += 1000) {
    first.update(
        ByteView(plaintext).subspan(at, std::min<std::size_t>(1000, plaintext.size() - at)), a);
  }
  first.finish(a);
  again.update(plaintext, b);
  again.finish(b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(first.plaintext_seen(), plaintext.size());
  EXPECT_NE(encrypt(key, plaintext), a);  // a new header each time
}

TEST(Envelope, EncryptingReaderYieldsTheSameBytes) {
  const ContentKey key = new_content_key();
  const Bytes plaintext = pattern(150000);
  Encryptor encryptor(key);
  const Bytes expected = [&] {
    Encryptor copy = encryptor;
    Bytes out;
    copy.update(plaintext, out);
    copy.finish(out);
    return out;
  }();
  std::size_t offset = 0;
  EncryptingReader reader(encryptor, [&](std::span<std::uint8_t> out) -> Result<std::size_t> {
    const std::size_t n = std::min<std::size_t>({out.size(), 999, plaintext.size() - offset});
    std::copy_n(plaintext.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
    offset += n;
    return n;
  });
  Bytes got;
  std::array<std::uint8_t, 4096> buffer{};
  for (;;) {
    const std::size_t n = reader.read(buffer).value();
    if (n == 0) break;
    got.insert(got.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  EXPECT_EQ(got, expected);
}

TEST(Envelope, DetectsEveryAlteredByte) {
  const ContentKey key = new_content_key();
  const Bytes envelope = encrypt(key, pattern(65537 + 100));
  // Every byte of the magic, the header, each chunk's ciphertext and each chunk's MAC.
  for (std::size_t at = 0; at < envelope.size(); at += (at < 64 ? 1 : 4093)) {
    Bytes altered = envelope;
    altered[at] ^= 0x01;
    const auto result = decrypt(key, altered);
    ASSERT_FALSE(result.ok()) << "byte " << at;
    EXPECT_EQ(result.error().code, Errc::kDecryptFailed) << "byte " << at;
  }
  Bytes last = envelope;
  last.back() ^= 0x80;
  EXPECT_EQ(decrypt(key, last).error().code, Errc::kDecryptFailed);
}

TEST(Envelope, DetectsTruncationAppendedBytesReorderingAndAnotherKey) {
  const ContentKey key = new_content_key();
  const Bytes envelope = encrypt(key, pattern(3 * kChunkPlaintext + 10));
  const auto fails = [&](ByteView bytes, const ContentKey& k) {
    const auto result = decrypt(k, bytes);
    return !result.ok() && result.error().code == Errc::kDecryptFailed;
  };
  // Cut at each chunk boundary: every prefix authenticates but the final tag is missing.
  for (std::size_t chunks = 0; chunks <= 3; ++chunks) {
    EXPECT_TRUE(
        fails(ByteView(envelope).first(kEnvelopeHeaderSize + chunks * kChunkCiphertext), key))
        << chunks;
  }
  EXPECT_TRUE(fails(ByteView(envelope).first(envelope.size() - 1), key));
  EXPECT_TRUE(fails(ByteView(envelope).first(10), key));
  EXPECT_TRUE(fails({}, key));
  Bytes appended = envelope;
  appended.push_back(0);
  EXPECT_TRUE(fails(appended, key));
  Bytes doubled = envelope;
  doubled.insert(doubled.end(), envelope.begin() + kEnvelopeHeaderSize, envelope.end());
  EXPECT_TRUE(fails(doubled, key));
  Bytes swapped = envelope;
  std::swap_ranges(swapped.begin() + kEnvelopeHeaderSize,
                   swapped.begin() + kEnvelopeHeaderSize + kChunkCiphertext,
                   swapped.begin() + kEnvelopeHeaderSize + kChunkCiphertext);
  EXPECT_TRUE(fails(swapped, key));
  EXPECT_TRUE(fails(envelope, new_content_key()));
}

TEST(Envelope, RefusesAWrongMagic) {
  const ContentKey key = new_content_key();
  Bytes envelope = encrypt(key, pattern(10));
  envelope[3] = '2';
  EXPECT_NE(decrypt(key, envelope).error().message.find("MCR1"), std::string::npos);
}

TEST(Envelope, SinkErrorsStopDecryption) {
  const ContentKey key = new_content_key();
  const Bytes envelope = encrypt(key, pattern(100000));
  Decryptor decryptor(key);
  const auto status = decryptor.update(envelope, [](ByteView) -> Status {
    return Error{Errc::kIo, "disk full"};
  });
  EXPECT_EQ(status.error().code, Errc::kIo);
}

EncryptionKeyPair some_key_pair() {
  return derive_encryption_key(crypto::generate_private_key(), KeyDerivation::format1());
}

KeyBinding some_version() {
  return {crypto::sha256(as_bytes("record")), 2, crypto::sha256(as_bytes("ciphertext"))};
}

TEST(SealedKey, OpensOnlyForTheRecipient) {
  const EncryptionKeyPair patient = some_key_pair();
  const EncryptionKeyPair doctor = some_key_pair();
  const ContentKey key = new_content_key();
  const KeyBinding version = some_version();
  const Bytes sealed = seal_content_key(key, version, patient.public_key);
  ASSERT_EQ(sealed.size(), kSealedKeySize);
  EXPECT_EQ(open_content_key(sealed, version, patient).value(), key);
  EXPECT_EQ(open_content_key(sealed, version, doctor).error().code, Errc::kDecryptFailed);
  EXPECT_NE(seal_content_key(key, version, patient.public_key), sealed);  // a fresh ephemeral key
  for (std::size_t at = 0; at < sealed.size(); ++at) {
    Bytes altered = sealed;
    altered[at] ^= 0x10;
    EXPECT_EQ(open_content_key(altered, version, patient).error().code, Errc::kDecryptFailed) << at;
  }
  EXPECT_EQ(open_content_key(ByteView(sealed).first(79), version, patient).error().code,
            Errc::kInvalidLength);
}

// After a rotation a key may still be sealed to an older key of the account: any of its keys
// opens it, and a key sealed for another version is still refused, not skipped.
TEST(SealedKey, OpensWithAnyOfTheAccountsKeys) {
  const EncryptionKeyPair old_key = some_key_pair();
  const EncryptionKeyPair new_key = some_key_pair();
  const std::vector<EncryptionKeyPair> mine{new_key, old_key};
  const ContentKey key = new_content_key();
  const KeyBinding version = some_version();
  EXPECT_EQ(
      open_content_key(seal_content_key(key, version, old_key.public_key), version, mine).value(),
      key);
  EXPECT_EQ(
      open_content_key(seal_content_key(key, version, new_key.public_key), version, mine).value(),
      key);
  const Bytes to_stranger = seal_content_key(key, version, some_key_pair().public_key);
  EXPECT_EQ(open_content_key(to_stranger, version, mine).error().code, Errc::kDecryptFailed);
  KeyBinding other_version = version;
  other_version.version = 1;
  EXPECT_EQ(
      open_content_key(seal_content_key(key, version, old_key.public_key), other_version, mine)
          .error()
          .code,
      Errc::kCheckFailed);
}

// A node that answers a request for one version with a genuine key of another record, another
// version of the same record, or another ciphertext is caught before the key is used.
TEST(SealedKey, AKeySealedForAnotherVersionIsRefused) {
  const EncryptionKeyPair doctor = some_key_pair();
  const ContentKey key = new_content_key();
  const KeyBinding version = some_version();
  const Bytes sealed = seal_content_key(key, version, doctor.public_key);

  KeyBinding other_record = version;
  other_record.record_id = crypto::sha256(as_bytes("another record"));
  KeyBinding other_version = version;
  other_version.version = 1;
  KeyBinding other_ciphertext = version;
  other_ciphertext.digest = crypto::sha256(as_bytes("another ciphertext"));
  for (const KeyBinding& expected : {other_record, other_version, other_ciphertext}) {
    const auto opened = open_content_key(sealed, expected, doctor);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, Errc::kCheckFailed) << opened.error().message;
  }
  EXPECT_TRUE(open_content_key(sealed, version, doctor).ok());
}

// A well-sealed box whose plaintext is not "MCK2" ‖ …: not a key of this format.
TEST(SealedKey, ABoxOfTheRightSizeWithoutTheMagicIsRefused) {
  const EncryptionKeyPair doctor = some_key_pair();
  Bytes plain(kBoundKeyPlaintextSize, 0x42);
  Bytes sealed(kSealedKeySize);
  ASSERT_EQ(crypto_box_seal(sealed.data(), plain.data(), plain.size(), doctor.public_key.data()),
            0);
  EXPECT_EQ(open_content_key(sealed, some_version(), doctor).error().code, Errc::kCheckFailed);
}

}  // namespace
}  // namespace medchain::records
