// The signer against the examples published in the S3 API reference ("Signature Calculations
// for the Authorization Header: Transferring Payload in a Single Chunk", examples GET Object,
// PUT Object, GET Bucket Lifecycle and Get Bucket (List Objects)). All use the documentation's
// example key pair, bucket examplebucket, region us-east-1, 2013-05-24T00:00:00Z.
#include "detail/sigv4.hpp"

#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>

namespace medchain::store::detail {
namespace {

const S3Credentials kExampleCredentials{"AKIAIOSFODNN7EXAMPLE",
                                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};

SigV4Request example(std::string method, std::string path, std::string payload_hash) {
  SigV4Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.payload_hash = payload_hash;
  request.amz_date = "20130524T000000Z";
  request.region = "us-east-1";
  request.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"x-amz-date", "20130524T000000Z"},
                     {"x-amz-content-sha256", std::move(payload_hash)}};
  return request;
}

TEST(SigV4, GetObjectExampleFromTheS3Documentation) {
  SigV4Request request = example("GET", "/test.txt", std::string(kEmptyPayloadSha256));
  request.headers.emplace_back("Range", "bytes=0-9");
  EXPECT_EQ(sigv4_canonical_request(request),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sigv4_string_to_sign(request),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(sigv4_authorization(request, kExampleCredentials),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, PutObjectExampleEncodesTheKeyAndSignsThePayloadHash) {
  const std::string payload_hash = to_hex(crypto::sha256(as_bytes("Welcome to Amazon S3.")), false);
  EXPECT_EQ(payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SigV4Request request = example("PUT", "/test$file.text", payload_hash);
  request.headers.emplace_back("Date", "Fri, 24 May 2013 00:00:00 GMT");
  request.headers.emplace_back("x-amz-storage-class", "REDUCED_REDUNDANCY");
  EXPECT_EQ(sigv4_canonical_request(request).substr(0, 22), "PUT\n/test%24file.text\n");
  EXPECT_EQ(sigv4_signature(request, kExampleCredentials),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, GetBucketLifecycleExampleSignsAValuelessQueryParameter) {
  SigV4Request request = example("GET", "/", std::string(kEmptyPayloadSha256));
  request.query = {{"lifecycle", ""}};
  EXPECT_EQ(sigv4_signature(request, kExampleCredentials),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, ListObjectsExampleSortsTheQuery) {
  SigV4Request request = example("GET", "/", std::string(kEmptyPayloadSha256));
  request.query = {{"prefix", "J"}, {"max-keys", "2"}};
  EXPECT_EQ(sigv4_canonical_query(request.query), "max-keys=2&prefix=J");
  EXPECT_EQ(sigv4_signature(request, kExampleCredentials),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, UriEncodingFollowsRfc3986) {
  EXPECT_EQ(sigv4_uri_encode("a b+c/d~e", true), "a%20b%2Bc/d~e");
  EXPECT_EQ(sigv4_uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(sigv4_uri_encode("\xc3\xa9", false), "%C3%A9");
}

TEST(SigV4, AmzDateIsCompactUtc) {
  EXPECT_EQ(sigv4_amz_date(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
}

}  // namespace
}  // namespace medchain::store::detail
