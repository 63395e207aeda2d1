import { DomainError } from './domain-error';

/** Opaque keyset cursors: base64url of the last row's sort key, validated on the way back in. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  } catch {
    /* fall through */
  }
  throw new DomainError(400, 'BAD_CURSOR', '翻页位置无效，请从第一页重新查询 / cursor is not valid; start again without it');
}

export function clampLimit(limit: number | undefined, max = 100, dflt = 20): number {
  if (limit === undefined) return dflt;
  return Math.max(1, Math.min(max, Math.trunc(limit)));
}
