/**
 * The working-day calendar's admin table on the real api: a holiday entered for a year the
 * bundled data does not cover moves due dates at once, and the year reads "fallback" (with a
 * warning) until an admin marks its table complete.
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createTree } from '../setup/fixtures';
import { datasetYears } from '../../src/domain/calendar/working-days';

let h: Harness;
let admin: Client;
let cw: Client;
/** First year the bundled dataset does not cover (2027 with chinese-days 1.5.x). */
const Y = Math.max(...datasetYears()) + 1;

/** YYYY-MM-DD of the first Monday of March Y, plus `days`. */
function day(days: number): string {
  const d = new Date(Date.UTC(Y, 2, 1));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function cleanYear() {
  await h.ds.query(`DELETE FROM calendar_override WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1)`, [Y]);
  await h.ds.query(`DELETE FROM calendar_year WHERE year = $1`, [Y]);
}

beforeAll(async () => {
  h = await startHarness('calendar');
  const tree = await createTree(h.ds);
  admin = await h.user('admin', tree.city.code);
  cw = await h.user('village_caseworker', tree.villageA1.code);
  await cleanYear();
});
afterAll(async () => {
  // The calendar is global: leave no holiday behind for the suites that follow.
  if (h) await cleanYear();
  await h?.close();
});

it(`status says fallback for ${Y} with a warning until the year is marked complete`, async () => {
  const s = await admin.get(`/admin/calendar/status?year=${Y}`);
  expect(s.status).toBe(200);
  expect(s.body).toMatchObject({ year: Y, coverage: 'fallback', inDataset: false, markedComplete: null, overrides: { holidays: 0, workdays: 0 } });
  expect(s.body.warning).toBe(`${Y} 年节假日安排尚未录入，当前仅按周末计算工作日 / ${Y} holidays not entered yet: working days count weekends only`);
  const official = await admin.get(`/admin/calendar/status?year=${Y - 1}`);
  expect(official.body).toMatchObject({ coverage: 'official', warning: null, inDataset: true });
  // Marking an empty year complete would hide the warning while nothing is entered: refused.
  const empty = await admin.put(`/admin/calendar/years/${Y}`, { source: '国办发明电' });
  expect([empty.status, empty.body.code]).toEqual([422, 'YEAR_EMPTY']);
});

it('a holiday on a weekday moves the due date from /calendar/working-days', async () => {
  const monday = day(0);
  const before = await cw.get(`/calendar/working-days?from=${monday}&n=5`);
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({ from: monday, n: 5, dueDate: day(7), coverage: 'fallback' });
  expect(before.body.warning).toContain(`${Y} 年节假日安排尚未录入`);

  const put = await admin.put(`/admin/calendar/overrides/${day(2)}`, { kind: 'holiday', name: '测试假日' });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ date: day(2), kind: 'holiday', name: '测试假日', created: true, createdBy: admin.userId });
  const after = await cw.get(`/calendar/working-days?from=${monday}&n=5`);
  expect(after.body.dueDate).toBe(day(8)); // Wednesday off: Tuesday of the next week

  // A make-up workday on the Saturday brings it back.
  await admin.put(`/admin/calendar/overrides/${day(5)}`, { kind: 'workday', name: '调休上班' });
  expect((await cw.get(`/calendar/working-days?from=${monday}&n=5`)).body.dueDate).toBe(day(7));

  // Upsert replaces; the list and counts follow.
  const again = await admin.put(`/admin/calendar/overrides/${day(5)}`, { kind: 'holiday', name: '改为放假' });
  expect(again.body).toMatchObject({ created: false, kind: 'holiday', name: '改为放假' });
  const list = await admin.get(`/admin/calendar/overrides?year=${Y}`);
  expect(list.body.items.map((o: any) => [o.date, o.kind])).toEqual([
    [day(2), 'holiday'],
    [day(5), 'holiday'],
  ]);
  expect((await admin.get(`/admin/calendar/status?year=${Y}`)).body.overrides).toEqual({ holidays: 2, workdays: 0 });

  // Deleting restores the plain weekend rule.
  expect((await admin.delete(`/admin/calendar/overrides/${day(5)}`)).status).toBe(204);
  expect((await admin.delete(`/admin/calendar/overrides/${day(5)}`)).status).toBe(404);
  expect((await cw.get(`/calendar/working-days?from=${monday}&n=5`)).body.dueDate).toBe(day(8));
});

it('marking the year complete makes it "admin" (no warning); unmarking returns to fallback', async () => {
  const mark = await admin.put(`/admin/calendar/years/${Y}`, { source: '国务院办公厅通知（测试）' });
  expect(mark.status).toBe(200);
  expect(mark.body).toMatchObject({ year: Y, source: '国务院办公厅通知（测试）', overrides: { holidays: 1, workdays: 0 } });
  const s = await admin.get(`/admin/calendar/status?year=${Y}`);
  expect(s.body).toMatchObject({ coverage: 'admin', warning: null, markedComplete: { source: '国务院办公厅通知（测试）' } });
  const w = await cw.get(`/calendar/working-days?from=${day(0)}&n=5`);
  expect(w.body).toMatchObject({ coverage: 'admin', warning: null, dueDate: day(8) });

  expect((await admin.delete(`/admin/calendar/years/${Y}`)).status).toBe(204);
  expect((await admin.delete(`/admin/calendar/years/${Y}`)).status).toBe(404);
  expect((await admin.get(`/admin/calendar/status?year=${Y}`)).body.coverage).toBe('fallback');
});

it('rejects malformed input with 400', async () => {
  expect((await admin.put(`/admin/calendar/overrides/${Y}-02-30`, { kind: 'holiday', name: 'x' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/overrides/tomorrow`, { kind: 'holiday', name: 'x' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/overrides/${day(3)}`, { kind: 'party', name: 'x' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/overrides/${day(3)}`, { kind: 'holiday' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/overrides/${day(3)}`, { kind: 'holiday', name: 'x', extra: 1 })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/years/abc`, { source: 'x' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/years/1900`, { source: 'x' })).status).toBe(400);
  expect((await admin.put(`/admin/calendar/years/${Y}`, {})).status).toBe(400);
  expect((await admin.get(`/admin/calendar/status?year=20x7`)).status).toBe(400);
  expect((await cw.get(`/calendar/working-days?from=${Y}-13-01&n=5`)).status).toBe(400);
  expect((await cw.get(`/calendar/working-days?from=${day(0)}&n=-1`)).status).toBe(400);
  expect((await cw.get(`/calendar/working-days?from=${day(0)}`)).status).toBe(400);
  expect((await admin.get(`/admin/calendar/overrides?year=${Y}`)).body.items.map((o: any) => o.date)).toEqual([day(2)]);
});

it('the admin endpoints are for admins only', async () => {
  expect((await cw.get(`/admin/calendar/status?year=${Y}`)).status).toBe(403);
  expect((await cw.put(`/admin/calendar/overrides/${day(3)}`, { kind: 'holiday', name: 'x' })).status).toBe(403);
  expect((await cw.delete(`/admin/calendar/overrides/${day(2)}`)).status).toBe(403);
  expect((await cw.put(`/admin/calendar/years/${Y}`, { source: 'x' })).status).toBe(403);
});

it.each([
  ['GET', '/admin/calendar/status?year=2027'],
  ['GET', '/admin/calendar/overrides'],
  ['PUT', '/admin/calendar/overrides/2027-03-03'],
  ['DELETE', '/admin/calendar/overrides/2027-03-03'],
  ['PUT', '/admin/calendar/years/2027'],
  ['DELETE', '/admin/calendar/years/2027'],
  ['GET', '/calendar/working-days?from=2027-03-01&n=5'],
])('without a token: %s %s → 401', async (method, path) => {
  const c = h.client();
  const r = method === 'PUT' ? await c.put(path, {}) : method === 'DELETE' ? await c.delete(path) : await c.get(path);
  expect(r.status).toBe(401);
});
