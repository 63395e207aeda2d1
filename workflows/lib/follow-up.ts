/**
 * Follow-up visit: scheduled at an offset (calendar days) after an event such as surgery,
 * open from the event on, reminded the day before it is due, overdue (and escalated) after,
 * and recorded through the same `taskAction` Update with programme-specific fields.
 */
import type { CaseRuntime, TaskResult } from './case-runtime';
import { humanTask } from './human-task';
import type { FollowUpSetting } from './settings';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000; // China has no DST: a fixed offset is exact.

/** 'YYYY-MM-DD' in Asia/Shanghai of an instant (pure arithmetic, deterministic). */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI).toISOString().slice(0, 10);
}
function endOfShanghaiDay(day: string): number {
  return Date.parse(`${day}T23:59:59.999+08:00`);
}
function shanghaiAt(day: string, hh: number): number {
  return Date.parse(`${day}T${String(hh).padStart(2, '0')}:00:00+08:00`);
}

export function followUpDue(eventAtIso: string, f: FollowUpSetting) {
  const eventDay = shanghaiDay(Date.parse(eventAtIso));
  const dueDay = shanghaiDay(Date.parse(`${eventDay}T12:00:00+08:00`) + f.dueAfterDays * DAY);
  const remindDay = shanghaiDay(Date.parse(`${dueDay}T12:00:00+08:00`) - DAY);
  const reminders = f.dueAfterDays >= 2 ? [new Date(shanghaiAt(remindDay, 9)).toISOString()] : [];
  return { dueDate: dueDay, dueAt: new Date(endOfShanghaiDay(dueDay)).toISOString(), reminders };
}

export async function followUpVisit(
  rt: CaseRuntime,
  f: FollowUpSetting,
  eventAtIso: string,
  who: { partnerId?: string; role?: string; level?: 'village' | 'township' | 'county' },
  validate: (data: Record<string, unknown>) => string | null,
): Promise<TaskResult> {
  return humanTask(rt, {
    step: f.step,
    kind: 'followup',
    partnerId: who.partnerId,
    role: who.role,
    level: who.level,
    setting: { workingDays: 0 },
    dueAtOverride: followUpDue(eventAtIso, f),
    validate,
    note: f.windowFromDays !== undefined ? `window: day ${f.windowFromDays}–${f.dueAfterDays} (${f.mode})` : `${f.mode}`,
    waitingOn: 'partner',
    keepCaseStep: true,
  });
}
