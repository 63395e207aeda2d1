import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql, inUserScope } from '../auth/scope';
import { shanghaiToday } from '../calendar/iso-date';
import { DomainError, notFound, unprocessable } from '../common/domain-error';
import { DISABILITY_CATEGORIES, type DisabilityCategoryCode, parseDisabilityCert } from '../domain/identity/disability-cert';
import { ageOn, maskResidentId, validateResidentId } from '../domain/identity/resident-id';
import { OrgUnitsService } from '../orgs/org-units.service';
import { PiiCipherService } from '../security/pii-cipher.service';
import { decryptPersonRow, encryptPersonPii } from '../security/pii-crypto';
import type { ListPersonsQuery, PersonDetail, PersonListItem, PersonPage, RegisterPersonDto } from './persons.dto';

/** Roles that see the full resident ID (and certificate number) in a person's detail; lists are always masked. */
export const UNMASKED_DETAIL_ROLES = ['county_officer', 'admin'] as const;

/** A person row after decryptPersonRow (resident_id and disability_cert_no exist only in memory). */
interface PersonRow {
  id: string;
  resident_id: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  phone: string | null;
  hukou_org_code: string;
  hukou_org_name: string;
  org_path: string;
  disability_cert_no: string | null;
  disability_category: number | null;
  disability_grade: number | null;
  cert_reissue: number;
  hardship: PersonListItem['hardship'];
  guardian_name: string | null;
  guardian_relation: string | null;
  guardian_phone: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT p.*, o.name AS hukou_org_name FROM person p JOIN org_unit o ON o.code = p.hukou_org_code`;

/**
 * Residents served by the federation. Registration validates the resident ID and certificate
 * before anything is written; reads are limited to the caller's scope (partner staff: people on
 * cases referred to their partner) and never reveal whether an out-of-scope person exists.
 */
@Injectable()
export class PersonsService {
  constructor(
    private readonly ds: DataSource,
    private readonly orgs: OrgUnitsService,
    private readonly pii: PiiCipherService,
  ) {}

  async register(user: AuthUser, dto: RegisterPersonDto): Promise<PersonDetail> {
    const village = await this.orgs.requireForWrite(user, dto.hukouOrgCode, ['village'], 'hukouOrgCode');

    const id = validateResidentId(dto.residentId);
    if (!id.ok) throw unprocessable(id.code, `${id.message} / ${id.messageEn}`, { field: 'residentId' });
    const residentId = id.value.id;

    let cert: { certNo: string; category: number; grade: number; reissue: number } | null = null;
    if (dto.disabilityCertNo !== undefined && dto.disabilityCertNo.trim() !== '') {
      const parsed = parseDisabilityCert(dto.disabilityCertNo);
      if (!parsed.ok) {
        throw unprocessable(parsed.code, `${parsed.message} / ${parsed.messageEn}`, {
          field: 'disabilityCertNo',
          ...(parsed.idCode ? { idCode: parsed.idCode } : {}),
        });
      }
      if (parsed.value.residentId !== residentId) {
        throw unprocessable(
          'CERT_MISMATCH',
          '残疾人证号中的身份证号码与所填身份证号码不一致 / the resident ID inside the disability certificate number does not match residentId',
          { field: 'disabilityCertNo' },
        );
      }
      cert = parsed.value;
    }

    const cipher = this.pii.get();
    const existing = await this.findByResidentId(residentId);
    if (existing) throw this.exists(user, existing);
    const enc = encryptPersonPii(cipher, residentId, cert?.certNo);

    const guardian = dto.guardian;
    const inserted: { id: string }[] = await this.ds.query(
      `INSERT INTO person (resident_id_enc, name, sex, birth_date, phone, hukou_org_code, org_path, disability_cert_no_enc,
                           disability_category, disability_grade, cert_reissue, hardship,
                           guardian_name, guardian_relation, guardian_phone, created_by, resident_id_bidx, pii_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (resident_id_bidx) DO NOTHING RETURNING id`,
      [
        enc.resident_id_enc,
        dto.name,
        id.value.sex,
        id.value.birthDate,
        dto.phone?.trim() || null,
        village.code,
        village.path,
        enc.disability_cert_no_enc,
        cert?.category ?? null,
        cert?.grade ?? null,
        cert?.reissue ?? 0,
        [...new Set(dto.hardship ?? [])],
        guardian?.name ?? null,
        guardian?.relation ?? null,
        guardian?.phone?.trim() || null,
        user.id,
        enc.resident_id_bidx,
        enc.pii_key_id,
      ],
    );
    if (!inserted[0]) {
      // Two registrations of the same person at once: the unique index decides, the loser gets 409
      // (ON CONFLICT rather than a failed INSERT, so the resident ID never reaches the error log).
      throw this.exists(user, await this.findByResidentId(residentId));
    }
    return this.get(user, inserted[0].id);
  }

  async list(user: AuthUser, q: ListPersonsQuery): Promise<PersonPage> {
    const limit = q.limit ?? 20;
    const params: unknown[] = [];
    const where = [this.scopeSql(user, params)];
    if (q.q) {
      const asId = q.q.toUpperCase();
      if (/^\d{17}[\dX]$/.test(asId)) {
        params.push(this.pii.get().blindIndexes(asId));
        where.push(`p.resident_id_bidx = ANY($${params.length}::bytea[])`);
      } else {
        params.push(`${escapeLike(q.q)}%`);
        where.push(`p.name LIKE $${params.length}`);
      }
    }
    if (q.cursor) {
      const [name, id] = decodeCursor(q.cursor);
      params.push(name, id);
      where.push(`(p.name, p.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: Record<string, any>[] = await this.ds.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY p.name, p.id LIMIT $${params.length}`,
      params,
    );
    const cipher = this.pii.get();
    const page = rows.slice(0, limit).map((r) => decryptPersonRow(cipher, r) as PersonRow);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => listItem(r, true)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.name, last.id) : null,
    };
  }

  /** 404 both for an unknown id and for a person outside the caller's scope. */
  async get(user: AuthUser, id: string): Promise<PersonDetail> {
    const params: unknown[] = [id];
    const rows: Record<string, any>[] = await this.ds.query(`${SELECT} WHERE p.id = $1 AND ${this.scopeSql(user, params)}`, params);
    if (!rows[0]) throw notFound('人员 / person');
    const r = decryptPersonRow(this.pii.get(), rows[0]) as PersonRow;
    const mask = !(UNMASKED_DETAIL_ROLES as readonly string[]).includes(user.role);
    return {
      ...listItem(r, mask),
      phone: r.phone,
      disabilityCertNo: r.disability_cert_no && (mask ? maskCertNo(r.disability_cert_no) : r.disability_cert_no),
      certReissue: r.cert_reissue,
      orgPath: r.org_path,
      guardian: r.guardian_name ? { name: r.guardian_name, relation: r.guardian_relation ?? '', phone: r.guardian_phone } : null,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }

  /**
   * Exact lookup by resident ID through the blind index (under every configured key, so rows not yet
   * re-encrypted after a key rotation are found too). Never decrypts: the index alone identifies the row.
   */
  async findByResidentId(residentId: string): Promise<{ id: string; org_path: string } | undefined> {
    const rows: { id: string; org_path: string }[] = await this.ds.query(
      `SELECT id, org_path FROM person WHERE resident_id_bidx = ANY($1::bytea[])`,
      [this.pii.get().blindIndexes(residentId)],
    );
    return rows[0];
  }

  private scopeSql(user: AuthUser, params: unknown[]): string {
    if (user.role === 'partner_staff') {
      return `EXISTS (SELECT 1 FROM case_file c WHERE c.person_id = p.id AND ${caseScopeSql(user, params, 'c')})`;
    }
    params.push(`${user.orgPath}%`);
    return `p.org_path LIKE $${params.length}`;
  }

  /** 409 PERSON_EXISTS; the existing record's id only if the caller may see it (no leak across areas). */
  private exists(user: AuthUser, row: { id: string; org_path: string } | undefined): DomainError {
    const visible = !!row && user.role !== 'partner_staff' && inUserScope(user, row.org_path);
    return new DomainError(
      409,
      'PERSON_EXISTS',
      visible
        ? '该身份证号码的人员已登记，请直接使用已有记录 / a person with this resident ID is already registered; use the existing record'
        : '该身份证号码的人员已在其他地区登记，请联系县残联核实户籍 / a person with this resident ID is already registered in another area; ask the county federation to check the hukou',
      visible ? { personId: row!.id } : undefined,
    );
  }
}

function listItem(r: PersonRow, mask: boolean): PersonListItem {
  const cat = r.disability_category ? DISABILITY_CATEGORIES[r.disability_category as DisabilityCategoryCode] : undefined;
  return {
    id: r.id,
    name: r.name,
    residentId: mask ? maskResidentId(r.resident_id) : r.resident_id,
    masked: mask,
    sex: r.sex,
    birthDate: r.birth_date,
    age: age(r.birth_date),
    hukouOrgCode: r.hukou_org_code,
    hukouOrgName: r.hukou_org_name,
    disabilityCategory: cat ? { code: cat.code, key: cat.key, name: cat.name, nameEn: cat.nameEn } : null,
    disabilityGrade: r.disability_grade,
    hardship: r.hardship,
  };
}

function age(birthDate: string): number {
  try {
    return ageOn(birthDate, shanghaiToday());
  } catch {
    return 0;
  }
}

/** The certificate embeds the resident ID: mask that part, keep category, grade and reissue suffix. */
export function maskCertNo(certNo: string): string {
  return certNo.length >= 18 ? maskResidentId(certNo.slice(0, 18)) + certNo.slice(18) : '*'.repeat(certNo.length);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Keyset cursor: the (name, id) of the last row of the page, base64url JSON. Opaque to clients. */
export function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && v[0].length <= 64 &&
      typeof v[1] === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    /* fall through */
  }
  throw new DomainError(400, 'INVALID_CURSOR', 'cursor 无效，请从第一页重新查询 / invalid cursor; start again from the first page');
}
