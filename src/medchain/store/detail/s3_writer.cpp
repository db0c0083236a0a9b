// Streaming a blob into S3 (s3_blob_store.hpp).
//
// Why an incoming key and a copy: a multipart upload names its key when it starts, but a
// blob's key is its digest, known only after the last byte. So a large blob is uploaded to
// incoming/<random>, checked against the expected digest, and only then copied server-side
// (CopyObject) to blobs/<digest>; an S3 object becomes visible whole or not at all, so a
// reader of blobs/<digest> never sees a partial or wrong blob, and nothing else ever reads
// incoming/. A blob that fits in one part needs no copy: its digest is known before its only
// request, which goes straight to blobs/<digest> with that digest as its signed payload hash,
// so the server itself refuses it unless the bytes hash to their key.
//
// Every part is sent with its own SHA-256 as x-amz-content-sha256, which the signature covers
// and the server checks against the bytes received. On a digest mismatch, a failed request or
// destruction without commit, the multipart upload is aborted and an incoming object deleted.
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <random>

#include "s3_transfer.hpp"
#include "sigv4.hpp"

namespace medchain::store::detail {

std::string S3Keys::blob(const Hash32& digest) const {
  return prefix + "blobs/" + to_hex(digest, false);
}

namespace {

std::string random_name() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  Bytes raw(16);
  for (auto& byte : raw) byte = static_cast<std::uint8_t>(rng());
  return to_hex(raw, false);
}

// CompleteMultipartUpload and CopyObject may answer 200 and still report an error in the body.
bool succeeded(const chain::HttpResponse& response) {
  return response.status == 200 && response.body.find("<Error>") == std::string::npos;
}

class S3Writer final : public BlobWriter::Backend {
 public:
  S3Writer(std::shared_ptr<const S3Client> client, S3Keys keys, std::uint64_t max_size,
           std::uint64_t part_size)
      : client_(std::move(client)),
        keys_(std::move(keys)),
        incoming_key_(keys_.incoming(random_name())),
        max_size_(max_size),
        part_size_(part_size) {}

  ~S3Writer() override { discard(); }

  std::uint64_t bytes_written() const noexcept override { return written_; }

  Status write(ByteView chunk) override {
    if (finished_) return Error{Errc::kInvalidArgument, "blob writer already committed"};
    if (failed_) return Error{Errc::kInvalidArgument, "blob writer failed earlier"};
    if (chunk.size() > max_size_ - written_) {
      return Error{Errc::kInvalidLength,
                   "blob exceeds the size limit of " + std::to_string(max_size_) + " bytes"};
    }
    hasher_.update(chunk);
    written_ += chunk.size();
    while (!chunk.empty()) {
      // A full part is sent only when more bytes follow, so the last part is never empty and a
      // blob of at most one part can go in one PutObject.
      if (buffer_.size() == part_size_) {
        const Status sent = send_part();
        if (!sent.ok()) {
          failed_ = true;
          return sent;
        }
      }
      const std::size_t n = std::min<std::size_t>(chunk.size(), part_size_ - buffer_.size());
      buffer_.append(reinterpret_cast<const char*>(chunk.data()), n);
      chunk = chunk.subspan(n);
    }
    return {};
  }

  Result<Hash32> commit(const std::optional<Hash32>& expected) override {
    if (finished_) return Error{Errc::kInvalidArgument, "blob writer already committed"};
    if (failed_) return Error{Errc::kInvalidArgument, "blob writer failed earlier"};
    const Hash32 digest = hasher_.finish();
    if (expected && *expected != digest) {
      discard();
      return Error{Errc::kCheckFailed, "blob digest " + to_hex(digest) +
                                           " does not match the declared " + to_hex(*expected)};
    }
    auto result = upload_id_.empty() ? put_whole(digest) : finish_multipart(digest);
    if (!result.ok()) {
      discard();
      return result.error();
    }
    finished_ = true;
    return digest;
  }

 private:
  Status put_whole(const Hash32& digest) {
    S3Call call{"PUT", keys_.blob(digest), {}, {}, std::move(buffer_), to_hex(digest, false)};
    MEDCHAIN_TRY(auto response, client_->send(std::move(call)));
    if (response.status != 200) return s3_failure(response, "storing blob " + to_hex(digest));
    return {};
  }

  Status send_part() {
    if (upload_id_.empty()) {
      MEDCHAIN_TRY(auto started,
                   client_->send({"POST", incoming_key_, {{"uploads", ""}}, {}, {}, {}}));
      if (started.status != 200) return s3_failure(started, "starting a multipart upload");
      upload_id_ = xml_text(started.body, "UploadId");
      if (upload_id_.empty()) {
        return Error{Errc::kProtocol, "the object store started an upload without an UploadId"};
      }
    }
    const std::string part_number = std::to_string(etags_.size() + 1);
    const std::string part_hash = to_hex(crypto::sha256(as_bytes(buffer_)), false);
    S3Call call{"PUT", incoming_key_,      {{"partNumber", part_number}, {"uploadId", upload_id_}},
                {},    std::move(buffer_), part_hash};
    buffer_ = std::string();
    MEDCHAIN_TRY(auto response, client_->send(std::move(call)));
    if (response.status != 200) return s3_failure(response, "uploading part " + part_number);
    const std::string etag = response.header("ETag");
    if (etag.empty()) return Error{Errc::kProtocol, "the object store sent a part without an ETag"};
    etags_.push_back(etag);
    return {};
  }

  Status finish_multipart(const Hash32& digest) {
    const std::string key = keys_.blob(digest);
    // Deduplicated: the same content is already stored, whole and checked.
    if (s3_object_size(*client_, key).ok()) {
      discard();
      return {};
    }
    MEDCHAIN_TRY_STATUS(send_part());
    std::string parts = "<CompleteMultipartUpload>";
    for (std::size_t i = 0; i < etags_.size(); ++i) {
      parts += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags_[i] +
               "</ETag></Part>";
    }
    parts += "</CompleteMultipartUpload>";
    MEDCHAIN_TRY(auto completed, client_->send({"POST",
                                                incoming_key_,
                                                {{"uploadId", upload_id_}},
                                                {},
                                                parts,
                                                {},
                                                kWholeObjectTimeout}));
    if (!succeeded(completed)) return s3_failure(completed, "completing the multipart upload");
    upload_id_.clear();
    incoming_exists_ = true;
    MEDCHAIN_TRY(auto copied,
                 client_->send({"PUT",
                                key,
                                {},
                                {{"x-amz-copy-source",
                                  sigv4_uri_encode(client_->path_of(incoming_key_), true)}},
                                {},
                                {},
                                kWholeObjectTimeout}));
    if (!succeeded(copied)) return s3_failure(copied, "copying the blob to its digest key");
    MEDCHAIN_TRY(const std::uint64_t stored, s3_object_size(*client_, key));
    if (stored != written_) {
      // Not what was sent: take it away again rather than serve it.
      (void)client_->send({"DELETE", key, {}, {}, {}, {}});
      return Error{Errc::kCheckFailed, "the object store kept " + std::to_string(stored) +
                                           " bytes of a " + std::to_string(written_) +
                                           "-byte blob"};
    }
    remove_incoming();
    return {};
  }

  // Best effort: what cannot be aborted or deleted now is invisible under blobs/ anyway, and a
  // bucket lifecycle rule (docs/architecture.md) sweeps it.
  void discard() {
    if (!upload_id_.empty()) {
      (void)client_->send({"DELETE", incoming_key_, {{"uploadId", upload_id_}}, {}, {}, {}});
      upload_id_.clear();
    }
    remove_incoming();
    buffer_ = std::string();
  }

  void remove_incoming() {
    if (!incoming_exists_) return;
    (void)client_->send({"DELETE", incoming_key_, {}, {}, {}, {}});
    incoming_exists_ = false;
  }

  std::shared_ptr<const S3Client> client_;
  S3Keys keys_;
  std::string incoming_key_;
  std::uint64_t max_size_;
  std::uint64_t part_size_;
  std::uint64_t written_ = 0;
  crypto::Sha256 hasher_;
  std::string buffer_;  // the part being filled; at most part_size_ bytes
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool incoming_exists_ = false;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<BlobWriter::Backend> make_s3_writer(std::shared_ptr<const S3Client> client,
                                                    S3Keys keys, std::uint64_t max_size,
                                                    std::uint64_t part_size) {
  return std::make_unique<S3Writer>(std::move(client), std::move(keys), max_size, part_size);
}

Result<std::uint64_t> s3_object_size(const S3Client& client, const std::string& key) {
  MEDCHAIN_TRY(auto response, client.send({"HEAD", key, {}, {}, {}, {}}));
  if (response.status != 200) return s3_failure(response, "looking up " + key);
  const std::string length = response.header("Content-Length");
  try {
    return static_cast<std::uint64_t>(std::stoull(length));
  } catch (const std::exception&) {
    return Error{Errc::kProtocol, "no Content-Length for " + key};
  }
}

}  // namespace medchain::store::detail
