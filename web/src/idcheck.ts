/**
 * Instant feedback while a resident ID is typed (GB 11643: format, birth date, MOD 11-2 check
 * character). The server re-validates on registration (also the region code) and its message is
 * what counts; this only spares a round trip for typos.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdProblem = 'idFormat' | 'idChecksum' | 'idBirth' | null;

export function checkResidentId(raw: string): IdProblem {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'idFormat';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > Date.now()) return 'idBirth';
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return CHECK[sum % 11] === id[17] ? null : 'idChecksum';
}
