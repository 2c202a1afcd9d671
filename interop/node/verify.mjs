// Verify one credential with @digitalcredentials/verifier-core, the verifier behind the
// Learner Credential Wallet, and print its result as JSON on stdout.
//
//   node interop/node/verify.mjs credential.json
//
// Offline on purpose: only loopback URLs (127.0.0.1, localhost, [::1]) are fetched, so the
// issuer document, verification method and status list must be served from this machine.
// Anything else (the OB JSON schema that verifier-core tries for its informational
// schema_check, for example) fails at once instead of reaching the internet.
// No DID registries are consulted, so the registered_issuer step is always false.
// Exit code: 0 when the result has no fatal errors, 1 otherwise, 2 for bad usage.

import { readFileSync } from 'node:fs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = new URL(resource instanceof Request ? resource.url : String(resource));
  if (!LOOPBACK.has(url.hostname)) {
    throw new TypeError(`offline verifier: refusing to fetch ${url.href}`);
  }
  return realFetch(resource, options);
};
// verifier-core logs with console.log; stdout carries only the result.
console.log = (...args) => console.error(...args);

const path = process.argv[2];
if (!path) {
  console.error('usage: node verify.mjs CREDENTIAL.json');
  process.exit(2);
}
const credential = JSON.parse(readFileSync(path, 'utf8'));

const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const started = performance.now();
const result = await verifyCredential({ credential, knownDIDRegistries: [] });
const elapsedMs = performance.now() - started;
console.error(`verified in ${elapsedMs.toFixed(1)} ms`);

process.stdout.write(JSON.stringify(result, (key, value) =>
  value instanceof Error ? { name: value.name, message: value.message } : value) + '\n');
process.exitCode = result.errors ? 1 : 0;
