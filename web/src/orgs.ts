import { useEffect, useState } from 'react';
import { api } from './api';
import type { OrgNode } from './types';

export interface FlatOrg {
  code: string;
  name: string;
  level: OrgNode['level'];
  path: string;
  depth: number;
}

export function flatten(n: OrgNode, depth = 0): FlatOrg[] {
  return [{ code: n.code, name: n.name, level: n.level, path: n.path, depth }, ...n.children.flatMap((c) => flatten(c, depth + 1))];
}

/** The org tree under my unit, loaded once per page. */
export function useOrgTree() {
  const [tree, setTree] = useState<OrgNode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api<OrgNode>('/org-units/tree').then(setTree).catch(setError);
  }, [version]);
  return { tree, flat: tree ? flatten(tree) : [], error, reload: () => setVersion((v) => v + 1) };
}

export const orgOption = (o: FlatOrg) => ({ value: o.code, label: `${'　'.repeat(o.depth)}${o.name}（${o.code}）` });
