/**
 * The why-stuck line: one sentence (Chinese, and English for logs and the API) saying what a case
 * waits for: step, who (role, org unit or partner, named assignee or unclaimed), since when, the
 * working days it has been open, the working days of its time limit left or overdue, and whether it
 * waits on staff, a partner or the resident. Pure: the numbers come from the workday table.
 */
import { roleLabel, stepLabel, WAITING_LABELS } from './labels';

export interface WaitFacts {
  step: string;
  kind: 'approval' | 'record' | 'followup';
  role: string;
  orgUnitCode: string;
  orgUnitName?: string | null;
  partnerId?: string | null;
  partnerName?: string | null;
  /** Named assignee; null = not claimed yet. */
  assigneeUserId?: string | null;
  assigneeName?: string | null;
  /** Shanghai date the task opened (YYYY-MM-DD). */
  since: string;
  /** Working days from `since` to today: n(today) − n(since). */
  workingDaysOpen: number;
  dueDate: string;
  /** n(dueDate) − n(today): > 0 left, 0 due today, < 0 overdue by that many. */
  workingDaysLeft: number;
  /** The due instant has passed (also true on a day off right after the due date). */
  overdue: boolean;
  waitingOn: string;
  escalatedAt?: string | Date | null;
}

export type SlaState = 'overdue' | 'due_today' | 'on_time';

export interface WhyLine {
  zh: string;
  en: string;
  sla: SlaState;
  /** Working days overdue (0 unless overdue). */
  overdueWorkingDays: number;
}

export function slaState(f: Pick<WaitFacts, 'overdue' | 'workingDaysLeft'>): SlaState {
  if (f.overdue) return 'overdue';
  return f.workingDaysLeft <= 0 ? 'due_today' : 'on_time';
}

export function whyStuckLine(f: WaitFacts): WhyLine {
  const sla = slaState(f);
  const overdueWorkingDays = sla === 'overdue' ? Math.max(0, -f.workingDaysLeft) : 0;
  const unit = f.orgUnitName ? `${f.orgUnitName}` : f.orgUnitCode;
  const isPartner = !!f.partnerId;
  const whoZh = isPartner ? `合作机构「${f.partnerName ?? f.partnerId}」` : `${roleLabel(f.role)}（${unit}）`;
  const whoEn = isPartner ? `partner ${f.partnerName ?? f.partnerId}` : `${f.role} at ${unit}`;
  const holderZh = f.assigneeUserId ? `经办人 ${f.assigneeName ?? f.assigneeUserId}` : '尚未认领';
  const holderEn = f.assigneeUserId ? `held by ${f.assigneeName ?? f.assigneeUserId}` : 'unclaimed';
  const slaZh =
    sla === 'overdue'
      ? overdueWorkingDays > 0
        ? `已超期 ${overdueWorkingDays} 个工作日（期限 ${f.dueDate}）`
        : `已超期（期限 ${f.dueDate}）`
      : sla === 'due_today'
        ? `今日到期（${f.dueDate}）`
        : `剩余 ${f.workingDaysLeft} 个工作日（期限 ${f.dueDate}）`;
  const slaEn =
    sla === 'overdue'
      ? overdueWorkingDays > 0
        ? `overdue by ${overdueWorkingDays} working day${overdueWorkingDays === 1 ? '' : 's'} (due ${f.dueDate})`
        : `overdue (due ${f.dueDate})`
      : sla === 'due_today'
        ? `due today (${f.dueDate})`
        : `${f.workingDaysLeft} working day${f.workingDaysLeft === 1 ? '' : 's'} left (due ${f.dueDate})`;
  const waiting = WAITING_LABELS[f.waitingOn] ?? { zh: f.waitingOn, en: f.waitingOn };
  const escalatedZh = f.escalatedAt ? '；已上报督办' : '';
  const escalatedEn = f.escalatedAt ? '; escalated' : '';
  return {
    sla,
    overdueWorkingDays,
    zh: `「${stepLabel(f.step)}」待${whoZh}办理，${holderZh}；自 ${f.since} 起 ${f.workingDaysOpen} 个工作日；${slaZh}；等待${waiting.zh}${escalatedZh}`,
    en: `${f.step} waits for ${whoEn}, ${holderEn}, since ${f.since} (${f.workingDaysOpen} working day${f.workingDaysOpen === 1 ? '' : 's'}); ${slaEn}; waiting on ${waiting.en}${escalatedEn}`,
  };
}

/** The line for a case with no open task (closed, or waiting for a date such as the campaign's screening day). */
export function idleCaseLine(c: { status: string; step: string; outcome?: string | null; closedAt?: string | null; waitingOn: string; until?: string | null }): { zh: string; en: string } {
  if (c.status === 'closed') {
    return { zh: `已结案（${c.outcome ?? '—'}${c.closedAt ? `，${c.closedAt}` : ''}）`, en: `closed (${c.outcome ?? '—'}${c.closedAt ? `, ${c.closedAt}` : ''})` };
  }
  if (c.waitingOn === 'timer') {
    return {
      zh: `「${stepLabel(c.step)}」等待时间节点${c.until ? `（${c.until}）` : ''}，无待办任务`,
      en: `${c.step} waits for a date${c.until ? ` (${c.until})` : ''}; no open task`,
    };
  }
  return { zh: `「${stepLabel(c.step)}」暂无待办任务，流程正在处理`, en: `${c.step}: no open task; the workflow is processing` };
}
