/**
 * Read-model rows for notification tests that do not need a whole workflow: a case (case_file)
 * and tasks (task) as the projection writes them, and staff with a phone and an e-mail address.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

let seq = 0;

export async function readModelCase(ds: DataSource, person: { id: string }, org: { code: string; path: string }) {
  const id = randomUUID();
  const caseNo = `CAT-2026-9${String(Date.now() % 100000).padStart(5, '0')}${++seq}`;
  await ds.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, step, workflow_id, rule_version, opened_at)
     VALUES ($1,$2,'cataract',$3,$4,$5,'screening',$6,'cataract@test',now())`,
    [id, caseNo, person.id, org.code, org.path, `test-${id}`],
  );
  return { id, caseNo };
}

export async function readModelTask(
  ds: DataSource,
  c: { id: string },
  t: { step: string; kind?: 'approval' | 'record' | 'followup'; role: string; org: { code: string; path: string }; assignee?: string | null; dueDate: string; partnerId?: string | null; status?: string },
) {
  const id = `${c.id}-t${++seq}`;
  await ds.query(
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id, assignee_user_id, due_at, due_date, created_at)
     VALUES ($1,$2,'cataract',$3,$4,$5,$6,$7,$8,$9,$10,($11::date + interval '1 day' - interval '8 hours' - interval '1 millisecond'),$11,now())`,
    [id, c.id, t.step, t.kind ?? 'record', t.status ?? 'open', t.role, t.org.code, t.org.path, t.partnerId ?? null, t.assignee ?? null, t.dueDate],
  );
  return { id };
}

export async function setContact(ds: DataSource, userId: string, phone: string | null, email: string | null, locale = 'zh-CN') {
  await ds.query(`UPDATE staff_user SET phone = $2, email = $3, locale = $4 WHERE id = $1`, [userId, phone, email, locale]);
}

export function phoneFor(i: number): string {
  return `139${String(10_000_000 + i).slice(-8)}`;
}
