/**
 * Activities of the training → placement programme: course places and the waitlist, the
 * enrolment read model (hours, pass, certificate), employer offers and placements. Each is
 * idempotent (keyed by case id / placement id, guarded by row locks), because activities run at
 * least once. Course dates are compared with the workflow's time (`at`), never the wall clock.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { coursePlaceOfferedSignal } from '../workflows/contracts/training';
import type {
  CoursePlaceRelease,
  CoursePlaceRequest,
  CoursePlaceResult,
  JobOfferCheck,
  JobOfferCheckResult,
  PlacementRow,
  TrainingActivities,
  TrainingRecordInput,
} from './types';

const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Enrolment states that hold a place on the course. */
export const HOLDS_PLACE = `('enrolled','completed','incomplete')`;

interface CourseLock {
  id: string;
  name: string;
  status: string;
  places: number;
  start: string;
  end: string;
}

async function lockCourse(m: EntityManager, courseId: string): Promise<CourseLock | undefined> {
  const rows: CourseLock[] = await m.query(
    `SELECT id, name, status, places, to_char(start_date,'YYYY-MM-DD') AS start, to_char(end_date,'YYYY-MM-DD') AS "end"
     FROM course WHERE id = $1 FOR UPDATE`,
    [courseId],
  );
  return rows[0];
}

async function waitPosition(m: EntityManager, caseId: string): Promise<number> {
  const [r] = await m.query(
    `SELECT count(*)::int AS n FROM course_enrolment w, course_enrolment me
     WHERE me.case_id = $1 AND w.course_id = me.course_id AND w.status = 'waiting'
       AND (w.requested_at, w.case_id) <= (me.requested_at, me.case_id)`,
    [caseId],
  );
  return r.n;
}

/**
 * Moves waitlisted trainees into free places, first come first served, while late entry is still
 * possible (until the course start + `lateEntryDays`, and never after the course ends). Call
 * inside a transaction holding the course row lock; returns the case ids moved in (their
 * workflows are signalled by `signalPromoted` after the commit).
 */
export async function promoteWaitlist(m: EntityManager, course: CourseLock, day: string, lateEntryDays: number): Promise<string[]> {
  const lastEntry = [addDays(course.start, lateEntryDays), course.end].sort()[0];
  if (day > lastEntry || course.status === 'cancelled') return [];
  const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM course_enrolment WHERE course_id = $1 AND status IN ${HOLDS_PLACE}`, [course.id]);
  const free = course.places - n;
  if (free <= 0) return [];
  const rows: { case_id: string }[] = await m.query(
    `UPDATE course_enrolment SET status = 'enrolled', enrolled_at = now(), notified_at = NULL, updated_at = now()
     WHERE case_id IN (SELECT case_id FROM course_enrolment WHERE course_id = $1 AND status = 'waiting'
                       ORDER BY requested_at, case_id LIMIT $2)
     RETURNING case_id`,
    [course.id, free],
  );
  return rows.map((r) => r.case_id);
}

/**
 * Signals every moved-in trainee of the course whose workflow has not been told yet (after the
 * commit, so a retry re-sends only what is missing). A workflow that no longer runs gives its place
 * up (withdrawn) and the next one moves in.
 */
export async function signalPromoted(ds: DataSource, client: Client, courseId: string, day: string, lateEntryDays: number): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 50; i++) {
    const rows: { case_id: string; workflow_id: string }[] = await ds.query(
      `SELECT case_id, workflow_id FROM course_enrolment WHERE course_id = $1 AND status = 'enrolled' AND notified_at IS NULL ORDER BY enrolled_at, case_id`,
      [courseId],
    );
    if (!rows.length) return sent;
    let gone = false;
    for (const r of rows) {
      try {
        await client.workflow.getHandle(r.workflow_id).signal(coursePlaceOfferedSignal, { courseId });
        await ds.query(`UPDATE course_enrolment SET notified_at = now() WHERE case_id = $1`, [r.case_id]);
        sent++;
      } catch (err) {
        if ((err as Error)?.name !== 'WorkflowNotFoundError') throw err;
        gone = true;
        await ds.transaction(async (m) => {
          const c = await lockCourse(m, courseId);
          await m.query(
            `UPDATE course_enrolment SET status = 'withdrawn', reason = 'case no longer running', ended_at = now(), updated_at = now() WHERE case_id = $1 AND status = 'enrolled'`,
            [r.case_id],
          );
          if (c) await promoteWaitlist(m, c, day, lateEntryDays);
        });
      }
    }
    if (!gone) return sent;
  }
  return sent;
}

/**
 * A place for an approved trainee, or the end of the waitlist (nobody jumps the queue). The course
 * dates do not refuse: enrolment is open while the county keeps the course `open` (a course that has
 * already run can be back-filled); only a cancelled course refuses.
 */
export async function reserveCoursePlace(ds: DataSource, r: CoursePlaceRequest): Promise<CoursePlaceResult> {
  return ds.transaction(async (m) => {
    const c = await lockCourse(m, r.courseId);
    if (!c) return { status: 'refused', reason: '培训班不存在 / unknown course' };
    const mine: { status: string }[] = await m.query(`SELECT status FROM course_enrolment WHERE case_id = $1`, [r.caseId]);
    if (mine[0]) {
      // A retried activity: answer what the first run decided.
      if (mine[0].status === 'waiting') return { status: 'waiting', position: await waitPosition(m, r.caseId) };
      if (mine[0].status === 'expired' || mine[0].status === 'withdrawn') return { status: 'refused', reason: '已离开候补名单 / left the waitlist' };
      return { status: 'enrolled' };
    }
    if (c.status === 'cancelled') return { status: 'refused', reason: `「${c.name}」已取消 / the course was cancelled` };
    const [{ taken, waiting }] = await m.query(
      `SELECT count(*) FILTER (WHERE status IN ${HOLDS_PLACE})::int AS taken, count(*) FILTER (WHERE status = 'waiting')::int AS waiting
       FROM course_enrolment WHERE course_id = $1`,
      [r.courseId],
    );
    const enrolled = taken < c.places && waiting === 0;
    await m.query(
      `INSERT INTO course_enrolment (case_id, course_id, person_id, org_path, workflow_id, status, enrolled_at, notified_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$7)`,
      [r.caseId, r.courseId, r.personId, r.orgPath, r.workflowId, enrolled ? 'enrolled' : 'waiting', enrolled ? new Date() : null],
    );
    return enrolled ? { status: 'enrolled' } : { status: 'waiting', position: await waitPosition(m, r.caseId) };
  });
}

export async function leaveWaitlist(ds: DataSource, r: { caseId: string; courseId: string; at: string }): Promise<{ admitted: boolean }> {
  return ds.transaction(async (m) => {
    await lockCourse(m, r.courseId);
    const [mine]: { status: string }[] = await m.query(`SELECT status FROM course_enrolment WHERE case_id = $1`, [r.caseId]);
    if (mine?.status === 'enrolled') {
      // Moved in just before the deadline: the signal may still be on its way; it is not needed now.
      await m.query(`UPDATE course_enrolment SET notified_at = coalesce(notified_at, now()) WHERE case_id = $1`, [r.caseId]);
      return { admitted: true };
    }
    if (mine?.status === 'waiting') {
      await m.query(`UPDATE course_enrolment SET status = 'expired', reason = 'late-entry deadline passed', ended_at = $2, updated_at = now() WHERE case_id = $1`, [r.caseId, r.at]);
    }
    return { admitted: false };
  });
}

export async function releaseCoursePlace(ds: DataSource, client: () => Client, r: CoursePlaceRelease): Promise<{ promoted: number }> {
  const day = shanghaiDay(r.at);
  await ds.transaction(async (m) => {
    const c = await lockCourse(m, r.courseId);
    await m.query(
      `UPDATE course_enrolment SET status = $2, reason = $3, ended_at = $4, updated_at = now() WHERE case_id = $1 AND status IN ('enrolled','waiting')`,
      [r.caseId, r.status, r.reason.slice(0, 500), r.at],
    );
    if (c) await promoteWaitlist(m, c, day, r.lateEntryDays);
  });
  return { promoted: await signalPromoted(ds, client(), r.courseId, day, r.lateEntryDays) };
}

export async function recordTraining(ds: DataSource, r: TrainingRecordInput): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [r.caseId];
  const set = (col: string, v: unknown) => sets.push(`${col} = $${params.push(v)}`);
  if (r.hoursAttended !== undefined) set('hours_attended', r.hoursAttended);
  if (r.status) {
    set('status', r.status);
    set('ended_at', r.at);
  }
  if (r.passed !== undefined) {
    set('passed', r.passed);
    set('certificate_no', r.certificateNo ?? null);
    set('certificate_level', r.certificateLevel ?? null);
  }
  if (!sets.length) return;
  await ds.query(`UPDATE course_enrolment SET ${sets.join(', ')}, updated_at = now() WHERE case_id = $1`, params);
}

export async function checkJobOffer(ds: DataSource, r: JobOfferCheck): Promise<JobOfferCheckResult> {
  const day = shanghaiDay(r.at);
  const [p]: { name: string; kind: string; status: string; start: string; end: string; path: string }[] = await ds.query(
    `SELECT p.name, p.kind, p.status, to_char(p.agreement_start,'YYYY-MM-DD') AS start, to_char(p.agreement_end,'YYYY-MM-DD') AS "end", o.path
     FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1`,
    [r.employerId],
  );
  if (!p || p.kind !== 'employer') return { ok: false, reason: '所选单位不是登记的用人单位 / not a registered employer' };
  if (!r.orgPath.startsWith(p.path)) return { ok: false, reason: `${p.name} 不在本县（市） / ${p.name} is outside this area` };
  if (p.status !== 'active') return { ok: false, reason: `${p.name} 已暂停合作 / suspended` };
  if (day < p.start || day > p.end) return { ok: false, reason: `${p.name} 协议不在有效期内 / agreement not in force` };
  if (!r.positionId) return { ok: true, employerName: p.name, position: null };
  const [pos]: { employer_id: string; title: string; openings: number; monthly_pay: string | null; contract_months: number | null; social_insurance: boolean; status: string; filled: number }[] =
    await ds.query(
      `SELECT j.employer_id, j.title, j.openings, j.monthly_pay, j.contract_months, j.social_insurance, j.status,
              (SELECT count(*)::int FROM job_placement pl WHERE pl.position_id = j.id AND pl.status IN ('active','stable') AND pl.case_id <> $2) AS filled
       FROM job_position j WHERE j.id = $1`,
      [r.positionId, r.caseId],
    );
  if (!pos || pos.employer_id !== r.employerId) return { ok: false, reason: `${p.name} 没有该岗位 / no such position at ${p.name}` };
  if (pos.status !== 'open') return { ok: false, reason: `岗位「${pos.title}」已关闭 / position closed` };
  if (pos.filled >= pos.openings) return { ok: false, reason: `岗位「${pos.title}」已招满（${pos.openings} 人） / position filled` };
  return {
    ok: true,
    employerName: p.name,
    position: { title: pos.title, monthlyPay: pos.monthly_pay === null ? null : Number(pos.monthly_pay), contractMonths: pos.contract_months, socialInsurance: pos.social_insurance },
  };
}

export async function recordPlacement(ds: DataSource, p: PlacementRow): Promise<void> {
  await ds.query(
    `INSERT INTO job_placement (id, case_id, person_id, course_id, org_path, channel, employer_id, position_id, detail, start_date, end_date,
       contract_months, monthly_pay, social_insurance, business_licence, support_amount, disability_grade, counts_toward_quota, quota_weight,
       quota_reasons, status, end_reason)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
     ON CONFLICT (id) DO UPDATE SET end_date = EXCLUDED.end_date, status = EXCLUDED.status, end_reason = EXCLUDED.end_reason, updated_at = now()`,
    [p.id, p.caseId, p.personId, p.courseId, p.orgPath, p.channel, p.employerId, p.positionId, p.detail, p.startDate, p.endDate,
      p.contractMonths, p.monthlyPay, p.socialInsurance, p.businessLicence, p.supportAmount, p.disabilityGrade, p.countsTowardQuota, p.quotaWeight,
      p.quotaReasons, p.status, p.endReason],
  );
}

/** The training activities bound to the database; signals go out through the Worker's client. */
export function createTrainingActivities(ds: DataSource): TrainingActivities {
  return {
    reserveCoursePlace: (i) => reserveCoursePlace(ds, i),
    leaveWaitlist: (i) => leaveWaitlist(ds, i),
    releaseCoursePlace: (i) => releaseCoursePlace(ds, () => Context.current().client, i),
    recordTraining: (i) => recordTraining(ds, i),
    checkJobOffer: (i) => checkJobOffer(ds, i),
    recordPlacement: (p) => recordPlacement(ds, p),
  };
}
