// Replays recorded workflow histories against a workflow bundle (the versioning gate).
//   node scripts/replay-histories.mjs <bundle.js> <history.json>...
// Prints one line per history and exits 1 if any replay fails (non-determinism or error).
// It runs as a plain Node process: under Jest's module registry protobufjs' JSON conversion
// breaks (duplicated module instances), so the replay test spawns this script.
//
// Histories exported from a deployment carry encrypted payloads (`binary/encrypted`, the payload
// codec of src/temporal/payload-codec.ts that the api and worker use). With PII_ENCRYPTION_KEY set
// (the deployment's key list, same format as the worker's) the replay decodes them with that same
// codec (from dist/: run `npm run build` first); without it, or without the key id a history was
// written under, the history is reported as encrypted and the script exits 1 without replaying.
// Histories without encrypted payloads (the recorded ones) replay with or without a key.
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [bundle, ...files] = process.argv.slice(2);
if (!bundle || files.length === 0) {
  console.error('usage: [PII_ENCRYPTION_KEY=kid:base64,...] replay-histories.mjs <bundle.js> <history.json>...');
  process.exit(2);
}

const ENCRYPTED = 'binary/encrypted';
const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');
/** Key ids of the encrypted payloads anywhere in a history (proto3 JSON: metadata values are base64). */
function encryptedKeyIds(node, ids = new Set()) {
  if (Array.isArray(node)) for (const v of node) encryptedKeyIds(v, ids);
  else if (node && typeof node === 'object') {
    const md = node.metadata;
    if (md && typeof md.encoding === 'string' && b64(md.encoding) === ENCRYPTED) ids.add(md['encryption-key-id'] ? b64(md['encryption-key-id']) : '?');
    for (const v of Object.values(node)) if (v && typeof v === 'object') encryptedKeyIds(v, ids);
  }
  return ids;
}

const keyList = process.env.PII_ENCRYPTION_KEY?.trim();
let dataConverter;
let keyIds = [];
if (keyList) {
  const codecModule = join(root, 'dist', 'src', 'temporal', 'payload-codec.js');
  if (!existsSync(codecModule)) {
    console.error(`PII_ENCRYPTION_KEY is set but ${codecModule} is missing: run \`npm run build\` first (the replay decodes with the platform's own codec)`);
    process.exit(2);
  }
  const { AesGcmPayloadCodec, parsePiiKeys } = (await import(codecModule)).default;
  const keys = parsePiiKeys(keyList);
  keyIds = keys.map((k) => k.id);
  dataConverter = { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}

let failed = 0;
const histories = [];
for (const f of files) {
  const workflowId = basename(f, '.json');
  const history = JSON.parse(readFileSync(f, 'utf8'));
  const needed = [...encryptedKeyIds(history)];
  const missing = needed.filter((id) => !keyIds.includes(id));
  if (missing.length) {
    failed++;
    console.log(
      `FAIL ${workflowId}: payloads are encrypted (${ENCRYPTED}, key id ${missing.join(', ')}) and ` +
        (keyIds.length ? `PII_ENCRYPTION_KEY holds only ${keyIds.join(', ')}` : 'PII_ENCRYPTION_KEY is not set') +
        `: set PII_ENCRYPTION_KEY to the deployment's key list (the key ids the history was written under) to replay it` +
        ` / 载荷已加密，请设置部署所用的 PII_ENCRYPTION_KEY`,
    );
    continue;
  }
  histories.push({ workflowId, history, encrypted: needed.length > 0 });
}

const encrypted = new Set(histories.filter((h) => h.encrypted).map((h) => h.workflowId));
if (histories.length) {
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundle }, replayName: 'gate', dataConverter }, histories)) {
    const enc = encrypted.has(r.workflowId);
    if (r.error) {
      failed++;
      const hint = enc ? ' (encrypted payloads, decoded with PII_ENCRYPTION_KEY: "unable to authenticate data" means the key bytes for that key id are wrong)' : '';
      console.log(`FAIL ${r.workflowId}: ${r.error.message ?? r.error}${hint}`);
    } else {
      console.log(`ok   ${r.workflowId}${enc ? ' (payloads decrypted)' : ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
