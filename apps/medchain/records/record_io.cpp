#include <sodium.h>

#include <cstdio>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>
#include <memory>
#include <optional>
#include <records/progress.hpp>
#include <records/record_io.hpp>

namespace medchain::cli::records {
namespace {

namespace format = medchain::records;
constexpr std::size_t kPiece = 256 * 1024;

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file != nullptr) std::fclose(file);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return Error{Errc::kIo, what + " " + path.string()};
}

// The record document as a byte source: the length prefix and manifest, then the file.
class DocumentSource {
 public:
  static Result<DocumentSource> open(const PlainRecord& record) {
    MEDCHAIN_TRY(Bytes prefix, format::document_prefix(record.manifest));
    File file;
    if (record.attachment_file) {
      file.reset(std::fopen(record.attachment_file->c_str(), "rb"));
      if (!file) return io_error("cannot open", *record.attachment_file);
    }
    return DocumentSource(std::move(prefix), std::move(file));
  }

  std::uint64_t size(const PlainRecord& record) const {
    return prefix_.size() + (record.manifest.attachment ? record.manifest.attachment->size : 0);
  }

  Result<std::size_t> read(std::span<std::uint8_t> out) {
    if (offset_ < prefix_.size()) {
      const std::size_t n = std::min(out.size(), prefix_.size() - offset_);
      std::copy_n(prefix_.begin() + static_cast<std::ptrdiff_t>(offset_), n, out.begin());
      offset_ += n;
      return n;
    }
    if (!file_) return std::size_t{0};
    const std::size_t n = std::fread(out.data(), 1, out.size(), file_.get());
    if (n == 0 && std::ferror(file_.get()) != 0) {
      return Error{Errc::kIo, "cannot read the attachment file"};
    }
    return n;
  }

 private:
  DocumentSource(Bytes prefix, File file) : prefix_(std::move(prefix)), file_(std::move(file)) {}

  Bytes prefix_;
  File file_;
  std::size_t offset_ = 0;
};

// Where a download is written until every check passed.
class PendingOutput {
 public:
  static Result<PendingOutput> create(const std::string& out) {
    const std::filesystem::path target =
        out == "-" ? std::filesystem::path() : std::filesystem::path(out);
    std::array<std::uint8_t, 6> tag{};
    randombytes_buf(tag.data(), tag.size());
    const std::string name = ".medchain-" + to_hex(tag, false) + ".partial";
    const std::filesystem::path dir =
        out == "-" ? std::filesystem::temp_directory_path() : target.parent_path();
    const std::filesystem::path temp = (dir.empty() ? std::filesystem::path(".") : dir) / name;
    File file(std::fopen(temp.c_str(), "wb"));
    if (!file) return io_error("cannot create", temp);
    return PendingOutput(target, temp, std::move(file));
  }
  PendingOutput(PendingOutput&&) = default;
  ~PendingOutput() {
    file_.reset();
    if (!temp_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(temp_, ignored);
    }
  }

  Status write(ByteView bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
      return io_error("cannot write", temp_);
    }
    return {};
  }

  // Moves the checked output into place, or copies it to stdout.
  Status commit() {
    if (std::fflush(file_.get()) != 0) return io_error("cannot write", temp_);
    file_.reset();
    if (!target_.empty()) {
      std::error_code error;
      std::filesystem::rename(temp_, target_, error);
      if (error) return io_error("cannot move the download to", target_);
      temp_.clear();
      return {};
    }
    File in(std::fopen(temp_.c_str(), "rb"));
    if (!in) return io_error("cannot reopen", temp_);
    Bytes piece(kPiece);
    while (const std::size_t n = std::fread(piece.data(), 1, piece.size(), in.get())) {
      if (std::fwrite(piece.data(), 1, n, stdout) != n)
        return Error{Errc::kIo, "cannot write stdout"};
    }
    std::fflush(stdout);
    return {};
  }

 private:
  PendingOutput(std::filesystem::path target, std::filesystem::path temp, File file)
      : target_(std::move(target)), temp_(std::move(temp)), file_(std::move(file)) {}

  std::filesystem::path target_;  // empty for stdout
  std::filesystem::path temp_;
  File file_;
};

// Downloads, hashes and decrypts the blob, handing the attachment's bytes to `attachment`.
Result<format::Manifest> receive(client::NodeClient& node, const Hash32& digest,
                                 const format::ContentKey& key,
                                 const format::PlaintextSink& attachment, bool show_progress) {
  crypto::Sha256 hasher;
  format::Decryptor decryptor(key);
  format::DocumentReader reader(attachment);
  const format::PlaintextSink to_reader = [&](ByteView plain) { return reader.update(plain); };
  std::optional<ProgressBar> bar;
  // A chunk that fails to decrypt stops the plaintext, not the hashing: a blob altered on the
  // node is reported as not the chain's, which says where the fault lies.
  std::optional<Error> failed;
  const client::WriteFn write = [&](ByteView piece) -> Status {
    hasher.update(piece);
    if (failed) return {};
    Status status = decryptor.update(piece, to_reader);
    if (status.ok()) return {};
    if (status.error().code != Errc::kDecryptFailed) return status;  // e.g. the disk is full
    failed = std::move(status).error();
    return {};
  };
  const client::ProgressFn progress = [&](std::uint64_t done, std::uint64_t total) {
    if (!bar) bar.emplace("download", total, show_progress);
    bar->update(done);
  };
  MEDCHAIN_TRY_STATUS(node.download_blob(digest, write, progress));
  bar.reset();
  if (hasher.finish() != digest) {
    return Error{Errc::kCheckFailed,
                 "the node's blob does not match the digest the chain holds for this version"};
  }
  if (failed) return std::move(*failed);
  MEDCHAIN_TRY_STATUS(decryptor.finish(to_reader));
  return reader.finish();
}

}  // namespace

Result<Uploaded> encrypt_and_upload(client::NodeClient& node, const Address& patient,
                                    std::uint8_t category, const PlainRecord& record,
                                    const format::ContentKey& key, const crypto::PrivateKey& author,
                                    bool show_progress) {
  // The category statement, signed once the digest is known (docs/format.md).
  const format::StatementDomain domain{node.info().chain_id, node.info().contract};
  const auto sign_category = [&](const Hash32& digest) {
    return format::sign_category({patient, digest, category}, domain, author).value();
  };
  // One pass: the envelope is hashed as it is sent, and its digest follows it as a trailer.
  MEDCHAIN_TRY(DocumentSource opened, DocumentSource::open(record));
  const std::uint64_t size = format::ciphertext_size(opened.size(record));
  auto source = std::make_shared<DocumentSource>(std::move(opened));
  format::EncryptingReader reader(
      format::Encryptor(key), [source](std::span<std::uint8_t> out) { return source->read(out); });
  crypto::Sha256 hasher;
  std::optional<Hash32> digest;
  ProgressBar bar("upload", size, show_progress);
  MEDCHAIN_TRY(client::json answer,
               node.upload_blob_digest_after(
                   patient, format::category_name(category), size,
                   [&](std::span<std::uint8_t> out) -> Result<std::size_t> {
                     MEDCHAIN_TRY(const std::size_t got, reader.read(out));
                     hasher.update(ByteView(out.data(), got));
                     return got;
                   },
                   [&] { return *(digest = hasher.finish()); },
                   [&](std::uint64_t done, std::uint64_t) { bar.update(done); }, sign_category));
  // The node checked the bytes against the digest; its answer names it.
  if (!digest || answer.value("digest", std::string()) != to_hex(*digest)) {
    return Error{Errc::kProtocol, "the node stored the upload under another digest"};
  }
  return Uploaded{*digest, size};
}

Result<format::Manifest> download_and_decrypt(client::NodeClient& node, const Hash32& digest,
                                              const format::ContentKey& key, const std::string& out,
                                              bool show_progress) {
  MEDCHAIN_TRY(PendingOutput output, PendingOutput::create(out));
  MEDCHAIN_TRY(
      format::Manifest manifest,
      receive(
          node, digest, key, [&](ByteView bytes) { return output.write(bytes); }, show_progress));
  if (!manifest.attachment) {
    const std::string text = manifest.resource.dump(2) + "\n";
    MEDCHAIN_TRY_STATUS(output.write(as_bytes(text)));
  }
  MEDCHAIN_TRY_STATUS(output.commit());
  return manifest;
}

Result<format::Manifest> fetch_manifest(client::NodeClient& node, const Hash32& digest,
                                        const format::ContentKey& key) {
  return receive(
      node, digest, key, [](ByteView) -> Status { return {}; }, false);
}

}  // namespace medchain::cli::records
