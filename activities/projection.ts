import { DataSource } from 'typeorm';
import type { ProjectionBatch } from './types';

/**
 * Writes one flush of a case workflow into the read models, in one transaction:
 * timeline events (unique by case + seq, so a retried activity inserts nothing twice),
 * the case row and its tasks (only if this batch is newer than what is stored: the case row by
 * (seq, rowVersion), so a row-only change at the same seq is written and a late retry is not).
 */
export async function projectCase(ds: DataSource, b: ProjectionBatch): Promise<void> {
  await ds.transaction(async (m) => {
    const c = b.caseRow;
    await m.query(
      `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on,
         outcome, workflow_id, rule_version, partner_id, campaign_id, created_by, data, projected_seq, opened_at, closed_at, row_version)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, step = EXCLUDED.step, waiting_on = EXCLUDED.waiting_on,
         outcome = EXCLUDED.outcome, partner_id = EXCLUDED.partner_id, data = EXCLUDED.data,
         projected_seq = EXCLUDED.projected_seq, row_version = EXCLUDED.row_version, closed_at = EXCLUDED.closed_at, updated_at = now()
       WHERE case_file.projected_seq < EXCLUDED.projected_seq
          OR (case_file.projected_seq = EXCLUDED.projected_seq AND case_file.row_version < EXCLUDED.row_version)`,
      [c.id, c.caseNo, c.programme, c.personId, c.orgUnitCode, c.orgPath, c.status, c.step, c.waitingOn, c.outcome,
        c.workflowId, c.ruleVersion, c.partnerId, c.campaignId, c.createdBy, JSON.stringify(c.data), b.seq, c.openedAt, c.closedAt, b.rowVersion ?? 0],
    );
    for (const e of b.events) {
      await m.query(
        `INSERT INTO case_event (case_id, seq, type, step, task_id, actor_id, actor_name, actor_role, decision, reason, rule_version, data, at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
         ON CONFLICT (case_id, seq) DO NOTHING`,
        [c.id, e.seq, e.type, e.step ?? null, e.taskId ?? null, e.actor?.id ?? null, e.actor?.name ?? null,
          e.actor?.role ?? null, e.decision ?? null, e.reason ?? null, c.ruleVersion, JSON.stringify(e.data ?? {}), e.at],
      );
    }
    for (const t of b.tasks) {
      await m.query(
        `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id,
           assignee_user_id, due_at, due_date, overdue, reminded_at, escalated_at, decision, decided_by, note, created_at,
           completed_at, projected_seq, clock_start_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, assignee_user_id = EXCLUDED.assignee_user_id,
           overdue = EXCLUDED.overdue, reminded_at = EXCLUDED.reminded_at, escalated_at = EXCLUDED.escalated_at,
           decision = EXCLUDED.decision, decided_by = EXCLUDED.decided_by, note = EXCLUDED.note,
           completed_at = EXCLUDED.completed_at, projected_seq = EXCLUDED.projected_seq
         WHERE task.projected_seq < EXCLUDED.projected_seq`,
        [t.id, c.id, c.programme, t.step, t.kind, t.status, t.assigneeRole, t.orgUnitCode, t.orgPath, t.partnerId,
          t.assigneeUserId, t.dueAt, t.dueDate, t.overdue, t.remindedAt, t.escalatedAt, t.decision, t.decidedBy, t.note,
          t.createdAt, t.completedAt, b.seq, t.clockStartAt ?? null],
      );
    }
  });
}
