import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  success: boolean;
  detail?: Record<string, unknown>;
}

/** Canonical content of a row: fixed key order, ISO time, so the hash is reproducible. */
function canonical(at: string, e: AuditEntry): string {
  return JSON.stringify([at, e.actorId ?? null, e.actorName ?? null, e.action, e.targetType ?? null, e.targetId ?? null, e.ip ?? null, e.success, sortKeys(e.detail ?? {})]);
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as any)[k])]));
  return v;
}
export function chainHash(prev: string, at: string, e: AuditEntry): string {
  return createHash('sha256').update(prev).update(canonical(at, e)).digest('hex');
}

/**
 * Appends one entry to the hash chain. Appends are serialised by a transaction-scoped advisory
 * lock so two writers never link to the same predecessor.
 */
export async function appendAudit(ds: DataSource | EntityManager, e: AuditEntry): Promise<void> {
  const run = async (m: EntityManager) => {
    await m.query(`SELECT pg_advisory_xact_lock(727274)`);
    const last: { hash: string }[] = await m.query(`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    const prev = last[0]?.hash ?? GENESIS;
    const at = new Date().toISOString();
    await m.query(
      `INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id, ip, success, detail, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [at, e.actorId ?? null, e.actorName ?? null, e.action, e.targetType ?? null, e.targetId ?? null, e.ip ?? null, e.success,
        JSON.stringify(e.detail ?? {}), prev, chainHash(prev, at, e)],
    );
  };
  if (ds instanceof DataSource) await ds.transaction(run);
  else await run(ds);
}

/** Walks the whole chain; returns the first row whose link or content does not match. */
export async function verifyAuditChain(ds: DataSource): Promise<{ ok: boolean; checked: number; badId?: string; reason?: string }> {
  let prev = GENESIS;
  let checked = 0;
  let after = '0';
  for (;;) {
    const rows: any[] = await ds.query(
      `SELECT id, at, actor_id, actor_name, action, target_type, target_id, ip, success, detail, prev_hash, hash
       FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000`,
      [after],
    );
    if (!rows.length) return { ok: true, checked };
    for (const r of rows) {
      const at = new Date(r.at).toISOString();
      if (r.prev_hash !== prev) return { ok: false, checked, badId: String(r.id), reason: 'link to the previous row is broken (a row was removed or reordered)' };
      const expect = chainHash(prev, at, {
        actorId: r.actor_id, actorName: r.actor_name, action: r.action, targetType: r.target_type, targetId: r.target_id, ip: r.ip, success: r.success, detail: r.detail,
      });
      if (expect !== r.hash) return { ok: false, checked, badId: String(r.id), reason: 'content does not match its hash (the row was edited)' };
      prev = r.hash;
      checked++;
      after = String(r.id);
    }
  }
}
