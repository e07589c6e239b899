// What a bundled function resolves `node:http` to (an esbuild alias in
// infra/constructs/lambda-function.ts): Node's module through CommonJS `require`. Imported as ES
// module, node:http is given an ESM facade that reads every export once, and its WebSocket,
// CloseEvent and MessageEvent getters load all of undici (about 14 ms of the mailer's cold start,
// which imports node:http only for nodemailer's fetch of attachment URLs, a path it never takes).
// Through `require`, an export is read only where the code uses it. (`http`, not `node:http`: the
// alias would resolve that back to this file.)
module.exports = require('http');
