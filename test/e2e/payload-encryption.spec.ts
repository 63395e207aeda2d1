/**
 * Personal data never reaches Temporal in clear: with PII_ENCRYPTION_KEY set, a case's workflow
 * input as stored by the Temporal server is AES-GCM ciphertext, while the platform works as usual.
 */
import { Client, Connection } from '@temporalio/client';
import { caseWorkflowId } from '../../workflows/contracts';
import { createCampaign, createPerson, createTree, shanghaiDay } from '../setup/fixtures';
import { Harness, startHarness } from '../setup/harness';

let h: Harness;
beforeAll(async () => {
  expect(process.env.PII_ENCRYPTION_KEY).toBeTruthy(); // set by scripts/run-tests.mjs
  h = await startHarness('codec');
});
afterAll(async () => h?.close());

test('the stored workflow input is ciphertext; the case still runs', async () => {
  const tree = await createTree(h.ds);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
  const villager = await h.user('village_caseworker', tree.villageA1.code);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const started = await villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);

  // a client WITHOUT the codec sees what the server stores
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const raw = new Client({ connection });
    const history = await raw.workflow.getHandle(caseWorkflowId(started.body.caseId)).fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(new TextDecoder().decode(input.metadata!.encoding!)).toBe('binary/encrypted');
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain(started.body.caseNo);
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain(person.id);
  } finally {
    await connection.close();
  }

  // the platform (api + worker with the codec) works as usual
  let task: any;
  for (let i = 0; i < 100 && !task; i++) {
    task = (await villager.get(`/cases/${started.body.caseId}`)).body.tasks?.find((t: any) => t.step === 'screening');
    if (!task) await new Promise((r) => setTimeout(r, 100));
  }
  expect(task).toBeDefined();
});
