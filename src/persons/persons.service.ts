import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql, inUserScope } from '../auth/scope';
import { shanghaiToday } from '../calendar/iso-date';
import { DomainError, forbidden, notFound, unprocessable } from '../common/domain-error';
import { DISABILITY_CATEGORIES, type DisabilityCategoryCode, parseDisabilityCert } from '../domain/identity/disability-cert';
import { ageOn, maskResidentId, validateResidentId } from '../domain/identity/resident-id';
import { inactiveUnit, OrgUnitRow, OrgUnitsService } from '../orgs/org-units.service';
import { PiiCipherService } from '../security/pii-cipher.service';
import { decryptPersonRow, encryptPersonPii } from '../security/pii-crypto';
import type { ListPersonsQuery, PersonDetail, PersonListItem, PersonPage, RegisterPersonDto, UpdatePersonDto } from './persons.dto';

/** Roles that see the full resident ID (and certificate number) in a person's detail; lists are always masked. */
export const UNMASKED_DETAIL_ROLES = ['county_officer', 'admin'] as const;

/** PUT /persons/:id: fields that may change after registration, and the ones refused with a reason. */
const EDITABLE_FIELDS = ['phone', 'guardian', 'disabilityCertNo', 'disabilityCategory', 'disabilityGrade', 'hardship', 'residenceOrgCode'] as const;
const IMMUTABLE_FIELDS = ['residentId', 'birthDate', 'sex', 'name', 'hukouOrgCode'] as const;

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
  residence_org_code: string | null;
  residence_org_name: string | null;
  residence_org_path: string | null;
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

const SELECT = `SELECT p.*, o.name AS hukou_org_name, r.name AS residence_org_name
  FROM person p JOIN org_unit o ON o.code = p.hukou_org_code LEFT JOIN org_unit r ON r.code = p.residence_org_code`;

/**
 * SQL condition: the person (alias `p`) is in the area whose path prefix is parameter `$n`, by hukou
 * or by residence village. Two prefix matches, each served by its own varchar_pattern_ops index
 * (ix_person_org_path, ix_person_residence_org_path) through a BitmapOr.
 */
export function personAreaSql(n: number, alias = 'p'): string {
  return `(${alias}.org_path LIKE $${n} OR ${alias}.residence_org_path LIKE $${n})`;
}

/** True if the user's area covers the person's hukou or residence village. */
export function personInUserScope(user: AuthUser, row: { org_path: string; residence_org_path?: string | null }): boolean {
  return inUserScope(user, row.org_path) || (!!row.residence_org_path && inUserScope(user, row.residence_org_path));
}


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
    const { hukou: village, residence } = await this.villages(user, dto.hukouOrgCode, dto.residenceOrgCode ?? null);

    const id = validateResidentId(dto.residentId);
    if (!id.ok) throw unprocessable(id.code, `${id.message} / ${id.messageEn}`, { field: 'residentId' });
    const residentId = id.value.id;

    const cert = dto.disabilityCertNo !== undefined && dto.disabilityCertNo.trim() !== '' ? checkCert(dto.disabilityCertNo, residentId) : null;

    const cipher = this.pii.get();
    const existing = await this.findByResidentId(residentId);
    if (existing) throw this.exists(user, existing);
    const enc = encryptPersonPii(cipher, residentId, cert?.certNo);

    const guardian = dto.guardian;
    const inserted: { id: string }[] = await this.ds.query(
      `INSERT INTO person (resident_id_enc, name, sex, birth_date, phone, hukou_org_code, org_path, disability_cert_no_enc,
                           disability_category, disability_grade, cert_reissue, hardship,
                           guardian_name, guardian_relation, guardian_phone, created_by, resident_id_bidx, pii_key_id,
                           residence_org_code, residence_org_path)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
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
        residence?.code ?? null,
        residence?.path ?? null,
      ],
    );
    if (!inserted[0]) {
      // Two registrations of the same person at once: the unique index decides, the loser gets 409
      // (ON CONFLICT rather than a failed INSERT, so the resident ID never reaches the error log).
      throw this.exists(user, await this.findByResidentId(residentId));
    }
    return this.get(user, inserted[0].id);
  }

  /**
   * PUT /persons/:id: phone, guardian, certificate (validated like at registration, re-encrypted
   * with the resident ID under the current key), category/grade, hardship flags, residence village.
   * Checked in full before anything is written, in one transaction holding the row. 404 outside scope.
   */
  async update(user: AuthUser, id: string, dto: UpdatePersonDto): Promise<PersonDetail> {
    await this.ds.transaction(async (m) => {
      const params: unknown[] = [id];
      const rows: Record<string, any>[] = await m.query(`SELECT p.* FROM person p WHERE p.id = $1 AND ${this.scopeSql(user, params)} FOR UPDATE`, params);
      if (!rows[0]) throw notFound('人员 / person');
      // Scope first (404 outside it, whatever the body), then what the body asks.
      const immutable = IMMUTABLE_FIELDS.filter((f) => (dto as Record<string, unknown>)[f] !== undefined);
      if (immutable.length) {
        throw new DomainError(
          400,
          'IMMUTABLE_FIELD',
          `${immutable.join('、')} 不能修改：身份证号码、出生日期和性别以身份证为准，姓名或户籍地变更须由县残联核实后办理迁移 / ` +
            `${immutable.join(', ')} cannot be changed: the resident ID, and the birth date and sex taken from it, are fixed; a change of name or hukou goes through the county federation`,
          { fields: immutable },
        );
      }
      const editable = EDITABLE_FIELDS.filter((f) => (dto as Record<string, unknown>)[f] !== undefined);
      if (!editable.length) {
        throw new DomainError(400, 'VALIDATION_FAILED', `没有要修改的内容（可修改：${EDITABLE_FIELDS.join('、')}） / nothing to change (editable: ${EDITABLE_FIELDS.join(', ')})`);
      }
      const row = decryptPersonRow(this.pii.get(), rows[0]) as unknown as PersonRow;

      const set: Record<string, unknown> = {};
      if (dto.phone !== undefined) set.phone = dto.phone?.trim() || null;
      if (dto.guardian !== undefined) {
        set.guardian_name = dto.guardian?.name ?? null;
        set.guardian_relation = dto.guardian?.relation ?? null;
        set.guardian_phone = dto.guardian?.phone?.trim() || null;
      }
      if (dto.hardship !== undefined) set.hardship = [...new Set(dto.hardship)];

      let certNo = row.disability_cert_no;
      let category = dto.disabilityCategory !== undefined ? dto.disabilityCategory : row.disability_category;
      let grade = dto.disabilityGrade !== undefined ? dto.disabilityGrade : row.disability_grade;
      if (dto.disabilityCertNo !== undefined) {
        const given = dto.disabilityCertNo?.trim() ?? '';
        if (given === '') {
          certNo = null;
          set.cert_reissue = 0;
        } else {
          const cert = checkCert(given, row.resident_id);
          certNo = cert.certNo;
          set.cert_reissue = cert.reissue;
          // Category and grade come from the certificate unless the request names them too (then they must agree).
          if (dto.disabilityCategory === undefined) category = cert.category;
          if (dto.disabilityGrade === undefined) grade = cert.grade;
        }
        // The certificate and the resident ID share one key id: both are written again under the current key.
        const enc = encryptPersonPii(this.pii.get(), row.resident_id, certNo);
        Object.assign(set, enc);
      }
      const classChanged = dto.disabilityCertNo !== undefined || dto.disabilityCategory !== undefined || dto.disabilityGrade !== undefined;
      if (certNo && classChanged) {
        const cert = checkCert(certNo, row.resident_id);
        if (category !== cert.category || grade !== cert.grade) {
          throw unprocessable(
            'CERT_CLASS_MISMATCH',
            `残疾类别/等级须与残疾人证一致（证上为 ${cert.category} 类 ${cert.grade} 级） / disability category and grade must match the certificate (category ${cert.category}, grade ${cert.grade})`,
            { field: dto.disabilityCategory !== undefined ? 'disabilityCategory' : 'disabilityGrade' },
          );
        }
      }
      if (category !== row.disability_category) set.disability_category = category;
      if (grade !== row.disability_grade) set.disability_grade = grade;

      if (dto.residenceOrgCode !== undefined) {
        const { residence } = await this.villages(user, row.hukou_org_code, dto.residenceOrgCode, false);
        set.residence_org_code = residence?.code ?? null;
        set.residence_org_path = residence?.path ?? null;
      }

      const cols = Object.keys(set);
      if (!cols.length) return;
      await m.query(
        `UPDATE person SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
        [id, ...cols.map((c) => set[c])],
      );
    });
    return this.get(user, id);
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
      residenceOrgPath: r.residence_org_path,
      guardian: r.guardian_name ? { name: r.guardian_name, relation: r.guardian_relation ?? '', phone: r.guardian_phone } : null,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }

  /**
   * Exact lookup by resident ID through the blind index (under every configured key, so rows not yet
   * re-encrypted after a key rotation are found too). Never decrypts: the index alone identifies the row.
   */
  async findByResidentId(residentId: string): Promise<{ id: string; org_path: string; residence_org_path: string | null } | undefined> {
    const rows: { id: string; org_path: string; residence_org_path: string | null }[] = await this.ds.query(
      `SELECT id, org_path, residence_org_path FROM person WHERE resident_id_bidx = ANY($1::bytea[])`,
      [this.pii.get().blindIndexes(residentId)],
    );
    return rows[0];
  }

  private scopeSql(user: AuthUser, params: unknown[]): string {
    if (user.role === 'partner_staff') {
      return `EXISTS (SELECT 1 FROM case_file c WHERE c.person_id = p.id AND ${caseScopeSql(user, params, 'c')})`;
    }
    params.push(`${user.orgPath}%`);
    return personAreaSql(params.length);
  }

  /**
   * The hukou village and the residence village (optional) named in a request: 422 ORG_UNKNOWN /
   * ORG_LEVEL if either is unknown or not a village; 403 unless at least one of them is in the
   * caller's area (a caseworker registers people of their villages, including migrants who live there).
   */
  private async villages(user: AuthUser, hukouCode: string, residenceCode: string | null, newHukou = true): Promise<{ hukou: OrgUnitRow; residence: OrgUnitRow | null }> {
    const hukou = await this.orgs.find(hukouCode);
    if (!hukou) throw unprocessable('ORG_UNKNOWN', `hukouOrgCode 无此组织机构（${hukouCode}） / hukouOrgCode: unknown org unit ${hukouCode}`, { field: 'hukouOrgCode' });
    const residence = residenceCode ? ((await this.orgs.find(residenceCode)) ?? null) : null;
    if (residenceCode && !residence) {
      throw unprocessable('ORG_UNKNOWN', `residenceOrgCode 无此组织机构（${residenceCode}） / residenceOrgCode: unknown org unit ${residenceCode}`, { field: 'residenceOrgCode' });
    }
    if (!inUserScope(user, hukou.path) && !(residence && inUserScope(user, residence.path))) {
      throw forbidden(
        residence
          ? `户籍地 ${hukou.name}（${hukou.code}）和居住地 ${residence.name}（${residence.code}）都不在您的管辖范围内 / neither the hukou village ${hukou.code} nor the residence village ${residence.code} is in your area`
          : `${hukou.name}（${hukou.code}）不在您的管辖范围内 / org unit ${hukou.code} is outside your area`,
      );
    }
    for (const [unit, field] of [[hukou, 'hukouOrgCode'], [residence, 'residenceOrgCode']] as const) {
      // Nothing new goes into a deactivated unit; a person already registered there keeps it as hukou.
      if (unit && !unit.active && (newHukou || unit === residence)) throw inactiveUnit(unit, field);
      if (unit && unit.level !== 'village') {
        throw unprocessable(
          'ORG_LEVEL',
          `${field} 须为村（社区）级单位，${unit.name}（${unit.code}）不是 / ${field} must be a village unit; ${unit.code} is a ${unit.level}`,
          { field },
        );
      }
    }
    return { hukou, residence };
  }

  /** 409 PERSON_EXISTS; the existing record's id only if the caller may see it (no leak across areas). */
  private exists(user: AuthUser, row: { id: string; org_path: string; residence_org_path: string | null } | undefined): DomainError {
    const visible = !!row && user.role !== 'partner_staff' && personInUserScope(user, row);
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
    residenceOrgCode: r.residence_org_code,
    residenceOrgName: r.residence_org_name,
    disabilityCategory: cat ? { code: cat.code, key: cat.key, name: cat.name, nameEn: cat.nameEn } : null,
    disabilityGrade: r.disability_grade,
    hardship: r.hardship,
  };
}

/** A certificate number validated like at registration (422 with the validator's code) and matched to the resident ID. */
function checkCert(certNo: string, residentId: string): { certNo: string; category: number; grade: number; reissue: number } {
  const parsed = parseDisabilityCert(certNo);
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
  return parsed.value;
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
