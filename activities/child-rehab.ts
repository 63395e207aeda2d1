/**
 * Child rescue rehabilitation: places at designated institutions (capacity, waitlist), service
 * agreements per year and institution, and payments. Every activity is idempotent (unique keys,
 * conditional updates), because activities run at least once.
 *
 * Capacity is counted from active agreements (written only here, under a row lock on the
 * partner), not from case_file.partner_id, which the projection writes asynchronously.
 * Waitlist order: priority (higher first), then the time the child joined.
 */
import { DataSource } from 'typeorm';
import type {
  ChildRehabActivities,
  PaymentInput,
  RehabNextWaitingInput,
  RehabPeriodInput,
  RehabPlaceInput,
  RehabPlaceResult,
  RehabReleaseInput,
  RehabRenewInput,
} from './types';

const WAIT_ORDER = `w.priority DESC, w.joined_at, w.id`;

export async function rehabPlace(ds: DataSource, r: RehabPlaceInput): Promise<RehabPlaceResult> {
  return ds.transaction(async (m) => {
    const rows: { name: string; kind: string; status: string; services: string[]; capacity: number | null; in_force: boolean; path: string }[] = await m.query(
      `SELECT p.name, p.kind, p.status, p.services, p.capacity, o.path,
              (p.agreement_start <= (now() AT TIME ZONE 'Asia/Shanghai')::date AND p.agreement_end >= (now() AT TIME ZONE 'Asia/Shanghai')::date) AS in_force
       FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1 FOR UPDATE OF p`,
      [r.partnerId],
    );
    const p = rows[0];
    if (!p) return { ok: false, waitlisted: false, reason: '所选康复机构不存在 / unknown institution' };
    const held: unknown[] = await m.query(`SELECT 1 FROM rehab_agreement WHERE agreement_key = $1`, [r.agreementKey]);
    if (held.length) return { ok: true, partnerName: p.name, partnerOrgPath: p.path };
    if (p.kind !== 'rehab_institution') return { ok: false, waitlisted: false, reason: `${p.name} 不是定点康复机构 / not a rehabilitation institution` };
    if (p.status !== 'active') return { ok: false, waitlisted: false, reason: `${p.name} 已暂停合作 / suspended` };
    if (!p.in_force) return { ok: false, waitlisted: false, reason: `${p.name} 协议不在有效期内 / agreement not in force` };
    if (!p.services.includes(r.service)) return { ok: false, waitlisted: false, reason: `${p.name} 不提供该服务 / does not offer ${r.service}` };

    const [{ used }] = await m.query(`SELECT count(*)::int AS used FROM rehab_agreement WHERE partner_id = $1 AND status = 'active'`, [r.partnerId]);
    const ahead = async (): Promise<number> => {
      const [{ n }] = await m.query(
        `WITH me AS (SELECT priority, joined_at, id FROM rehab_waitlist WHERE partner_id = $1 AND case_id = $2 AND status = 'waiting')
         SELECT count(*)::int AS n FROM rehab_waitlist w
         WHERE w.partner_id = $1 AND w.status = 'waiting' AND w.case_id <> $2
           AND (NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM me WHERE (w.priority > me.priority)
                OR (w.priority = me.priority AND (w.joined_at, w.id) < (me.joined_at, me.id))))`,
        [r.partnerId, r.caseId],
      );
      return n;
    };
    const before = await ahead();
    if (p.capacity === null || used + before < p.capacity) {
      await m.query(
        `INSERT INTO rehab_agreement (agreement_key, case_id, person_id, partner_id, org_path, category, year, status, out_of_area)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'active',$8) ON CONFLICT (agreement_key) DO NOTHING`,
        [r.agreementKey, r.caseId, r.personId, r.partnerId, r.orgPath, r.category, r.year, !r.orgPath.startsWith(p.path)],
      );
      await m.query(
        `UPDATE rehab_waitlist SET status = 'placed', left_at = now() WHERE partner_id = $1 AND case_id = $2 AND status = 'waiting'`,
        [r.partnerId, r.caseId],
      );
      await m.query(`UPDATE case_file SET partner_id = $2 WHERE id = $1`, [r.caseId, r.partnerId]);
      return { ok: true, partnerName: p.name, partnerOrgPath: p.path };
    }
    // Full: join (or stay on) this institution's waitlist; a retry keeps the original place in line.
    await m.query(
      `INSERT INTO rehab_waitlist (partner_id, case_id, person_id, org_path, category, priority, status)
       VALUES ($1,$2,$3,$4,$5,$6,'waiting')
       ON CONFLICT (partner_id, case_id) DO UPDATE SET
         joined_at = CASE WHEN rehab_waitlist.status = 'waiting' THEN rehab_waitlist.joined_at ELSE now() END,
         status = 'waiting', priority = EXCLUDED.priority, left_at = NULL`,
      [r.partnerId, r.caseId, r.personId, r.orgPath, r.category, r.priority],
    );
    return { ok: false, waitlisted: true, position: (await ahead()) + 1, partnerName: p.name, partnerOrgPath: p.path };
  });
}

/** Ends the agreement (the place is free again) and takes the partner off the case row. */
export async function rehabRelease(ds: DataSource, r: RehabReleaseInput): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(`SELECT 1 FROM partner WHERE id = $1 FOR UPDATE`, [r.partnerId]);
    if (r.agreementKey) {
      await m.query(
        `UPDATE rehab_agreement SET status = 'ended', ended_at = now(), end_reason = $2 WHERE agreement_key = $1 AND status = 'active'`,
        [r.agreementKey, r.reason.slice(0, 40)],
      );
    }
    await m.query(`UPDATE case_file SET partner_id = NULL WHERE id = $1 AND partner_id = $2`, [r.caseId, r.partnerId]);
  });
}

/** The first open case waiting for this institution (the one a freed place is offered to). */
export async function rehabNextWaiting(ds: DataSource, r: RehabNextWaitingInput): Promise<{ caseId: string; workflowId: string } | null> {
  const rows: { case_id: string; workflow_id: string }[] = await ds.query(
    `SELECT w.case_id, c.workflow_id FROM rehab_waitlist w JOIN case_file c ON c.id = w.case_id
     WHERE w.partner_id = $1 AND w.status = 'waiting' AND c.status = 'open' AND NOT (w.case_id = ANY($2::uuid[]))
     ORDER BY ${WAIT_ORDER} LIMIT 1`,
    [r.partnerId, r.skip],
  );
  return rows[0] ? { caseId: rows[0].case_id, workflowId: rows[0].workflow_id } : null;
}

export async function rehabLeaveWaitlist(ds: DataSource, r: { caseId: string; partnerId: string | null }): Promise<void> {
  await ds.query(
    `UPDATE rehab_waitlist SET status = 'left', left_at = now() WHERE case_id = $1 AND status = 'waiting' AND ($2::uuid IS NULL OR partner_id = $2)`,
    [r.caseId, r.partnerId],
  );
}

export async function rehabRecordPeriod(ds: DataSource, r: RehabPeriodInput): Promise<void> {
  await ds.query(`UPDATE rehab_agreement SET months = $2, effective = $3 WHERE agreement_key = $1`, [r.agreementKey, r.months, r.effective]);
}

/** A continuing child keeps the place: this year's agreement ends, next year's starts, in one step. */
export async function rehabRenewAgreement(ds: DataSource, r: RehabRenewInput): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(
      `INSERT INTO rehab_agreement (agreement_key, case_id, person_id, partner_id, org_path, category, year, status, out_of_area)
       SELECT $2, case_id, person_id, partner_id, org_path, category, $3, 'active', out_of_area FROM rehab_agreement WHERE agreement_key = $1
       ON CONFLICT (agreement_key) DO NOTHING`,
      [r.fromKey, r.toKey, r.year],
    );
    await m.query(
      `UPDATE rehab_agreement SET status = 'ended', ended_at = now(), end_reason = 'year_end' WHERE agreement_key = $1 AND status = 'active'`,
      [r.fromKey],
    );
  });
}

export async function recordPayment(ds: DataSource, p: PaymentInput): Promise<void> {
  await ds.query(
    `INSERT INTO payment (payment_key, case_id, programme, person_id, org_path, partner_id, payee_kind, item, amount, year, approved_by, reference)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (payment_key) DO NOTHING`,
    [p.key, p.caseId, p.programme, p.personId, p.orgPath, p.partnerId, p.payeeKind, p.item, p.amount, p.year, p.approvedBy, p.reference],
  );
}

export function childRehabActivities(ds: DataSource): ChildRehabActivities {
  return {
    rehabPlace: (i) => rehabPlace(ds, i),
    rehabRelease: (i) => rehabRelease(ds, i),
    rehabNextWaiting: (i) => rehabNextWaiting(ds, i),
    rehabLeaveWaitlist: (i) => rehabLeaveWaitlist(ds, i),
    rehabRecordPeriod: (i) => rehabRecordPeriod(ds, i),
    rehabRenewAgreement: (i) => rehabRenewAgreement(ds, i),
    recordPayment: (i) => recordPayment(ds, i),
  };
}
