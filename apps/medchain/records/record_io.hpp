// Moving one record version between a local file and the node, encrypted on this side only:
// the upload (record document → envelope → POST /v1/blobs) and the download (GET /v1/blobs →
// digest check against the chain → decrypt → file). Both stream in constant memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <medchain/client/node_client.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/records/document.hpp>
#include <medchain/records/envelope.hpp>
#include <optional>
#include <string>

namespace medchain::cli::records {

// A record document about to be written: its manifest and, for a file record, the file that
// holds the attachment bytes (attachment.size of them).
struct PlainRecord {
  medchain::records::Manifest manifest;
  std::optional<std::filesystem::path> attachment_file;
};

struct Uploaded {
  Hash32 digest;
  std::uint64_t size = 0;  // of the ciphertext
};

// Encrypts `record` under `key` and uploads it for `patient` in `category`. The envelope is
// produced twice from one secretstream state: once to learn its digest, once into the
// upload, so it is never stored. `show_progress` draws a bar on stderr.
Result<Uploaded> encrypt_and_upload(client::NodeClient& node, const Address& patient,
                                    std::uint8_t category, const PlainRecord& record,
                                    const medchain::records::ContentKey& key,
                                    const crypto::PrivateKey& author, bool show_progress);

// Downloads the blob `digest` (the digest the chain holds for the version), decrypts it with
// `key` and writes the attachment, or the resource's JSON when there is none, to `out` ("-"
// for stdout). Nothing appears under `out` unless the digest matched and the envelope and the
// document checked out whole (kCheckFailed, kDecryptFailed, kInvalidJson otherwise).
Result<medchain::records::Manifest> download_and_decrypt(client::NodeClient& node,
                                                         const Hash32& digest,
                                                         const medchain::records::ContentKey& key,
                                                         const std::string& out,
                                                         bool show_progress);

// The same without writing anything: the manifest, with the whole blob checked.
Result<medchain::records::Manifest> fetch_manifest(client::NodeClient& node, const Hash32& digest,
                                                   const medchain::records::ContentKey& key);

}  // namespace medchain::cli::records
