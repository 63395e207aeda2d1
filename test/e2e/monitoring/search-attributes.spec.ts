/**
 * Temporal search attributes of a case on the real dev server (issue 7): a case started over HTTP
 * can be found with a visibility query on programme, step and any org unit above it (the Temporal UI
 * runs the same queries); a decision moves its CaseStep; the attributes agree with the Postgres read
 * model and hold codes and dates only, never personal data.
 */
import { Client as TemporalClient, Connection, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId, CASE_SEARCH_ATTRIBUTE_TYPES } from '../../../workflows/contracts';
import { dataConverterFor } from '../../../src/temporal/payload-codec';
import { Client, Harness, startHarness } from '../../setup/harness';
import { createCampaign, createPerson, createTree, shanghaiDay, Tree } from '../../setup/fixtures';

let h: Harness;
let tree: Tree;
let other: Tree;
let temporalClient: TemporalClient;
let villager: Client;
let township: Client;

beforeAll(async () => {
  h = await startHarness('search-attributes');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  villager = await h.user('village_caseworker', tree.villageA1.code);
  township = await h.user('township_officer', tree.townshipA.code);
  temporalClient = new TemporalClient({
    connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
    dataConverter: dataConverterFor(process.env.PII_ENCRYPTION_KEY),
  });
});
afterAll(async () => {
  await temporalClient?.connection.close();
  await h?.close();
});

/** Workflow ids a visibility query finds (the list is eventually consistent: poll until `until` holds). */
async function list(query: string, until: (ids: string[]) => boolean): Promise<string[]> {
  let ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    ids = [];
    for await (const w of temporalClient.workflow.list({ query })) ids.push((w as WorkflowExecutionInfo).workflowId);
    if (until(ids)) return ids;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ids;
}

async function caseAt(caseId: string, step: string) {
  for (let i = 0; i < 100; i++) {
    const r = await township.get(`/cases/${caseId}`);
    if (r.body?.case?.step === step && r.body.tasks?.some((t: any) => t.status === 'open')) return { ...r.body.case, tasks: r.body.tasks };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`case never reached ${step} with an open task`);
}

/** The case's search attributes as the server holds them, once CaseStep shows `step`. */
async function attributesAt(workflowId: string, step: string): Promise<Record<string, unknown[]>> {
  let sa: Record<string, unknown[]> = {};
  for (let i = 0; i < 100; i++) {
    sa = (await temporalClient.workflow.getHandle(workflowId).describe()).searchAttributes as Record<string, unknown[]>;
    if (sa.CaseStep?.[0] === step) return sa;
    await new Promise((r) => setTimeout(r, 100));
  }
  return sa;
}

test('the dev server has the case search attributes with the types the workflows use', async () => {
  const r = await temporalClient.connection.operatorService.listSearchAttributes({ namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
  const T = temporal.api.enums.v1.IndexedValueType;
  const names: Record<string, string> = { Keyword: 'INDEXED_VALUE_TYPE_KEYWORD', KeywordList: 'INDEXED_VALUE_TYPE_KEYWORD_LIST', Datetime: 'INDEXED_VALUE_TYPE_DATETIME' };
  for (const [name, type] of Object.entries(CASE_SEARCH_ATTRIBUTE_TYPES)) {
    expect({ name, type: T[r.customAttributes[name]] }).toEqual({ name, type: names[type] });
  }
});

test('a case is found in Temporal by programme, step and org unit; a decision moves its step; no personal data', async () => {
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1948-05-06' });
  const started = await villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const { caseId, caseNo } = started.body;
  const wfId = caseWorkflowId(caseId);

  // the read model and the search attributes tell the same facts
  const atScreening = await caseAt(caseId, 'screening');
  const screeningTask = atScreening.tasks.find((t: any) => t.step === 'screening' && t.status === 'open');
  const sa = await attributesAt(wfId, 'screening');
  const { TemporalChangeVersion, BuildIds, ...caseAttrs } = sa;
  expect(caseAttrs).toEqual({
    CaseProgram: ['cataract'],
    CaseOrgPath: [tree.city.code, tree.county.code, tree.townshipA.code, tree.villageA1.code],
    CaseStep: ['screening'],
    CaseDueAt: [new Date(screeningTask.dueAt)],
    CaseWaitingOn: [atScreening.waitingOn],
  });
  expect(atScreening.waitingOn).toBe('staff');
  // besides them only what Temporal keeps itself: the patch ids (patched()), among them this
  // feature's, and the worker build ids the server adds
  expect(TemporalChangeVersion).toContain('case-search-attributes');
  expect((TemporalChangeVersion as string[]).every((v) => /^[a-z0-9-]+$/.test(v))).toBe(true);
  expect((BuildIds as string[]).every((v) => /^unversioned(:@temporalio\/worker@[\d.]+\+[0-9a-f]+)?$/.test(v))).toBe(true);
  // codes and dates only: nothing of the person, not even the ids
  const text = JSON.stringify(sa);
  for (const secret of [person.id, person.residentId, person.birth, '张三', caseNo, caseId]) expect(text).not.toContain(secret);

  // "everything under this county at screening", as an operator filters in the Temporal UI
  const q = (org: string, step = 'screening') => `CaseProgram = 'cataract' AND CaseStep = '${step}' AND CaseOrgPath = '${org}'`;
  expect(await list(q(tree.county.code), (ids) => ids.includes(wfId))).toContain(wfId);
  expect(await list(q(tree.townshipA.code), (ids) => ids.includes(wfId))).toContain(wfId);
  expect(await list(`${q(tree.city.code)} AND CaseWaitingOn = 'staff' AND CaseDueAt <= '${new Date(screeningTask.dueAt).toISOString()}'`, (ids) => ids.includes(wfId))).toContain(wfId);
  // not under another county, nor another township of the same county
  expect(await list(q(other.county.code), () => true)).not.toContain(wfId);
  expect(await list(q(tree.townshipB.code), () => true)).not.toContain(wfId);

  // the screening decision moves the case on: CaseStep follows, the old filter no longer finds it
  const t = screeningTask;
  expect((await township.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.05 } })).status).toBe(200);
  const res = (await township.get(`/cases/${caseId}`)).body; // the decision returns once the read model has it
  const next = res.case;
  expect(next.step).not.toBe('screening');
  const after = await attributesAt(wfId, next.step);
  const due = res.tasks.filter((x: any) => x.status === 'open').map((x: any) => Date.parse(x.dueAt));
  const { TemporalChangeVersion: _patches, BuildIds: _builds, ...afterAttrs } = after;
  expect(afterAttrs).toEqual({
    CaseProgram: ['cataract'],
    CaseOrgPath: [tree.city.code, tree.county.code, tree.townshipA.code, tree.villageA1.code],
    CaseStep: [next.step],
    CaseWaitingOn: [next.waitingOn],
    ...(due.length ? { CaseDueAt: [new Date(Math.min(...due))] } : {}),
  });
  expect(await list(q(tree.county.code, next.step), (ids) => ids.includes(wfId))).toContain(wfId);
  expect(await list(q(tree.county.code), (ids) => !ids.includes(wfId))).not.toContain(wfId);
});
