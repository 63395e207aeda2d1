import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { clampLimit, decodeCursor, encodeCursor } from '../common/keyset';
import { roleLabel } from '../monitoring/labels';
import { CSV_BOM, csvLine } from '../reports/export';
import type { AuditFilter, AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

/** Rows read from the database per round while streaming an export (memory stays flat). */
const EXPORT_CHUNK = 5_000;

export const AUDIT_CSV_HEADERS = ['编号', '时间（北京时间）', '操作人', '操作人ID', '当前角色', '操作', '对象类型', '对象', '来源IP', '结果', '详情', 'prev_hash', 'hash'] as const;

const FILTER_KEYS = ['from', 'to', 'actorId', 'action', 'success', 'targetType', 'targetId'] as const;
const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai is UTC+8 all year (no daylight saving)

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  display_name: string | null;
  role: string | null;
  org_unit_code: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  success: boolean;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** "2026-12-06 22:37:33.123": the instant in Beijing time, to the millisecond. */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 23);
}

/**
 * Reading the audit log, for admins. Scope: entries whose actor belongs to the admin's org unit
 * or below (the actor's current unit); entries without a known actor (e.g. a failed sign-in of an
 * unknown username) only for admins of a top-level unit (no parent). Every well-formed query and
 * export is itself audited (audit.query / audit.export, with the filters), refusals included;
 * malformed requests (400) read nothing and are not.
 */
@Injectable()
export class AuditQueryService {
  private readonly log = new Logger('audit-export');
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async query(user: AuditUser, q: AuditQuery, ip: string | null) {
    const limit = clampLimit(q.limit, 500, 50);
    const cursor = decodeCursor(q.cursor, 1);
    if (cursor && !/^\d{1,19}$/.test(String(cursor[0]))) throw new DomainError(400, 'BAD_CURSOR', '翻页位置无效，请从第一页重新查询 / cursor is not valid; start again without it');
    const { sql, params } = await this.where(user, q, ip, 'audit.query');
    if (cursor) sql.push(`a.id < $${params.push(String(cursor[0]))}::bigint`);
    const rows: AuditRow[] = await this.ds.query(`${SELECT} WHERE ${sql.join(' AND ')} ORDER BY a.id DESC LIMIT ${limit + 1}`, params);
    const page = rows.slice(0, limit);
    await this.audit.record(this.entry(user, ip, 'audit.query', true, { filters: filtersOf(q), returned: page.length, page: cursor ? 'next' : 'first' }));
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorName: r.actor_name,
        actorDisplayName: r.display_name,
        actorRole: r.role,
        actorOrgUnitCode: r.org_unit_code,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.ip,
        success: r.success,
        detail: r.detail,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([String(last.id)]) : null,
    };
  }

  /**
   * The CSV export, oldest first (so an unfiltered range reads as the chain: each prev_hash is the
   * hash of the row above). The rows are fixed when the export starts (ids up to the newest one
   * then), counted first: more than AUDIT_EXPORT_MAX_ROWS (config, default 100,000) → 422 before anything is written;
   * otherwise streamed in rounds of EXPORT_CHUNK rows. Text cells are guarded against spreadsheet
   * formulas (a leading apostrophe); hashes and ids are never altered.
   */
  async exportCsv(user: AuditUser, f: AuditFilter, ip: string | null, out: CsvSink, chunkRows = EXPORT_CHUNK): Promise<void> {
    const { sql, params } = await this.where(user, f, ip, 'audit.export');
    const maxRows = this.config.AUDIT_EXPORT_MAX_ROWS;
    const [snap] = await this.ds.query(
      `SELECT count(*)::int AS n, max(id)::text AS max FROM (SELECT a.id ${FROM} WHERE ${sql.join(' AND ')} ORDER BY a.id DESC LIMIT ${maxRows + 1}) x`,
      params,
    );
    const filters = filtersOf(f);
    if (snap.n > maxRows) {
      await this.audit.record(this.entry(user, ip, 'audit.export', false, { filters, reason: 'too-many-rows', max: maxRows }));
      throw new DomainError(
        422,
        'EXPORT_TOO_LARGE',
        `符合条件的记录超过 ${maxRows} 条，请缩短时间范围或增加筛选条件后分批导出 / more than ${maxRows} entries match; narrow the date range or add filters and export in parts`,
        { max: maxRows },
      );
    }
    await this.audit.record(this.entry(user, ip, 'audit.export', true, { filters, rows: snap.n, upToId: snap.max }));

    const name = `audit-log-${f.from ?? 'start'}-${f.to ?? shanghaiTime(new Date()).slice(0, 10)}.csv`;
    out.start(name);
    const res = out.stream;
    const write = async (s: string) => {
      if (!res.write(s)) await drained(res);
      if (res.destroyed) throw new ClientGone();
    };
    try {
      await write(CSV_BOM + csvLine(AUDIT_CSV_HEADERS));
      let after = '0';
      const max = snap.max ?? '0';
      for (;;) {
        const p = [...params, after, max];
        const rows: AuditRow[] = await this.ds.query(
          `${SELECT} WHERE ${sql.join(' AND ')} AND a.id > $${p.length - 1}::bigint AND a.id <= $${p.length}::bigint ORDER BY a.id LIMIT ${chunkRows}`,
          p,
        );
        if (!rows.length) break;
        let chunk = '';
        for (const r of rows) {
          chunk += csvLine(
            [String(r.id), shanghaiTime(new Date(r.at)), r.actor_name, r.actor_id, r.role ? roleLabel(r.role) : null, r.action, r.target_type, r.target_id, r.ip,
              r.success ? '成功' : '失败', JSON.stringify(r.detail ?? {}), r.prev_hash, r.hash],
            true,
          );
        }
        await write(chunk);
        after = String(rows.at(-1)!.id);
        if (rows.length < chunkRows) break;
      }
      res.end();
    } catch (err) {
      // The status line has gone out: all we can do is cut the download short, so it is visibly incomplete.
      if (err instanceof ClientGone) this.log.warn('audit export: the client closed the download');
      else this.log.error(`audit export cut short: ${err instanceof Error ? err.message : err}`);
      res.destroy();
    }
  }

  /**
   * Scope and filter conditions (alias `a` for audit_log, `s` staff_user, `o` the actor's org unit).
   * Refuses (and audits the refusal of) an actor outside the admin's scope: 404, as for any
   * out-of-scope resource.
   */
  private async where(user: AuditUser, f: AuditFilter, ip: string | null, action: string): Promise<{ sql: string[]; params: unknown[] }> {
    const from = f.from ? new Date(`${f.from}T00:00:00+08:00`) : undefined;
    const toExcl = f.to ? new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
    if (from && toExcl && from >= toExcl) {
      throw new DomainError(400, 'BAD_RANGE', `from（${f.from}）晚于 to（${f.to}）/ from is after to`);
    }
    const [unit] = await this.ds.query(`SELECT parent_code IS NULL AS top FROM org_unit WHERE code = $1`, [user.orgUnitCode]);
    const params: unknown[] = [`${user.orgPath}%`];
    const sql = [unit?.top ? `(o.path LIKE $1 OR s.id IS NULL)` : `o.path LIKE $1`];
    if (f.actorId) {
      const [actor] = await this.ds.query(
        `SELECT 1 FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.id = $1 AND o.path LIKE $2`,
        [f.actorId, `${user.orgPath}%`],
      );
      if (!actor) {
        await this.audit.record(this.entry(user, ip, action, false, { filters: filtersOf(f), reason: 'actor-out-of-scope' }));
        throw new DomainError(404, 'NOT_FOUND', '在您的管辖范围内没有该用户 / no staff member with this id in your area');
      }
      sql.push(`a.actor_id = $${params.push(f.actorId)}`);
    }
    if (from) sql.push(`a.at >= $${params.push(from.toISOString())}::timestamptz`);
    if (toExcl) sql.push(`a.at < $${params.push(toExcl.toISOString())}::timestamptz`);
    if (f.action) sql.push(`a.action = $${params.push(f.action)}`);
    if (f.success) sql.push(`a.success = $${params.push(f.success === 'true')}`);
    if (f.targetType) sql.push(`a.target_type = $${params.push(f.targetType)}`);
    if (f.targetId) sql.push(`a.target_id = $${params.push(f.targetId)}`);
    return { sql, params };
  }

  private entry(user: AuditUser, ip: string | null, action: string, success: boolean, detail: Record<string, unknown>) {
    return { actorId: user.id, actorName: user.username, action, targetType: 'audit_log', targetId: null, ip, success, detail };
  }
}

type AuditUser = Pick<AuthUser, 'id' | 'username' | 'orgUnitCode' | 'orgPath'>;

/** Where the CSV goes: `start` sends the headers (file name), then rows are written to `stream`. */
export interface CsvSink {
  start(filename: string): void;
  stream: Writable;
}

const FROM = `FROM audit_log a LEFT JOIN staff_user s ON s.id = a.actor_id LEFT JOIN org_unit o ON o.code = s.org_unit_code`;
const SELECT = `SELECT a.id, a.at, a.actor_id, a.actor_name, s.display_name, s.role, s.org_unit_code, a.action, a.target_type, a.target_id,
  a.ip, a.success, a.detail, a.prev_hash, a.hash ${FROM}`;

class ClientGone extends Error {}

/** Resolves when the stream wants more, or when it has closed (a client that went away never drains). */
function drained(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}

function filtersOf(f: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k] !== undefined) out[k] = String(f[k]);
  return out;
}
