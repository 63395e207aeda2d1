import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { shanghaiToday } from '../calendar/iso-date';
import { DomainError, notFound, unprocessable } from '../common/domain-error';
import { OrgUnitsService } from '../orgs/org-units.service';
import { ageLimitsProblems, PROGRAMME_DEFAULTS, type ProgrammeSettings } from '../../workflows/contracts';

// Programmes that can be configured, with their built-in defaults (the step table), come from
// workflows/contracts (one list for the whole platform). Only their step ids and amount names are
// accepted, so a typo cannot pass as a silent no-op.
export { PROGRAMME_DEFAULTS };

export interface ProgrammeConfigView {
  id: string;
  programme: string;
  orgUnitCode: string;
  orgUnitName: string;
  effectiveFrom: string;
  version: string;
  settings: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
}

export interface SettingsProblem {
  path: string;
  problem: string;
}

const SELECT = `
  SELECT c.id, c.programme, c.org_unit_code AS "orgUnitCode", o.name AS "orgUnitName", o.path AS "orgPath",
         to_char(c.effective_from, 'YYYY-MM-DD') AS "effectiveFrom", c.version, c.settings,
         c.created_by AS "createdBy", c.created_at AS "createdAt"
  FROM programme_config c JOIN org_unit o ON o.code = c.org_unit_code`;

const MAX_SETTINGS_BYTES = 32_768;
const STEP_ID = /^[a-z][a-z0-9_]{0,39}$/;
const AMOUNT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const TOP_LEVEL = ['steps', 'followUps', 'amounts', 'rules'];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIntIn = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Every problem with a settings object (empty = valid). Shape, as the workflows read it
 * (workflows/lib/settings.ts): steps: Record<stepId, {workingDays: int 0..365, remindBefore?: int[] 1..365}>,
 * followUps?: {step, dueAfterDays, windowFromDays?, mode: 'visit'|'phone'}[], amounts?: Record<string, number ≥ 0>,
 * rules?: object. Unknown keys are refused so a typo never passes silently as "no change".
 */
export function settingsProblems(settings: unknown, defaults?: ProgrammeSettings, opts: { allowCompressedCalendar?: boolean } = {}): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  const add = (path: string, problem: string) => out.push({ path, problem });
  if (!isPlainObject(settings)) {
    add('settings', '须为对象 / must be an object');
    return out;
  }
  if (Buffer.byteLength(JSON.stringify(settings)) > MAX_SETTINGS_BYTES) add('settings', `不得超过 ${MAX_SETTINGS_BYTES} 字节 / must be at most ${MAX_SETTINGS_BYTES} bytes`);
  for (const k of Object.keys(settings)) {
    if (!TOP_LEVEL.includes(k)) add(`settings.${k}`, `未知设置项，只允许 ${TOP_LEVEL.join('、')} / unknown key; allowed: ${TOP_LEVEL.join(', ')}`);
  }

  const steps = settings.steps;
  if (!isPlainObject(steps)) {
    add('settings.steps', '必填，须为以环节代码为键的对象 / required: an object keyed by step id');
  } else {
    for (const [id, s] of Object.entries(steps)) {
      const p = `settings.steps.${id}`;
      if (!STEP_ID.test(id)) add(p, '环节代码须为小写字母、数字或下划线 / step id must be lower-case letters, digits or _');
      else if (defaults && !Object.hasOwn(defaults.steps, id)) add(p, `${defaults.programme} 没有此环节，可用：${Object.keys(defaults.steps).join('、')} / no such step in ${defaults.programme}; known: ${Object.keys(defaults.steps).join(', ')}`);
      if (!isPlainObject(s)) {
        add(p, '须为对象 {workingDays, remindBefore?} / must be an object {workingDays, remindBefore?}');
        continue;
      }
      for (const k of Object.keys(s)) if (k !== 'workingDays' && k !== 'remindBefore') add(`${p}.${k}`, '未知字段 / unknown key');
      if (!isIntIn(s.workingDays, 0, 365)) add(`${p}.workingDays`, '须为0至365的整数（工作日） / must be an integer 0-365 (working days)');
      if (s.remindBefore !== undefined) {
        if (!Array.isArray(s.remindBefore) || s.remindBefore.length > 10 || !s.remindBefore.every((n) => isIntIn(n, 1, 365))) {
          add(`${p}.remindBefore`, '须为不超过10个、1至365的整数数组 / must be an array of at most 10 integers 1-365');
        } else if (isIntIn(s.workingDays, 0, 365) && s.remindBefore.some((n) => n >= (s.workingDays as number) && (s.workingDays as number) > 0)) {
          add(`${p}.remindBefore`, '提醒须早于到期日且在办理时限之内 / reminders must fall inside the time limit (each < workingDays)');
        }
      }
    }
  }

  if (settings.followUps !== undefined) {
    if (!Array.isArray(settings.followUps) || settings.followUps.length > 20) {
      add('settings.followUps', '须为不超过20项的数组 / must be an array of at most 20 items');
    } else {
      const seen = new Set<string>();
      settings.followUps.forEach((f, i) => {
        const p = `settings.followUps[${i}]`;
        if (!isPlainObject(f)) return add(p, '须为对象 {step, dueAfterDays, windowFromDays?, mode} / must be an object {step, dueAfterDays, windowFromDays?, mode}');
        for (const k of Object.keys(f)) if (!['step', 'dueAfterDays', 'windowFromDays', 'mode'].includes(k)) add(`${p}.${k}`, '未知字段 / unknown key');
        if (typeof f.step !== 'string' || !STEP_ID.test(f.step)) add(`${p}.step`, '须为小写环节代码 / must be a lower-case step id');
        else if (seen.has(f.step)) add(`${p}.step`, `随访环节重复（${f.step}） / duplicate follow-up step ${f.step}`);
        else seen.add(f.step);
        if (!isIntIn(f.dueAfterDays, 0, 3650)) add(`${p}.dueAfterDays`, '须为0至3650的整数（自然日） / must be an integer 0-3650 (calendar days)');
        if (f.windowFromDays !== undefined && !(isIntIn(f.windowFromDays, 0, 3650) && (!Number.isInteger(f.dueAfterDays) || (f.windowFromDays as number) <= (f.dueAfterDays as number)))) {
          add(`${p}.windowFromDays`, '须为不大于 dueAfterDays 的非负整数 / must be a non-negative integer not after dueAfterDays');
        }
        if (f.mode !== 'visit' && f.mode !== 'phone') add(`${p}.mode`, "须为 'visit' 或 'phone' / must be 'visit' or 'phone'");
      });
    }
  }

  if (settings.amounts !== undefined) {
    if (!isPlainObject(settings.amounts)) {
      add('settings.amounts', '须为以金额名称为键的对象 / must be an object of named amounts');
    } else {
      for (const [k, v] of Object.entries(settings.amounts)) {
        if (!AMOUNT_KEY.test(k)) add(`settings.amounts.${k}`, '金额名称须为字母、数字或下划线 / amount names are letters, digits or _');
        else if (defaults && !Object.hasOwn(defaults.amounts, k)) add(`settings.amounts.${k}`, `${defaults.programme} 没有此金额项，可用：${Object.keys(defaults.amounts).join('、')} / no such amount in ${defaults.programme}; known: ${Object.keys(defaults.amounts).join(', ')}`);
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100_000_000) add(`settings.amounts.${k}`, '须为0至1亿之间的数字（元） / must be a number 0-100,000,000 (yuan)');
      }
    }
  }

  if (settings.rules !== undefined && !isPlainObject(settings.rules)) add('settings.rules', '须为对象 / must be an object');
  else if (isPlainObject(settings.rules) && settings.rules.ageLimits !== undefined) {
    // Per-category age limits of child rehabilitation (workflows/programs/child-rehab/eligibility.ts).
    if (defaults && defaults.programme !== 'child_rehab') add('settings.rules.ageLimits', `${defaults.programme} 没有分类别年龄限制 / ${defaults.programme} has no per-category age limits`);
    else for (const problem of ageLimitsProblems(settings.rules.ageLimits)) add('settings.rules.ageLimits', problem);
  }
  if (isPlainObject(settings.rules) && settings.rules.compressedCalendar !== undefined) {
    // Months of minutes (workflows/programs/child-rehab/steps.ts rehabClock): demo and training stacks only.
    const c = settings.rules.compressedCalendar;
    const p = 'settings.rules.compressedCalendar';
    if (defaults && defaults.programme !== 'child_rehab') add(p, `${defaults.programme} 没有压缩日历 / ${defaults.programme} has no compressed calendar`);
    else if (!opts.allowCompressedCalendar) {
      add(p, '压缩日历仅用于演示和培训环境（需配置 ALLOW_COMPRESSED_CALENDAR=true，生产环境不可用） / a compressed calendar is for demo and training stacks only (needs ALLOW_COMPRESSED_CALENDAR=true, never in production)');
    } else if (!isPlainObject(c) || Object.keys(c).some((k) => k !== 'monthSeconds' && k !== 'yearSeconds') || !isIntIn(c.monthSeconds, 1, 31 * 86_400) || !isIntIn(c.yearSeconds, 1, 366 * 86_400)) {
      add(p, '须为 {monthSeconds, yearSeconds}，均为正整数秒 / must be {monthSeconds, yearSeconds}, both positive whole seconds');
    } else if ((c.yearSeconds as number) < (c.monthSeconds as number)) add(p, '一年不得短于一个月 / yearSeconds must be at least monthSeconds');
  }
  return out;
}

/**
 * Versioned programme settings per jurisdiction. A version is never edited in place: a change
 * is a new row with a later effective date, and each case keeps the version it started with.
 * (Which version applies to a case is resolved in programme-settings.service.ts.)
 */
@Injectable()
export class ProgrammeConfigService {
  constructor(
    private readonly ds: DataSource,
    private readonly orgs: OrgUnitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Configs of org units on the caller's path (those that apply to them) or below. */
  async list(user: AuthUser, programme?: string): Promise<{ items: ProgrammeConfigView[] }> {
    const params: unknown[] = [`${user.orgPath}%`, user.orgPath];
    let filter = '';
    if (programme) {
      params.push(programme);
      filter = ` AND c.programme = $3`;
    }
    const rows = await this.ds.query(
      `${SELECT} WHERE (o.path LIKE $1 OR $2 LIKE o.path || '%')${filter} ORDER BY c.programme, o.path, c.effective_from DESC`,
      params,
    );
    return { items: rows.map(view) };
  }

  async get(user: AuthUser, id: string): Promise<ProgrammeConfigView> {
    const rows = await this.ds.query(`${SELECT} WHERE c.id = $1`, [id]);
    const r = rows[0];
    if (!r || !(r.orgPath.startsWith(user.orgPath) || user.orgPath.startsWith(r.orgPath))) throw notFound('项目配置 / programme config');
    return view(r);
  }

  async create(
    user: AuthUser,
    dto: { programme: string; orgUnitCode: string; effectiveFrom: string; settings: Record<string, unknown> },
  ): Promise<ProgrammeConfigView> {
    const defaults = PROGRAMME_DEFAULTS[dto.programme];
    if (!defaults) {
      const known = Object.keys(PROGRAMME_DEFAULTS).join(', ');
      throw unprocessable('UNKNOWN_PROGRAMME', `没有此项目（${dto.programme}），可用：${known} / unknown programme ${dto.programme}; known: ${known}`);
    }
    const unit = await this.orgs.requireForWrite(user, dto.orgUnitCode, ['city', 'county'], 'orgUnitCode');
    const today = shanghaiToday();
    if (dto.effectiveFrom < today) {
      throw unprocessable(
        'EFFECTIVE_IN_PAST',
        `生效日期（${dto.effectiveFrom}）不能早于今天（${today}）：已开始的个案沿用原版本，新版本只能从今天或以后生效 / effectiveFrom ${dto.effectiveFrom} is before today (${today}); a new version can only take effect today or later`,
      );
    }
    const problems = settingsProblems(dto.settings, defaults, { allowCompressedCalendar: this.config.ALLOW_COMPRESSED_CALENDAR });
    if (problems.length) {
      throw unprocessable(
        'SETTINGS_INVALID',
        `项目设置不符合要求：${problems.map((p) => `${p.path} ${p.problem.split(' / ')[0]}`).join('；')} / invalid settings: ${problems
          .map((p) => `${p.path} ${p.problem.split(' / ')[1] ?? p.problem}`)
          .join('; ')}`,
        problems,
      );
    }
    const version = `${dto.programme}@${unit.code}@${dto.effectiveFrom}`;
    const duplicate = () =>
      new DomainError(
        409,
        'CONFIG_EXISTS',
        `${version} 已存在；版本不能修改，请另选生效日期新建版本 / ${version} already exists; versions are never edited, create one with another effective date`,
      );
    const existing: unknown[] = await this.ds.query(
      `SELECT 1 FROM programme_config WHERE programme = $1 AND org_unit_code = $2 AND effective_from = $3`,
      [dto.programme, unit.code, dto.effectiveFrom],
    );
    if (existing.length) throw duplicate();
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (programme, org_unit_code, effective_from) DO NOTHING RETURNING id`,
      [dto.programme, unit.code, dto.effectiveFrom, version, dto.settings, user.id],
    );
    if (!rows[0]) throw duplicate(); // created concurrently between the check and the insert
    return this.get(user, rows[0].id);
  }
}

function view(r: ProgrammeConfigView & { orgPath?: string; createdAt: unknown }): ProgrammeConfigView {
  const { orgPath: _orgPath, ...rest } = r;
  return { ...rest, createdAt: new Date(r.createdAt as string).toISOString() };
}
