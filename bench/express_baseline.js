// The baseline of medchain_api_bench (bench/api_throughput.cpp): a minimal Express server, one
// Node process as Node runs by default, answering GET <path> with a constant JSON document.
//
//   node bench/express_baseline.js <port> [path] [json document]
//
// The benchmark passes the body medchaind answered on the same path, so both send documents of
// the same size; without one it answers a document shaped like GET /v1/me.
'use strict';

const express = require('express');

const port = Number(process.argv[2]);
const path = process.argv[3] || '/v1/me';
const document = JSON.parse(process.argv[4] || JSON.stringify({
  address: '0x0000000000000000000000000000000000000000',
  patient: true,
  doctor: null,
  registrar: false,
  guardianOf: [],
}));

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node express_baseline.js <port> [path] [json document]');
  process.exit(2);
}

const app = express();
app.get(path, (req, res) => res.json(document));
const server = app.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
