import {
  type AgeLimit,
  type ChildRehabCaseInput,
  checkChildRehabEligibility,
  effectiveMaxAge,
  REHAB_SERVICE,
  type RehabCategory,
  type RehabItem,
  type PriorityGroup,
} from '../../../workflows/contracts';
import { DomainError } from '../../common/domain-error';
import { CaseBase, Precheck, PrecheckContext, ProgrammeAdapter } from './programme-adapter';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DETAIL_KEYS = ['category', 'needs', 'diagnosis', 'institutionId', 'priorityGroups', 'residence', 'residencePermit', 'agent'];

/** The institution facts the eligibility rules and the workflow need (also used by the switch endpoint). */
export async function institutionFacts(db: { query: (q: string, p: unknown[]) => Promise<any[]> }, id: unknown) {
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  const rows: any[] = await db.query(
    `SELECT p.id, p.name, p.kind, p.status, p.services, o.path,
            (p.agreement_start <= (now() AT TIME ZONE 'Asia/Shanghai')::date AND p.agreement_end >= (now() AT TIME ZONE 'Asia/Shanghai')::date) AS in_force
     FROM partner p JOIN org_unit o ON o.code = p.org_unit_code WHERE p.id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id as string, name: r.name as string, kind: r.kind as string, status: r.status as string, inForce: !!r.in_force, services: r.services as string[], orgPath: r.path as string } : null;
}

function ageLimitsOf(rules: Record<string, unknown>): AgeLimit[] | undefined {
  return Array.isArray(rules.ageLimits) && rules.ageLimits.length ? (rules.ageLimits as AgeLimit[]) : undefined;
}

/**
 * The settings the case's workflow runs with. Where the jurisdiction sets per-category age limits,
 * the limit that admitted this child becomes the case's maxAge, so the yearly renewals age the child
 * out at the same limit (the workflow reads rules.maxAge only). Without ageLimits: the settings as
 * resolved, unchanged.
 */
function caseSettings(settings: ChildRehabCaseInput['settings'], category: unknown, certificate: { category: number | null } | null): ChildRehabCaseInput['settings'] {
  const limits = ageLimitsOf(settings.rules);
  if (!limits) return settings;
  const maxAge = typeof settings.rules.maxAge === 'number' ? settings.rules.maxAge : 7;
  return { ...settings, rules: { ...settings.rules, maxAge: effectiveMaxAge(maxAge, limits, category, certificate).maxAge } };
}

/**
 * Child rescue rehabilitation (残疾儿童康复救助): the application (details) is checked against the
 * pure rules in workflows/programs/child-rehab/eligibility.ts with facts from the person row, the
 * chosen institution and the jurisdiction's settings.
 *
 * details: { category, needs?: RehabItem[], diagnosis?: {hospital, date, category}, institutionId,
 *            priorityGroups?: ['orphan' | 'welfare_institution'], residence?: 'hukou' | 'residence_permit',
 *            residencePermit?: {number, validUntil}, agent?: {name, relation} }
 */
export const childRehabAdapter: ProgrammeAdapter = {
  programme: 'child_rehab',
  caseNoPrefix: 'CHR',
  registrarRoles: ['village_caseworker', 'township_officer', 'county_officer'],

  /** Under a residence permit the case belongs to the residence village (the county federation of residence reviews it). */
  caseArea(p, d) {
    if (d.residence !== 'residence_permit') return { orgUnitCode: p.hukou_org_code, orgPath: p.org_path, basis: 'hukou' };
    if (!p.residence_org_code || !p.residence_org_path) {
      throw new DomainError(
        400,
        'RESIDENCE_VILLAGE_MISSING',
        '按居住证申请须先在人员信息中登记居住地（村/社区），个案将由居住地县残联审核 / an application under a residence permit needs the person’s residence village recorded first; the case goes to the residence county federation',
        { field: 'residenceOrgCode' },
      );
    }
    return { orgUnitCode: p.residence_org_code, orgPath: p.residence_org_path, basis: 'residence' };
  },

  async precheck({ db, user, person: p, area, today, settings, details: d }: PrecheckContext): Promise<Precheck> {
    const unknown = Object.keys(d).filter((k) => !DETAIL_KEYS.includes(k));
    if (unknown.length) throw new DomainError(400, 'VALIDATION_FAILED', `申请信息中有无法识别的项目：${unknown.join('、')}（可填：${DETAIL_KEYS.join('、')}） / unknown details: ${unknown.join(', ')} (allowed: ${DETAIL_KEYS.join(', ')})`);
    if (d.needs !== undefined && !Array.isArray(d.needs)) throw new DomainError(400, 'VALIDATION_FAILED', '康复需求须为列表 / details.needs must be an array');
    if (d.priorityGroups !== undefined && !Array.isArray(d.priorityGroups)) throw new DomainError(400, 'VALIDATION_FAILED', '优先救助类别须为列表 / details.priorityGroups must be an array');
    const agent = d.agent as { name?: unknown; relation?: unknown } | undefined;
    if (agent !== undefined && (typeof agent !== 'object' || agent === null || typeof agent.name !== 'string' || !agent.name.trim())) {
      throw new DomainError(400, 'VALIDATION_FAILED', '代理人须填写姓名和关系 / details.agent must be {name, relation}');
    }

    const [open] = await db.query(
      `SELECT count(*)::int AS n FROM case_file WHERE person_id = $1 AND programme = 'child_rehab' AND status = 'open'`,
      [p.id],
    );
    const inst = await institutionFacts(db, d.institutionId);
    const category = d.category as RehabCategory;
    const rules = settings.rules;
    const r = checkChildRehabEligibility({
      today,
      year: Number(today.slice(0, 4)),
      birthDate: String(p.birth_date),
      maxAge: typeof rules.maxAge === 'number' ? rules.maxAge : 7,
      ageLimits: ageLimitsOf(rules),
      category,
      categories: Array.isArray(rules.categories) ? (rules.categories as string[]) : ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism'],
      needs: (d.needs as unknown[] | undefined) ?? [],
      certificate: p.disability_cert_no ? { no: p.disability_cert_no, category: p.disability_category } : null,
      diagnosis: d.diagnosis ?? null,
      diagnosisValidYears: (rules.diagnosisValidYears as { vision: number; other: number } | undefined) ?? { vision: 1, other: 3 },
      guardian: { name: (p.guardian_name as string | null) ?? null, relation: (p.guardian_relation as string | null) ?? null },
      residence: d.residence ?? 'hukou',
      residencePermit: (d.residencePermit as { number?: unknown; validUntil?: unknown } | undefined) ?? null,
      acceptResidencePermit: rules.acceptResidencePermit !== false,
      hardship: p.hardship ?? [],
      declaredGroups: (d.priorityGroups as unknown[] | undefined) ?? [],
      priorityGroupsOnly: rules.priorityGroupsOnly === true,
      openCases: open.n,
      institution: inst,
      service: REHAB_SERVICE[category] ?? null,
    });
    const outOfArea = inst ? !area.orgPath.startsWith(inst.orgPath) : false;
    return {
      eligible: r.eligible,
      rules: r.rules,
      priority: r.priority,
      info: { priorityGroups: r.groups, institution: inst ? { id: inst.id, name: inst.name, outOfArea } : null },
      facts: {
        groups: r.groups,
        institution: inst,
        details: d,
        year: Number(today.slice(0, 4)),
        registrar: { id: user.id, name: user.name, role: user.role, orgPath: user.orgPath, partnerId: null },
      },
    };
  },

  caseRow(check) {
    const inst = check.facts.institution as { name: string } | null;
    return { data: { priority: check.priority, institution: inst?.name ?? null } };
  },

  workflowInput(base: CaseBase, check: Precheck): ChildRehabCaseInput {
    const p = base.person;
    const details = check.facts.details as Record<string, unknown>;
    const inst = check.facts.institution as { id: string; name: string; orgPath: string };
    const agent = details.agent as { name: string; relation?: string } | undefined;
    const needs = [...new Set(((details.needs as RehabItem[] | undefined) ?? []).filter((n) => n !== 'training'))];
    return {
      caseId: base.caseId,
      caseNo: base.caseNo,
      personId: p.id,
      orgUnitCode: base.area.orgUnitCode,
      orgPath: base.area.orgPath,
      birthDate: String(p.birth_date),
      year: check.facts.year as number,
      application: {
        category: details.category as RehabCategory,
        needs,
        certificateNo: p.disability_cert_no,
        diagnosis: (details.diagnosis as ChildRehabCaseInput['application']['diagnosis']) ?? null,
        institution: { id: inst.id, name: inst.name, orgPath: inst.orgPath },
        priorityGroups: check.facts.groups as PriorityGroup[],
        guardian: { name: String(p.guardian_name), relation: (p.guardian_relation as string | null) ?? null, phone: (p.guardian_phone as string | null) ?? null },
        agent: agent ? { name: agent.name, relation: agent.relation ?? null } : null,
        residence: details.residence === 'residence_permit' ? 'residence_permit' : 'hukou',
      },
      priority: check.priority,
      settings: caseSettings(base.settings, details.category, p.disability_cert_no ? { category: p.disability_category } : null),
      openedBy: check.facts.registrar as ChildRehabCaseInput['openedBy'],
    };
  },
};
