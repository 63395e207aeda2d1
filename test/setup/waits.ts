/**
 * Waiting helpers shared by the HTTP end-to-end and browser suites: the read model is written by
 * the workflow's projection activity, so a task appears a moment after the request that opened it.
 */
import type { DataSource } from 'typeorm';
import type { Client } from './harness';
import { shanghaiDay } from './fixtures';

/** Polls `fn` until it gives a value (not undefined or false); fails after `ms` naming `what`. */
export async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms: number, what: string, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The open task of `step` on a case, as the api shows it; fails after `ms` naming where the case is. */
export async function openTask(c: Client, caseId: string, step: string, ms = 30_000): Promise<any> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await c.get(`/cases/${caseId}`);
    const t = r.body?.tasks?.find((x: any) => x.step === step && x.status === 'open');
    if (t) return t;
    if (Date.now() > until) throw new Error(`task ${step} never opened (case at ${r.body?.case?.step})`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The working day whose running count is n(today) − k, from the workday table. */
export async function workingDaysAgo(ds: DataSource, k: number): Promise<string> {
  const [r] = await ds.query(
    `SELECT to_char(min(date), 'YYYY-MM-DD') AS d FROM workday WHERE is_working AND n = (SELECT n FROM workday WHERE date = $1) - $2`,
    [shanghaiDay(0), k],
  );
  return r.d;
}
