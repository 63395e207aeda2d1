import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, notFound } from '../common/domain-error';
import { resolveScope, ScopeUnit } from '../monitoring/scope';
import { FigureDefinition, ProgrammeFigures, reportProgrammes } from './figures';

/** Largest drill-down list returned at once (a city's surgeries of a year fit easily). */
export const DRILLDOWN_MAX = 50_000;

export interface FigureValue {
  id: string;
  key: string;
  label: string;
  labelEn: string;
  unit: string;
  kind: FigureDefinition['kind'];
  /** The figure: count, people, amount (yuan) or rate (%, one decimal; null without a denominator). */
  value: number | null;
  /** Cases behind the figure (the denominator for a rate). */
  cases: number;
  numerator?: number;
  denominator?: number;
  note?: string;
  noteEn?: string;
}

export interface YearlyReport {
  year: number;
  orgUnit: { code: string; name: string; level: string };
  generatedAt: string;
  programmes: { programme: string; label: string; labelEn: string; figures: FigureValue[] }[];
}

/** Typed references to every parameter, so a base that does not use one still plans. */
const PARAMS_CTE = `_p AS (SELECT $1::text AS scope, $2::timestamptz AS y0, $3::timestamptz AS y1, $4::text AS d0, $5::text AS d1)`;

export function yearParams(scope: ScopeUnit, year: number): unknown[] {
  return [`${scope.path}%`, `${year}-01-01T00:00:00+08:00`, `${year + 1}-01-01T00:00:00+08:00`, `${year}-01-01`, `${year + 1}-01-01`];
}

function rate(num: number, den: number): number | null {
  return den > 0 ? Math.round((1000 * num) / den) / 10 : null;
}

/**
 * The figures a federation puts in its annual work summary, computed from the cases themselves
 * (one query per programme over its base), and the list of cases behind each figure.
 */
@Injectable()
export class YearlyReportService {
  constructor(private readonly ds: DataSource) {}

  private checkYear(year: number) {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new DomainError(400, 'VALIDATION_FAILED', '年度须在 2000–2100 之间 / year must be 2000–2100');
  }

  async report(user: AuthUser, year: number, orgUnitCode?: string): Promise<YearlyReport> {
    this.checkYear(year);
    const scope = await resolveScope(this.ds, user, orgUnitCode);
    const params = yearParams(scope, year);
    const programmes = [];
    for (const p of reportProgrammes()) programmes.push(await this.programmeFigures(p, params));
    return {
      year,
      orgUnit: { code: scope.code, name: scope.name, level: scope.level },
      generatedAt: new Date().toISOString(),
      programmes,
    };
  }

  private async programmeFigures(p: ProgrammeFigures, params: unknown[]) {
    const cols: string[] = [];
    p.figures.forEach((f, i) => {
      cols.push(`count(*) FILTER (WHERE ${f.where})::int AS c${i}`);
      if (f.kind === 'people') cols.push(`count(DISTINCT b.person_id) FILTER (WHERE ${f.where})::int AS v${i}`);
      if (f.kind === 'sum') cols.push(`coalesce(sum(${f.amount}) FILTER (WHERE ${f.where}), 0)::text AS v${i}`);
      if (f.kind === 'rate') cols.push(`count(*) FILTER (WHERE (${f.where}) AND (${f.numerator}))::int AS v${i}`);
    });
    const [row] = await this.ds.query(`WITH ${PARAMS_CTE}, b AS (${p.base}) SELECT ${cols.join(', ')} FROM b`, params);
    const figures: FigureValue[] = p.figures.map((f, i) => {
      const cases = row[`c${i}`] as number;
      const base = { id: `${p.programme}.${f.key}`, key: f.key, label: f.label, labelEn: f.labelEn, unit: f.unit, kind: f.kind, cases, note: f.note, noteEn: f.noteEn };
      if (f.kind === 'cases') return { ...base, value: cases };
      if (f.kind === 'people') return { ...base, value: row[`v${i}`] as number };
      if (f.kind === 'sum') return { ...base, value: Number(row[`v${i}`]) };
      const numerator = row[`v${i}`] as number;
      return { ...base, value: rate(numerator, cases), numerator, denominator: cases };
    });
    return { programme: p.programme, label: p.label, labelEn: p.labelEn, figures };
  }

  /** The cases behind one figure (`programme.key`), with what placed each in the year. */
  async drilldown(user: AuthUser, figureId: string, year: number, orgUnitCode?: string) {
    this.checkYear(year);
    const [programme, key] = figureId.split('.');
    const p = reportProgrammes().find((x) => x.programme === programme);
    const f = p?.figures.find((x) => x.key === key);
    if (!p || !f) throw notFound(`figure ${figureId}`);
    const scope = await resolveScope(this.ds, user, orgUnitCode);
    const params = yearParams(scope, year);
    const rows: any[] = await this.ds.query(
      `WITH ${PARAMS_CTE}, b AS (${p.base})
       SELECT b.case_id, b.case_no, b.person_id, b.org_unit_code, o.name AS org_unit_name,
              ${f.date ?? 'NULL'} AS at,
              ${f.kind === 'sum' ? `(${f.amount})::text` : 'NULL'} AS amount,
              ${f.kind === 'rate' ? `coalesce((${f.numerator}), false)` : 'NULL'} AS in_numerator
       FROM b LEFT JOIN org_unit o ON o.code = b.org_unit_code
       WHERE ${f.where}
       ORDER BY b.case_no LIMIT ${DRILLDOWN_MAX + 1}`,
      params,
    );
    const truncated = rows.length > DRILLDOWN_MAX;
    const items = rows.slice(0, DRILLDOWN_MAX).map((r) => ({
      caseId: r.case_id,
      caseNo: r.case_no,
      personId: r.person_id,
      orgUnitCode: r.org_unit_code,
      orgUnitName: r.org_unit_name,
      at: r.at instanceof Date ? r.at.toISOString() : r.at,
      ...(f.kind === 'sum' ? { amount: r.amount === null ? null : Number(r.amount) } : {}),
      ...(f.kind === 'rate' ? { inNumerator: r.in_numerator } : {}),
    }));
    const people = new Set(items.map((i) => i.personId)).size;
    const totals: Record<string, number | null> = { cases: items.length, people };
    // Rounded to the fen: amounts carry cents, and a float sum of them drifts (0.1 + 0.2).
    if (f.kind === 'sum') totals.amount = Math.round(items.reduce((s, i: any) => s + (i.amount ?? 0), 0) * 100) / 100;
    if (f.kind === 'rate') {
      totals.numerator = items.filter((i: any) => i.inNumerator).length;
      totals.denominator = items.length;
      totals.rate = rate(totals.numerator, items.length);
    }
    return {
      figure: { id: `${p.programme}.${f.key}`, label: f.label, labelEn: f.labelEn, unit: f.unit, kind: f.kind, note: f.note ?? null, noteEn: f.noteEn ?? null },
      year,
      orgUnit: { code: scope.code, name: scope.name },
      totals,
      truncated,
      items,
    };
  }
}
