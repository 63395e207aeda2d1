/**
 * Settings per jurisdiction, versioned by effective date: a county's new time limit applies to
 * cases started after it takes effect; a case keeps the version it started with.
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createCampaign, createPerson, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { WorkingDayCalendar } from '../../src/domain/calendar/working-days';

let h: Harness;
let tree: Tree;
let villager: Client;

beforeAll(async () => {
  h = await startHarness('versions');
  tree = await createTree(h.ds);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
  villager = await h.user('village_caseworker', tree.villageA1.code);
});
afterAll(async () => h?.close());

async function screeningTask(caseId: string) {
  for (let i = 0; i < 100; i++) {
    const d = await villager.get(`/cases/${caseId}`);
    const t = d.body.tasks?.find((x: any) => x.step === 'screening');
    if (t) return { task: t, ruleVersion: d.body.case.ruleVersion };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no screening task');
}

test('a county override applies to new cases only', async () => {
  const p1 = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const before = await villager.post('/cases', { programme: 'cataract', personId: p1.id });
  expect(before.status).toBe(201);
  const old = await screeningTask(before.body.caseId);
  expect(old.ruleVersion).toBe('cataract@default@2026-01-01');

  const version = `cataract@${tree.county.code}@${shanghaiDay(0)}`;
  await h.ds.query(
    `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings) VALUES ('cataract', $1, $2, $3, $4)`,
    [tree.county.code, shanghaiDay(0), version, JSON.stringify({ steps: { screening: { workingDays: 3 } } })],
  );
  const p2 = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const after = await villager.post('/cases', { programme: 'cataract', personId: p2.id });
  const fresh = await screeningTask(after.body.caseId);
  expect(fresh.ruleVersion).toBe(version);

  // due dates follow each case's own version (10 vs 3 working days from the same day)
  const cal = new WorkingDayCalendar();
  const today = shanghaiDay(0);
  if (cal.coverage(Number(today.slice(0, 4))) !== 'fallback') {
    expect(old.task.dueDate).toBe(cal.addWorkingDays(today, 10));
    expect(fresh.task.dueDate).toBe(cal.addWorkingDays(today, 3));
  }
  expect(fresh.task.dueDate < old.task.dueDate).toBe(true);
  const [row] = await h.ds.query(`SELECT rule_version FROM case_file WHERE id = $1`, [before.body.caseId]);
  expect(row.rule_version).toBe('cataract@default@2026-01-01');
});
