/**
 * Replaying a history exported from a deployment, whose payloads the payload codec encrypted
 * (src/temporal/payload-codec.ts): a workflow runs on the suite's Temporal dev server with the
 * codec on (as the api and worker run it), its history is exported as the server stores it
 * (ciphertext), and scripts/replay-histories.mjs replays it with the key; without the key, or
 * with only another key, it refuses and says the payloads are encrypted.
 */
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataConverterFor, parsePiiKeys } from '../../src/temporal/payload-codec';
import type { Actor } from '../../workflows/contracts';
import { BULK_REASSIGN_WORKFLOW, BulkReassignInput, bulkReassignWorkflowId } from '../../workflows/contracts/ops';

jest.setTimeout(120_000);
const root = join(__dirname, '..', '..');
const KEY = process.env.PII_ENCRYPTION_KEY!;
let dir: string;

beforeAll(() => {
  expect(KEY).toBeTruthy(); // set by scripts/run-tests.mjs
  dir = mkdtempSync(join(tmpdir(), 'dpf-replay-enc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replay(file: string, key: string | undefined) {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '' };
  delete env.PII_ENCRYPTION_KEY;
  if (key) env.PII_ENCRYPTION_KEY = key;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'replay-histories.mjs'), process.env.WORKFLOW_BUNDLE_PATH!, file], { cwd: root, encoding: 'utf8', env, timeout: 90_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('an exported history with encrypted payloads replays with the key and is refused, clearly, without it', async () => {
  const address = process.env.TEMPORAL_ADDRESS!;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = `replay-enc-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const secret = `田${randomUUID()}`; // in the input: must not be readable in the exported history
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      dataConverter: dataConverterFor(KEY),
      activities: {
        listTasksToReassign: async () => ({ tasks: [{ taskId: 't1', caseId: 'c1', caseNo: 'CASE-1', workflowId: 'case-c1' }], truncated: false }),
        reassignOneTask: async () => ({ status: 'reassigned' }),
        recordOperation: async () => undefined,
      },
    });
    const client = new Client({ connection, namespace, dataConverter: dataConverterFor(KEY) });
    const manager: Actor = { id: 'u-m', name: secret, role: 'manager', orgPath: '/c', partnerId: null };
    const input: BulkReassignInput = { operationId: randomUUID(), actor: manager, fromUserId: 'u-left', toUser: { ...manager, id: 'u-new' }, scopePath: '/c' };
    const workflowId = bulkReassignWorkflowId(input.operationId);
    await worker.runUntil(async () => {
      const h = await client.workflow.start(BULK_REASSIGN_WORKFLOW, { args: [input], taskQueue, workflowId });
      expect((await h.result()).reassigned).toBe(1);
    });

    // Exported as the server stores it (what `temporal workflow show -o json` gives an operator).
    const raw = new Client({ connection, namespace });
    const json = historyToJSON(await raw.workflow.getHandle(workflowId).fetchHistory());
    const file = join(dir, `${workflowId}.json`);
    writeFileSync(file, json);
    expect(json).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(json).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
    expect(json).not.toContain(secret);

    const ok = replay(file, KEY);
    expect(ok.out).toContain(`ok   ${workflowId} (payloads decrypted)`);
    expect(ok.code).toBe(0);

    const keyId = parsePiiKeys(KEY)[0].id;
    const none = replay(file, undefined);
    expect(none.code).toBe(1);
    expect(none.out).toContain(`FAIL ${workflowId}: payloads are encrypted (binary/encrypted, key id ${keyId}) and PII_ENCRYPTION_KEY is not set`);

    const other = replay(file, `zz:${Buffer.alloc(32, 9).toString('base64')}`);
    expect(other.code).toBe(1);
    expect(other.out).toContain(`key id ${keyId}) and PII_ENCRYPTION_KEY holds only zz`);

    // the right key id with other key bytes: the payloads are really decoded in the replay, and fail
    const forged = replay(file, `${keyId}:${Buffer.alloc(32, 9).toString('base64')}`);
    console.log(`replay with a forged key: exit ${forged.code}\n${forged.out.split('\n').filter((l) => /^(ok|FAIL)/.test(l)).join('\n')}`);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain(`FAIL ${workflowId}`);
    expect(forged.out).not.toContain('payloads are encrypted');
    expect(forged.out).toContain('unable to authenticate data');
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
});
