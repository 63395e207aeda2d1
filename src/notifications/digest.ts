/**
 * Daily digest per staff member at 08:30 (Asia/Shanghai) on working days of the Chinese calendar
 * (public holidays off, make-up Saturdays on; admin overrides included via CalendarSource):
 * tasks due today, overdue, and newly assigned since the previous working day's digest, with links.
 *
 * Driven by a BullMQ job scheduler (cron `30 8 * * *`, tz Asia/Shanghai) on the digest queue. A
 * tick is idempotent: one `notification_digest` row per (user, date) and the message's job key
 * `digest:<userId>:<date>` (BullMQ jobId and the delivery ledger), so a tick that runs twice (a
 * restart, two workers) sends each person one digest that day.
 */
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CalendarSource } from '../../activities/calendar';
import { jobIdOf, NotificationJob } from '../../activities/notifications';
import { shanghaiDate, shanghaiDateTime, WorkingDayCalendar } from '../domain/calendar/working-days';

export const DIGEST_SCHEDULER_ID = 'daily-digest';
export const DIGEST_CRON = '30 8 * * *';
export const DIGEST_TZ = 'Asia/Shanghai';

/** The day a tick at `at` is for, and whether a digest goes out that day. */
export function digestDay(cal: WorkingDayCalendar, at: Date): { date: string; send: boolean; reason: string } {
  const date = shanghaiDate(at);
  const d = cal.describe(date);
  return { date, send: d.working, reason: d.reason + (d.name ? ` ${d.name}` : '') };
}

/** "Newly assigned" counts from 08:30 of the previous working day (the previous digest). */
export function newlyAssignedSince(cal: WorkingDayCalendar, date: string): Date {
  return shanghaiDateTime(cal.subtractWorkingDays(date, 1), 8, 30);
}

export interface StaffRow {
  id: string;
  role: string;
  partner_id: string | null;
  path: string;
}

/** An open task as the digest needs it. */
export interface TaskRow {
  id: string;
  case_id: string;
  case_no: string;
  step: string;
  due_date: string;
  role: string;
  org_path: string;
  partner_id: string | null;
  assignee_user_id: string | null;
}

export interface DigestItem {
  taskId: string;
  caseId: string;
  caseNo: string;
  step: string;
  dueDate: string;
  link: string;
}

export interface DigestContent {
  dueToday: DigestItem[];
  overdue: DigestItem[];
  newlyAssigned: DigestItem[];
}

export interface TickResult {
  date: string;
  send: boolean;
  reason: string;
  staff: number;
  enqueued: number;
}

/** '/a/b/c/' → ['/a/', '/a/b/', '/a/b/c/'] */
function prefixes(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

/**
 * Who sees which task in the digest, by the inbox rule: tasks assigned to them, and unclaimed
 * tasks of their role in their area (partner staff: of their partner); managers, who hold no
 * tasks, see what is due or overdue in their area. Indexed, so 10,000 staff × 10,000 open tasks
 * is a few hash lookups per person, not a scan.
 */
export function planDigests(
  staff: StaffRow[],
  due: TaskRow[],
  fresh: { user_id: string; task: TaskRow }[],
  date: string,
  publicUrl = '',
): Map<string, DigestContent> {
  const mine = new Map<string, TaskRow[]>();
  const pool = new Map<string, TaskRow[]>(); // `${role}|${ancestor path}` or `partner|${partnerId}`
  const area = new Map<string, TaskRow[]>(); // ancestor path → every task below it
  const push = (m: Map<string, TaskRow[]>, k: string, t: TaskRow) => {
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  };
  for (const t of due) {
    for (const p of prefixes(t.org_path)) push(area, p, t);
    if (t.assignee_user_id) push(mine, t.assignee_user_id, t);
    else if (t.role === 'partner_staff') {
      if (t.partner_id) push(pool, `partner|${t.partner_id}`, t);
    } else if (!t.partner_id) for (const p of prefixes(t.org_path)) push(pool, `${t.role}|${p}`, t);
  }
  const newly = new Map<string, TaskRow[]>();
  for (const f of fresh) push(newly, f.user_id, f.task);

  const item = (t: TaskRow): DigestItem => ({
    taskId: t.id,
    caseId: t.case_id,
    caseNo: t.case_no,
    step: t.step,
    dueDate: t.due_date,
    link: `${publicUrl}/app/cases/${t.case_id}`,
  });
  const byDue = (a: TaskRow, b: TaskRow) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.id < b.id ? -1 : 1);
  const out = new Map<string, DigestContent>();
  for (const u of staff) {
    let visible: TaskRow[];
    if (u.role === 'manager') visible = area.get(u.path) ?? [];
    else {
      const own = mine.get(u.id) ?? [];
      const claimable = u.role === 'partner_staff' ? (u.partner_id ? (pool.get(`partner|${u.partner_id}`) ?? []) : []) : (pool.get(`${u.role}|${u.path}`) ?? []);
      visible = [...own, ...claimable];
    }
    visible = [...new Map(visible.map((t) => [t.id, t])).values()].sort(byDue);
    const seen = new Set<string>();
    const news = (newly.get(u.id) ?? []).filter((t) => !seen.has(t.id) && seen.add(t.id));
    out.set(u.id, {
      dueToday: visible.filter((t) => t.due_date === date).slice(0, 200).map(item),
      overdue: visible.filter((t) => t.due_date < date).slice(0, 200).map(item),
      newlyAssigned: news.sort(byDue).slice(0, 200).map(item),
    });
  }
  return out;
}

export class DigestService {
  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarSource,
    private readonly notifications: Queue,
    private readonly publicUrl: string | undefined,
  ) {}

  async tick(at: Date): Promise<TickResult> {
    const cal = await this.calendar.get();
    const day = digestDay(cal, at);
    if (!day.send) return { ...day, staff: 0, enqueued: 0 };
    const since = newlyAssignedSince(cal, day.date);
    // Three set queries, whatever the number of staff: everyone, open tasks due by today, new assignments.
    const staff: StaffRow[] = await this.ds.query(
      `SELECT s.id, s.role, s.partner_id, o.path FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
       WHERE s.active AND s.role <> 'admin' ORDER BY s.id`,
    );
    const taskCols = `t.id, t.case_id, c.case_no, t.step, to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.assignee_role AS role,
                      t.org_path, t.partner_id, t.assignee_user_id`;
    const due: TaskRow[] = await this.ds.query(
      `SELECT ${taskCols} FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.status = 'open' AND t.due_date <= $1::date`,
      [day.date],
    );
    const fresh: (TaskRow & { user_id: string })[] = await this.ds.query(
      `SELECT DISTINCT ON (n.user_id, t.id) n.user_id, ${taskCols}
       FROM notification n JOIN task t ON t.id = n.task_id JOIN case_file c ON c.id = t.case_id
       WHERE n.type = 'task_assigned' AND n.created_at >= $1 AND t.status = 'open'`,
      [since],
    );
    const plans = planDigests(staff, due, fresh.map((f) => ({ user_id: f.user_id, task: f })), day.date, this.publicUrl ?? '');

    const rows: { id: string; items: number; content: DigestContent }[] = [];
    for (const u of staff) {
      const content = plans.get(u.id)!;
      rows.push({ id: u.id, items: content.dueToday.length + content.overdue.length + content.newlyAssigned.length, content });
    }
    // One row per person and day; a tick that runs again finds them and the ledger sends nothing twice.
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await this.ds.query(
        `INSERT INTO notification_digest (user_id, date, items) SELECT u, $2::date, n FROM unnest($1::uuid[], $3::int[]) AS x(u, n)
         ON CONFLICT (user_id, date) DO NOTHING`,
        [chunk.map((r) => r.id), day.date, chunk.map((r) => r.items)],
      );
    }
    const jobs: { name: string; data: NotificationJob; opts: { jobId: string } }[] = rows
      .filter((r) => r.items > 0) // nothing to report: no message
      .map((r) => {
        const key = `digest:${r.id}:${day.date}`;
        return {
          name: 'daily_digest',
          data: { key, userId: r.id, type: 'daily_digest' as const, caseId: null, vars: { date: day.date, ...r.content } },
          opts: { jobId: jobIdOf(key) },
        };
      });
    for (let i = 0; i < jobs.length; i += 500) await this.notifications.addBulk(jobs.slice(i, i + 500));
    return { ...day, staff: staff.length, enqueued: jobs.length };
  }
}
