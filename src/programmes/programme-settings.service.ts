import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PROGRAMME_DEFAULTS, ProgrammeSettings } from '../../workflows/contracts';
import { DomainError } from '../common/domain-error';

/**
 * Resolves the settings a new case starts with: the built-in defaults of the programme's step
 * table, overridden by the most specific jurisdiction's programme_config row in force on that day
 * (deepest org unit on the case's path wins; among its versions the latest effective date).
 */
@Injectable()
export class ProgrammeSettingsService {
  constructor(private readonly ds: DataSource) {}

  async resolve(programme: string, orgPath: string, onDate: string, db: Pick<EntityManager, 'query'> = this.ds): Promise<ProgrammeSettings> {
    const base = PROGRAMME_DEFAULTS[programme];
    if (!base) throw new DomainError(422, 'UNKNOWN_PROGRAMME', `未知的业务项目 ${programme} / unknown programme ${programme}`);
    const codes = orgPath.split('/').filter(Boolean);
    const rows: { version: string; settings: Partial<ProgrammeSettings>; org_unit_code: string }[] = await db.query(
      `SELECT version, settings, org_unit_code FROM programme_config
       WHERE programme = $1 AND org_unit_code = ANY($2) AND effective_from <= $3
       ORDER BY array_position($2::varchar[], org_unit_code) DESC, effective_from DESC LIMIT 1`,
      [programme, codes, onDate],
    );
    const row = rows[0];
    return row ? merged(base, row.version, row.settings) : base;
  }

  /**
   * The settings of one version (what a case started with and keeps: versions are never edited in
   * place); the built-in defaults when the version is not in programme_config (the default version).
   */
  async byVersion(programme: string, version: string, db: Pick<EntityManager, 'query'> = this.ds): Promise<ProgrammeSettings> {
    const base = PROGRAMME_DEFAULTS[programme];
    if (!base) throw new DomainError(422, 'UNKNOWN_PROGRAMME', `未知的业务项目 ${programme} / unknown programme ${programme}`);
    const rows: { version: string; settings: Partial<ProgrammeSettings> }[] = await db.query(
      `SELECT version, settings FROM programme_config WHERE programme = $1 AND version = $2 LIMIT 1`,
      [programme, version],
    );
    return rows[0] ? merged(base, rows[0].version, rows[0].settings) : base;
  }
}

function merged(base: ProgrammeSettings, version: string, o: Partial<ProgrammeSettings>): ProgrammeSettings {
  return {
    programme: base.programme,
    version,
    steps: { ...base.steps, ...Object.fromEntries(Object.entries(o.steps ?? {}).map(([k, v]) => [k, { ...base.steps[k], ...v }])) },
    followUps: o.followUps ?? base.followUps,
    amounts: { ...base.amounts, ...(o.amounts ?? {}) },
    rules: { ...base.rules, ...(o.rules ?? {}) },
  };
}
