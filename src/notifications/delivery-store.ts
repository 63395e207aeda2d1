/**
 * The delivery ledger (notification_delivery) and the attempt log (notification_attempt) in
 * Postgres. Each channel job makes two statements: `claim` (row lock, attempt number, recipient,
 * task state) and `finish` (attempt row + new status). Calls from concurrent jobs are batched
 * into one statement each (Batcher), so a busy notifier makes far fewer round trips.
 */
import { DataSource } from 'typeorm';
import { Batcher } from './batcher';
import type { AttemptOutcome, ChannelName, DeliveryStatus, DeliveryType, RecipientKind } from './types';

export interface NewDelivery {
  jobKey: string;
  channel: ChannelName;
  type: DeliveryType;
  recipientKind: RecipientKind;
  recipientId: string;
  caseId: string | null;
  taskId: string | null;
  vars: Record<string, unknown>;
  notBefore: Date | null;
}

export interface StoredDelivery {
  id: string;
  jobKey: string;
  channel: ChannelName;
  status: DeliveryStatus;
  retries: number;
  notBefore: Date | null;
}

/** A claimed delivery with what sending needs (recipient, task state). */
export interface Claimed {
  id: string;
  jobKey: string;
  channel: ChannelName;
  type: DeliveryType;
  recipientKind: RecipientKind;
  recipientId: string;
  caseId: string | null;
  taskId: string | null;
  vars: Record<string, unknown>;
  attemptNo: number;
  /** Status before this claim; 'sending' means the previous attempt was cut off mid-send. */
  prevStatus: DeliveryStatus;
  taskStatus: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  active: boolean;
  smsConsent: boolean;
}

export interface Finish {
  outcome: AttemptOutcome;
  status: DeliveryStatus;
  error?: string | null;
  /** Masked address used. */
  address?: string | null;
  notBefore?: Date | null;
}

export function recipientRef(kind: RecipientKind, id: string): string {
  return `${kind}:${id}`;
}

export class DeliveryStore {
  constructor(private readonly ds: DataSource) {}

  private readonly upserts = new Batcher<NewDelivery[], StoredDelivery[]>((groups) => this.upsertMany(groups));
  private readonly claims = new Batcher<string, Claimed | null>((ids) => this.claimMany(ids));
  private readonly finishes = new Batcher<[Claimed, Finish], void>((items) => this.finishMany(items));

  /** Creates the ledger rows (or finds them: a re-run router adds nothing). */
  upsert(rows: NewDelivery[]): Promise<StoredDelivery[]> {
    return rows.length ? this.upserts.push(rows) : Promise.resolve([]);
  }

  private async upsertMany(groups: NewDelivery[][]): Promise<StoredDelivery[][]> {
    // One row per (job key, channel) even if two jobs for the same message meet in a batch.
    const unique = new Map<string, NewDelivery>();
    for (const g of groups) for (const r of g) unique.set(`${r.jobKey}\u0000${r.channel}`, r);
    const rows = [...unique.values()];
    const out: any[] = await this.ds.query(
      `INSERT INTO notification_delivery (job_key, channel, type, recipient_kind, recipient_id, case_id, task_id, vars, not_before)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::uuid[], $6::uuid[], $7::varchar[], $8::jsonb[], $9::timestamptz[])
       ON CONFLICT (job_key, channel) DO UPDATE SET job_key = EXCLUDED.job_key
       RETURNING id, job_key, channel, status, retries, not_before`,
      [
        rows.map((r) => r.jobKey),
        rows.map((r) => r.channel),
        rows.map((r) => r.type),
        rows.map((r) => r.recipientKind),
        rows.map((r) => r.recipientId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.taskId),
        rows.map((r) => JSON.stringify(r.vars)),
        rows.map((r) => r.notBefore),
      ],
    );
    const byKey = new Map<string, StoredDelivery>();
    for (const r of out) {
      byKey.set(`${r.job_key}\u0000${r.channel}`, { id: r.id, jobKey: r.job_key, channel: r.channel, status: r.status, retries: r.retries, notBefore: r.not_before });
    }
    return groups.map((g) => g.map((r) => byKey.get(`${r.jobKey}\u0000${r.channel}`)!));
  }

  /**
   * Starts an attempt: locks the row, counts the attempt and returns it with the recipient and
   * task state; null when there is nothing to do (already sent, skipped or dead-lettered).
   */
  claim(deliveryId: string): Promise<Claimed | null> {
    return this.claims.push(deliveryId);
  }

  private async claimMany(ids: string[]): Promise<(Claimed | null)[]> {
    const rows: any[] = await this.ds.query(
      `WITH prev AS (
         SELECT id, status FROM notification_delivery WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       ), upd AS (
         UPDATE notification_delivery d SET status = 'sending', attempts = d.attempts + 1, updated_at = now()
         FROM prev WHERE d.id = prev.id AND prev.status IN ('queued', 'failed', 'sending')
         RETURNING d.id, d.job_key, d.channel, d.type, d.recipient_kind, d.recipient_id, d.case_id, d.task_id, d.vars,
                   d.attempts, prev.status AS prev_status
       )
       SELECT upd.*, t.status AS task_status,
              coalesce(s.display_name, p.name) AS name,
              coalesce(s.phone, p.phone, p.guardian_phone) AS phone,
              s.email, coalesce(s.locale, 'zh-CN') AS locale,
              coalesce(s.active, p.id IS NOT NULL) AS active,
              coalesce(sc.consent, false) AS sms_consent
       FROM upd
       LEFT JOIN task t ON t.id = upd.task_id
       LEFT JOIN staff_user s ON upd.recipient_kind = 'staff' AND s.id = upd.recipient_id
       LEFT JOIN person p ON upd.recipient_kind = 'person' AND p.id = upd.recipient_id
       LEFT JOIN person_sms_consent sc ON upd.recipient_kind = 'person' AND sc.person_id = upd.recipient_id`,
      [[...new Set(ids)]],
    );
    const byId = new Map<string, any>(rows.map((r) => [r.id, r]));
    // The same delivery twice in one batch (a redelivered job meeting the original): only the first proceeds.
    const seen = new Set<string>();
    return ids.map((id) => {
      const r = byId.get(id);
      if (!r || seen.has(id)) return null;
      seen.add(id);
      return {
        id: r.id,
        jobKey: r.job_key,
        channel: r.channel,
        type: r.type,
        recipientKind: r.recipient_kind,
        recipientId: r.recipient_id,
        caseId: r.case_id,
        taskId: r.task_id,
        vars: r.vars ?? {},
        attemptNo: r.attempts,
        prevStatus: r.prev_status,
        taskStatus: r.task_status,
        name: r.name,
        phone: r.phone,
        email: r.email,
        locale: r.locale,
        active: r.active,
        smsConsent: r.sms_consent,
      };
    });
  }

  /** Logs an attempt cut off mid-send (the process died): its outcome is unknown. */
  async logInterrupted(c: Claimed): Promise<void> {
    await this.ds.query(
      `INSERT INTO notification_attempt (delivery_id, job_key, channel, recipient, case_id, attempt_no, outcome, error)
       VALUES ($1,$2,$3,$4,$5,$6,'interrupted','the notifier stopped during this attempt; whether it was delivered is unknown')`,
      [c.id, c.jobKey, c.channel, recipientRef(c.recipientKind, c.recipientId), c.caseId, c.attemptNo - 1],
    );
  }

  /** Ends an attempt: its log row and the delivery's new status, in one statement. */
  finish(c: Claimed, f: Finish): Promise<void> {
    return this.finishes.push([c, f]);
  }

  private async finishMany(items: [Claimed, Finish][]): Promise<void[]> {
    await this.ds.query(
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::uuid[], $6::int[], $7::varchar[], $8::text[],
                              $9::varchar[], $10::varchar[], $11::timestamptz[])
           AS v(id, job_key, channel, recipient, case_id, attempt_no, outcome, error, status, address, not_before)
       ), a AS (
         INSERT INTO notification_attempt (delivery_id, job_key, channel, recipient, case_id, attempt_no, outcome, error)
         SELECT id, job_key, channel, recipient, case_id, attempt_no, outcome, error FROM v
       )
       UPDATE notification_delivery d SET status = v.status, last_error = v.error,
              sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE d.sent_at END,
              address = coalesce(v.address, d.address), not_before = v.not_before, updated_at = now()
       FROM v WHERE d.id = v.id`,
      [
        items.map(([c]) => c.id),
        items.map(([c]) => c.jobKey),
        items.map(([c]) => c.channel),
        items.map(([c]) => recipientRef(c.recipientKind, c.recipientId)),
        items.map(([c]) => c.caseId),
        items.map(([c]) => c.attemptNo),
        items.map(([, f]) => f.outcome),
        items.map(([, f]) => (f.error ? f.error.slice(0, 2000) : null)),
        items.map(([, f]) => f.status),
        items.map(([, f]) => f.address ?? null),
        items.map(([, f]) => f.notBefore ?? null),
      ],
    );
    return items.map(() => undefined);
  }

  /** Dead-letter list (newest first) of the deliveries within `scopePath` (see deliveryScopeSql). */
  async deadLetters(scopePath: string, limit: number, channel?: string) {
    const params: unknown[] = [limit];
    const where = [`d.status = 'dead'`, deliveryScopeSql('d', 'c', params, scopePath)];
    if (channel) where.push(`d.channel = $${params.push(channel)}`);
    const rows: any[] = await this.ds.query(
      `SELECT d.id, d.job_key, d.channel, d.type, d.recipient_kind, d.recipient_id, d.address, d.case_id, d.task_id,
              d.attempts, d.retries, d.last_error, d.created_at, d.updated_at, c.case_no
       FROM notification_delivery d LEFT JOIN case_file c ON c.id = d.case_id
       WHERE ${where.join(' AND ')} ORDER BY d.updated_at DESC, d.id LIMIT $1`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      jobKey: r.job_key,
      channel: r.channel,
      type: r.type,
      recipient: { kind: r.recipient_kind, id: r.recipient_id, address: r.address },
      caseId: r.case_id,
      caseNo: r.case_no,
      taskId: r.task_id,
      attempts: r.attempts,
      retries: r.retries,
      lastError: r.last_error,
      createdAt: r.created_at,
      deadAt: r.updated_at,
    }));
  }

  /**
   * Takes a dead letter within `scopePath` back to `queued` (once per call). Returns what to
   * enqueue; 'not_dead' if it is in scope but not dead (already retried or sent); 'not_found' if it
   * is unknown or outside the scope (its existence is not revealed).
   */
  async requeueDead(id: string, scopePath: string): Promise<{ id: string; channel: ChannelName; retries: number } | 'not_dead' | 'not_found'> {
    const params: unknown[] = [id];
    const scope = deliveryScopeSql('d', 'c', params, scopePath);
    // TypeORM returns [rows, affectedCount] for UPDATE on Postgres.
    const [rows]: [any[], number] = await this.ds.query(
      `UPDATE notification_delivery SET status = 'queued', retries = retries + 1, not_before = NULL, updated_at = now()
       WHERE id = $1 AND status = 'dead'
         AND id IN (SELECT d.id FROM notification_delivery d LEFT JOIN case_file c ON c.id = d.case_id WHERE d.id = $1 AND ${scope})
       RETURNING id, channel, retries`,
      params,
    );
    if (rows[0]) return { id: rows[0].id, channel: rows[0].channel, retries: rows[0].retries };
    const seen: unknown[] = await this.ds.query(
      `SELECT 1 FROM notification_delivery d LEFT JOIN case_file c ON c.id = d.case_id WHERE d.id = $1 AND ${scope}`,
      params,
    );
    return seen.length ? 'not_dead' : 'not_found';
  }

  /** Deliveries of one case with every attempt, for the case timeline. */
  async forCase(caseId: string) {
    const deliveries: any[] = await this.ds.query(
      `SELECT d.id, d.job_key, d.channel, d.type, d.recipient_kind, d.recipient_id, d.address, d.task_id, d.status,
              d.attempts, d.retries, d.last_error, d.not_before, d.sent_at, d.created_at,
              coalesce(s.display_name, p.name) AS recipient_name
       FROM notification_delivery d
       LEFT JOIN staff_user s ON d.recipient_kind = 'staff' AND s.id = d.recipient_id
       LEFT JOIN person p ON d.recipient_kind = 'person' AND p.id = d.recipient_id
       WHERE d.case_id = $1 ORDER BY d.created_at, d.job_key, d.channel`,
      [caseId],
    );
    const attempts: any[] = await this.ds.query(
      `SELECT delivery_id, attempt_no, outcome, error, at FROM notification_attempt WHERE case_id = $1 ORDER BY at, id`,
      [caseId],
    );
    const byDelivery = new Map<string, any[]>();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push({ attemptNo: a.attempt_no, outcome: a.outcome, error: a.error, at: a.at });
      byDelivery.set(a.delivery_id, list);
    }
    return deliveries.map((d) => ({
      id: d.id,
      jobKey: d.job_key,
      channel: d.channel,
      type: d.type,
      taskId: d.task_id,
      recipient: { kind: d.recipient_kind, id: d.recipient_id, name: d.recipient_name, address: d.address },
      status: d.status,
      attempts: byDelivery.get(d.id) ?? [],
      retries: d.retries,
      lastError: d.last_error,
      notBefore: d.not_before,
      sentAt: d.sent_at,
      createdAt: d.created_at,
    }));
  }
}

/**
 * SQL condition: the delivery (alias `d`, its case left-joined as `c`) lies within `scopePath`: the
 * case's area, or for a message without a case (e.g. a digest) the recipient's (staff: their org
 * unit; resident: their hukou). Parameters are appended to `params`.
 */
function deliveryScopeSql(d: string, c: string, params: unknown[], scopePath: string): string {
  const p = `$${params.push(`${scopePath}%`)}`;
  return `coalesce(${c}.org_path,
    (SELECT o.path FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE ${d}.recipient_kind = 'staff' AND s.id = ${d}.recipient_id),
    (SELECT pe.org_path FROM person pe WHERE ${d}.recipient_kind = 'person' AND pe.id = ${d}.recipient_id)) LIKE ${p}`;
}
