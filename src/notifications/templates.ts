/** Notification texts, zh-CN first with English available (issue 6 extends channels and templates). */
import type { NotificationType } from '../../activities/types';

type Vars = Record<string, string | number>;
type Template = { title: (v: Vars) => string; body: (v: Vars) => string };

const zh: Record<NotificationType, Template> = {
  task_assigned: { title: (v) => `新待办：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 的「${v.step}」已分派给您${v.dueDate ? `，请于 ${v.dueDate} 前办理` : ''}。` },
  task_due_soon: { title: (v) => `即将到期：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 的「${v.step}」将于 ${v.dueDate} 到期。` },
  task_overdue: { title: (v) => `已超期：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 的「${v.step}」已于 ${v.dueDate} 到期，请尽快办理。` },
  task_escalated: { title: (v) => `超期督办：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 的「${v.step}」已超期（到期日 ${v.dueDate}），已上报给您督办。` },
  followup_due: { title: (v) => `随访到期：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 的随访「${v.step}」将于 ${v.dueDate} 到期。` },
  case_decided: { title: (v) => `个案已办结：${v.caseNo}`, body: (v) => `个案 ${v.caseNo} 已办结：${v.outcome}。` },
};
const en: Record<NotificationType, Template> = {
  task_assigned: { title: (v) => `New task: ${v.caseNo}`, body: (v) => `Step "${v.step}" of case ${v.caseNo} is assigned to you${v.dueDate ? `, due ${v.dueDate}` : ''}.` },
  task_due_soon: { title: (v) => `Due soon: ${v.caseNo}`, body: (v) => `Step "${v.step}" of case ${v.caseNo} is due on ${v.dueDate}.` },
  task_overdue: { title: (v) => `Overdue: ${v.caseNo}`, body: (v) => `Step "${v.step}" of case ${v.caseNo} was due on ${v.dueDate}.` },
  task_escalated: { title: (v) => `Escalated: ${v.caseNo}`, body: (v) => `Step "${v.step}" of case ${v.caseNo} is overdue (due ${v.dueDate}) and escalated to you.` },
  followup_due: { title: (v) => `Follow-up due: ${v.caseNo}`, body: (v) => `Follow-up "${v.step}" of case ${v.caseNo} is due on ${v.dueDate}.` },
  case_decided: { title: (v) => `Case closed: ${v.caseNo}`, body: (v) => `Case ${v.caseNo} closed: ${v.outcome}.` },
};

export function render(type: NotificationType, vars: Vars, locale = 'zh-CN') {
  const t = (locale.startsWith('en') ? en : zh)[type];
  return { title: t.title(vars), body: t.body(vars) };
}
