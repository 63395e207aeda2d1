import type { EntityManager } from 'typeorm';
import type { ProgrammeSettings, RuleResult } from '../../../workflows/contracts';
import type { AuthUser } from '../../auth/auth-user';
import type { Role } from '../../auth/staff-user.entity';

/** The person row a case is opened for (snake_case, as read from Postgres). */
export interface PersonRow {
  id: string;
  name: string;
  birth_date: string;
  hukou_org_code: string;
  org_path: string;
  residence_org_code?: string | null;
  residence_org_path?: string | null;
  hardship: string[];
  disability_cert_no: string | null;
  disability_category: number | null;
  disability_grade: number | null;
  [k: string]: unknown;
}

/** The village a case belongs to: its tasks go to that village's township and county. */
export interface CaseArea {
  orgUnitCode: string;
  orgPath: string;
  /** Why this village: the person's hukou or their residence (permit). */
  basis: 'hukou' | 'residence';
}

export interface PrecheckContext {
  db: EntityManager;
  user: AuthUser;
  person: PersonRow;
  area: CaseArea;
  today: string;
  settings: ProgrammeSettings;
  /** Programme-specific fields of the application (validated by the adapter). */
  details: Record<string, unknown>;
}

export interface Precheck {
  eligible: boolean;
  rules: RuleResult[];
  priority: number;
  /** Shown to the caseworker next to the rules (e.g. the campaign the person joins). */
  info: Record<string, unknown>;
  /** Kept for buildInput / the case row. */
  facts: Record<string, unknown>;
}

export interface CaseBase {
  caseId: string;
  caseNo: string;
  person: PersonRow;
  area: CaseArea;
  settings: ProgrammeSettings;
  openedBy: { id: string; name: string; role: string };
}

/**
 * What a programme adds to the generic case service: who may register, the eligibility facts and
 * rules (pure rules live in workflows/programs/<p>/eligibility.ts), and the workflow input.
 */
export interface ProgrammeAdapter {
  programme: string;
  caseNoPrefix: string;
  registrarRoles: Role[];
  /**
   * The village the case belongs to, if not the hukou village (default). Throws a DomainError (400)
   * when the application names an area the person has not got (nothing is written then).
   */
  caseArea?(person: PersonRow, details: Record<string, unknown>): CaseArea;
  precheck(ctx: PrecheckContext): Promise<Precheck>;
  /** Extra columns of the case row at registration (e.g. campaign_id) and the initial projected data. */
  caseRow(check: Precheck): { campaignId?: string | null; data: Record<string, unknown> };
  workflowInput(base: CaseBase, check: Precheck): unknown;
}
