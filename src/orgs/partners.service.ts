import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { inUserScope } from '../auth/scope';
import { DomainError, forbidden, notFound, unprocessable } from '../common/domain-error';
import { OrgUnitsService } from './org-units.service';
import type { CreatePartnerDto, ListPartnersQuery, PartnerView, UpdatePartnerDto } from './partners.dto';

/** Roles that may create and edit partner agreements (within their scope). */
export const PARTNER_EDITORS = ['admin', 'county_officer'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT = `
  SELECT p.id, p.name, p.kind, p.org_unit_code AS "orgUnitCode", o.name AS "orgUnitName", o.path AS "orgPath",
         p.services, p.capacity, to_char(p.agreement_start, 'YYYY-MM-DD') AS "agreementStart",
         to_char(p.agreement_end, 'YYYY-MM-DD') AS "agreementEnd", p.status, p.updated_at AS "updatedAt",
         (p.agreement_start <= (now() AT TIME ZONE 'Asia/Shanghai')::date
          AND p.agreement_end >= (now() AT TIME ZONE 'Asia/Shanghai')::date) AS "inForce",
         (SELECT count(*)::int FROM case_file c WHERE c.partner_id = p.id AND c.status = 'open') AS used
  FROM partner p JOIN org_unit o ON o.code = p.org_unit_code`;

type Row = Omit<PartnerView, 'available' | 'acceptsReferrals' | 'editable' | 'updatedAt'> & { orgPath: string; updatedAt: Date };

/**
 * Designated institutions. A user sees the partners whose org unit is on their own path
 * (e.g. a village caseworker sees its county's hospitals) or below it; partner staff see only
 * their own partner. Admins and county officers edit those in their scope.
 */
@Injectable()
export class PartnersService {
  constructor(
    private readonly ds: DataSource,
    private readonly orgs: OrgUnitsService,
  ) {}

  async list(user: AuthUser, q: ListPartnersQuery): Promise<{ items: PartnerView[] }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (user.role === 'partner_staff') {
      params.push(user.partnerId ?? '00000000-0000-0000-0000-000000000000');
      where.push(`p.id = $${params.length}`);
    } else {
      params.push(`${user.orgPath}%`, user.orgPath);
      where.push(`(o.path LIKE $1 OR $2 LIKE o.path || '%')`);
    }
    if (q.service) {
      params.push(q.service);
      where.push(`$${params.length} = ANY(p.services)`);
    }
    if (q.kind) {
      params.push(q.kind);
      where.push(`p.kind = $${params.length}`);
    }
    if (q.status) {
      params.push(q.status);
      where.push(`p.status = $${params.length}`);
    }
    const rows: Row[] = await this.ds.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY o.path, p.name, p.id`, params);
    return { items: rows.map((r) => view(user, r)) };
  }

  async get(user: AuthUser, id: string): Promise<PartnerView> {
    return view(user, await this.visibleRow(user, id, this.ds.manager));
  }

  async create(user: AuthUser, dto: CreatePartnerDto): Promise<PartnerView> {
    const unit = await this.orgs.requireForWrite(user, dto.orgUnitCode, ['city', 'county'], 'orgUnitCode');
    checkDates(dto.agreementStart, dto.agreementEnd);
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO partner (name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [dto.name, dto.kind, unit.code, [...new Set(dto.services)], dto.capacity ?? null, dto.agreementStart, dto.agreementEnd, dto.status ?? 'active'],
    );
    return this.get(user, rows[0].id);
  }

  /** Changes an agreement under a row lock, so the date check sees the values it writes. */
  async update(user: AuthUser, id: string, dto: UpdatePartnerDto): Promise<PartnerView> {
    const fields = Object.entries(dto).filter(([, v]) => v !== undefined);
    return this.ds.transaction(async (m) => {
      // Scope first: someone outside it gets 404/403 whatever the body says.
      const current = await this.visibleRow(user, id, m, true);
      if (!inUserScope(user, current.orgPath)) {
        throw forbidden(`${current.name} 由${current.orgUnitName}签约，您无权修改 / this agreement belongs to ${current.orgUnitCode}, outside your area`);
      }
      if (!fields.length) throw new DomainError(400, 'VALIDATION_FAILED', '没有要修改的字段 / nothing to change');
      const start = dto.agreementStart ?? current.agreementStart;
      const end = dto.agreementEnd ?? current.agreementEnd;
      checkDates(start, end);
      await m.query(
        `UPDATE partner SET name = $2, status = $3, capacity = $4, agreement_start = $5, agreement_end = $6, services = $7, updated_at = now()
         WHERE id = $1`,
        [
          id,
          dto.name ?? current.name,
          dto.status ?? current.status,
          dto.capacity === undefined ? current.capacity : dto.capacity,
          start,
          end,
          dto.services ? [...new Set(dto.services)] : current.services,
        ],
      );
      return view(user, await this.visibleRow(user, id, m));
    });
  }

  /** 404 for an unknown id and for a partner the user may not see (existence is not revealed). */
  private async visibleRow(user: AuthUser, id: string, m: EntityManager, lock = false): Promise<Row> {
    if (!UUID.test(id)) throw new DomainError(400, 'VALIDATION_FAILED', 'id 须为UUID / id must be a UUID');
    if (lock) await m.query(`SELECT 1 FROM partner WHERE id = $1 FOR UPDATE`, [id]);
    const rows: Row[] = await m.query(`${SELECT} WHERE p.id = $1`, [id]);
    const r = rows[0];
    const visible = r && (user.role === 'partner_staff' ? user.partnerId === r.id : r.orgPath.startsWith(user.orgPath) || user.orgPath.startsWith(r.orgPath));
    if (!visible) throw notFound('合作机构 / partner');
    return r;
  }
}

function checkDates(start: string, end: string): void {
  if (end < start) {
    throw unprocessable('AGREEMENT_DATES', `协议结束日期（${end}）早于开始日期（${start}） / agreement ends (${end}) before it starts (${start})`);
  }
}

function view(user: AuthUser, r: Row): PartnerView {
  const available = r.capacity === null ? null : Math.max(0, r.capacity - r.used);
  const { orgPath, ...rest } = r;
  return {
    ...rest,
    available,
    acceptsReferrals: r.status === 'active' && r.inForce && (available === null || available > 0),
    editable: (PARTNER_EDITORS as readonly string[]).includes(user.role) && inUserScope(user, orgPath),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
