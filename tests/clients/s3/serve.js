// Starts s3rver (a local S3-compatible server) for the object-storage tests and benchmark:
//   node serve.js DIRECTORY [PORT] [BUCKET ...]
// Prints one line, {"port": N}, once it listens on 127.0.0.1 (PORT 0 or absent: a free port). It stops when its
// standard input closes, so a test process that dies cannot leave it running. Keys: S3RVER / S3RVER, and those of
// S3RVER_KEYS ("ID:SECRET,ID:SECRET", the documents' example keys; a secret may hold '/' but no ',').
'use strict';
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

for (const pair of (process.env.S3RVER_KEYS || '').split(',').filter((p) => p.length > 0)) {
  const colon = pair.indexOf(':');
  DUMMY_ACCOUNT.createKeyPair(pair.slice(0, colon), pair.slice(colon + 1));
}

const [directory, port = '0', ...buckets] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node serve.js DIRECTORY [PORT] [BUCKET ...]');
  process.exit(2);
}
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.run().then((address) => {
  process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
}, (error) => {
  console.error(error.message);
  process.exit(1);
});
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
