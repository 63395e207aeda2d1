/**
 * Routing rules: which org unit a task sits at, resolved from the case's org path.
 * Paths are "/city/county/township/village/" (division codes), so resolving "the township of
 * this case" is pure string work: no I/O in the workflow.
 */
import type { OrgLevel } from '../contracts/case';

const DEPTH: Record<OrgLevel, number> = { city: 1, county: 2, township: 3, village: 4 };

export function ancestorAt(orgPath: string, level: OrgLevel): { code: string; path: string } {
  const parts = orgPath.split('/').filter(Boolean);
  const depth = DEPTH[level];
  if (parts.length < depth) throw new Error(`org path ${orgPath} has no ${level} level`);
  const kept = parts.slice(0, depth);
  return { code: kept[depth - 1], path: `/${kept.join('/')}/` };
}

/** The level above, for escalation (village → township → county → city). */
export function parentLevel(level: OrgLevel): OrgLevel {
  return level === 'village' ? 'township' : level === 'township' ? 'county' : 'city';
}

/** True when `scopePath` (a user's org unit) contains `targetPath` (a case's or task's). */
export function inScope(scopePath: string, targetPath: string): boolean {
  return targetPath.startsWith(scopePath);
}
