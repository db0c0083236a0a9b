// Starts s3rver (npm, root package.json) for the tests: node s3rver_launcher.js DIR PORT BUCKET.
// The key pair is S3RVER / S3RVER.
//
// s3rver 3.7.1 lacks three things a real S3 does, which the tests rely on; this launcher adds
// them in front of it and changes nothing else:
// - It does not check Signature Version 4 signatures (it only looks the access key up). Here
//   every request must carry one, and it is recomputed from the request as received with aws4
//   (npm; the signer the AWS SDKs' JavaScript ports descend from, independent of ours): a
//   mismatch is 403 SignatureDoesNotMatch, as S3 answers.
// - It does not compare x-amz-content-sha256 with the body. Here a body whose SHA-256 differs
//   from the signed one is 400 XAmzContentSHA256Mismatch (bodies are at most a part, 8 MiB,
//   and are buffered for the check).
// - It has no AbortMultipartUpload: a DELETE with ?uploadId gets 405 MethodNotAllowed. Here the
//   upload's parts are dropped from s3rver's own upload folder and the answer is 204 (404
//   NoSuchUpload for an unknown id).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const {PassThrough} = require('stream');
const aws4 = require('aws4');
const S3rver = require('s3rver');

const CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER'
};
const AUTHORIZATION =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function s3Error(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
      `<Message>${message}</Message></Error>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Checks the signature and the payload hash; false (with the answer set) when either fails.
async function verified(ctx) {
  const match = AUTHORIZATION.exec(ctx.get('authorization'));
  if (!match) {
    s3Error(ctx, 403, 'AccessDenied', 'Only AWS4-HMAC-SHA256 header signatures are accepted.');
    return false;
  }
  const [, accessKeyId, , region, signedHeaders, signature] = match;
  if (accessKeyId !== CREDENTIALS.accessKeyId) {
    s3Error(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist.');
    return false;
  }
  const headers = {};
  const include = {};
  for (const name of signedHeaders.split(';')) {
    headers[name] = ctx.get(name);
    include[name] = true;
  }
  const expected = aws4.sign(
                           {
                             service: 's3',
                             region,
                             method: ctx.method,
                             host: ctx.get('host'),
                             path: ctx.url,
                             headers,
                             extraHeadersToInclude: include,
                           },
                           CREDENTIALS)
                       .headers.Authorization;
  if (!expected.endsWith('Signature=' + signature)) {
    s3Error(
        ctx, 403, 'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.');
    return false;
  }
  const declared = ctx.get('x-amz-content-sha256');
  if (!/^[0-9a-f]{64}$/.test(declared)) {
    s3Error(ctx, 400, 'InvalidArgument', 'x-amz-content-sha256 must be the payload\'s SHA-256.');
    return false;
  }
  const body = await readBody(ctx.req);
  if (crypto.createHash('sha256').update(body).digest('hex') !== declared) {
    s3Error(
        ctx, 400, 'XAmzContentSHA256Mismatch',
        'The provided x-amz-content-sha256 header does not match what was computed.');
    return false;
  }
  // s3rver reads the body from the request stream: hand it the bytes again.
  const replay = new PassThrough();
  Object.assign(replay, {
    headers: ctx.req.headers,
    method: ctx.req.method,
    url: ctx.req.url,
    httpVersion: ctx.req.httpVersion,
    socket: ctx.req.socket,
    connection: ctx.req.socket,
  });
  replay.end(body);
  ctx.req = replay;
  ctx.request.req = replay;
  return true;
}

const [directory, port, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: [{name: bucket}],
});

server.middleware.unshift(async (ctx, next) => {
  if (!(await verified(ctx))) return;
  try {
    await next();
    return;
  } catch (error) {
    // s3rver throws its S3Error and Koa renders it; only the missing abort is taken over.
    const abort = ctx.method === 'DELETE' && 'uploadId' in ctx.query;
    if (!abort || error.code !== 'MethodNotAllowed') throw error;
  }
  const uploadId = String(ctx.query.uploadId);
  const bucketName = ctx.path.split('/')[1];
  const uploads = server.store.getResourcePath(bucketName, undefined, 'uploads');
  const folder = path.join(uploads, uploadId);
  if (!/^[0-9a-f]+$/.test(uploadId) || !fs.existsSync(folder)) {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        '<Message>The specified upload does not exist.</Message></Error>';
    return;
  }
  fs.rmSync(folder, {recursive: true, force: true});
  ctx.status = 204;
  ctx.body = null;
});

server.run().then(() => console.log('ready'), error => {
  console.error(error);
  process.exit(1);
});
