/**
 * Notification texts: one template per type, zh-CN (default) and English, with variables.
 * `private` is false for channels others may read (SMS, WeCom/DingTalk group robots): there the
 * resident's name is masked (张*三) and nothing beyond the case number and step is shown.
 */
import { stepLabel } from '../../workflows/contracts/step-labels';
import { maskName } from './rules';
import type { DeliveryType } from './types';

export type Vars = Record<string, unknown>;
export interface RenderOptions {
  locale?: string;
  /** true for in-app and e-mail (read by the recipient only). Default true. */
  private?: boolean;
}
export interface Rendered {
  title: string;
  body: string;
}

interface DigestItem {
  caseNo: string;
  step: string;
  dueDate?: string;
  link?: string;
}

export { stepLabel };

const OUTCOMES: Record<string, { zh: string; en: string }> = {
  completed: { zh: '已完成', en: 'completed' },
  rejected: { zh: '未通过', en: 'not approved' },
  not_suitable: { zh: '经筛查不适宜手术', en: 'not suitable for surgery' },
  contraindicated: { zh: '存在手术禁忌', en: 'contraindicated' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  aged_out: { zh: '儿童超龄，救助期满', en: 'the child aged out of the programme' },
  not_renewed: { zh: '未续期', en: 'not renewed' },
  stable_employment: { zh: '稳定就业（连续 12 个月）', en: 'stable employment (12 months)' },
  employed: { zh: '已就业', en: 'employed' },
  not_employed: { zh: '培训后未就业', en: 'not employed after training' },
  dropped_out: { zh: '中途退训', en: 'dropped out of training' },
  incomplete: { zh: '培训未完成', en: 'training not completed' },
  waitlist_expired: { zh: '候补期满未入班', en: 'the waitlist place expired' },
  course_unavailable: { zh: '课程取消', en: 'the course was cancelled' },
};

type Ctx = { v: Vars; en: boolean; priv: boolean };
type Template = { title: (c: Ctx) => string; body: (c: Ctx) => string };

const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
/** The resident as shown in this channel ('' when the case has no name to show). */
const who = (c: Ctx) => {
  const name = s(c.v.personName);
  if (!name) return '';
  return c.priv ? name : maskName(name);
};
const zhWho = (c: Ctx) => (who(c) ? `（${who(c)}）` : '');
const enWho = (c: Ctx) => (who(c) ? ` (${who(c)})` : '');
const link = (c: Ctx) => (c.priv && c.v.link ? (c.en ? `\nOpen: ${s(c.v.link)}` : `\n查看：${s(c.v.link)}`) : '');
const step = (c: Ctx) => stepLabel(c.v.step, c.en);

const TEMPLATES: Record<DeliveryType, Template> = {
  task_assigned: {
    title: (c) => (c.en ? `New task: ${s(c.v.caseNo)}` : `新待办：${s(c.v.caseNo)}`),
    body: (c) =>
      c.en
        ? `Step "${step(c)}" of case ${s(c.v.caseNo)}${enWho(c)} is assigned to you${c.v.dueDate ? `, due ${s(c.v.dueDate)}` : ''}.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}的「${step(c)}」已分派给您${c.v.dueDate ? `，请于 ${s(c.v.dueDate)} 前办理` : ''}。${link(c)}`,
  },
  task_due_soon: {
    title: (c) => (c.en ? `Due soon: ${s(c.v.caseNo)}` : `即将到期：${s(c.v.caseNo)}`),
    body: (c) =>
      c.en
        ? `Step "${step(c)}" of case ${s(c.v.caseNo)}${enWho(c)} is due on ${s(c.v.dueDate)}.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}的「${step(c)}」将于 ${s(c.v.dueDate)} 到期，请及时办理。${link(c)}`,
  },
  task_overdue: {
    title: (c) => (c.en ? `Overdue: ${s(c.v.caseNo)}` : `已超期：${s(c.v.caseNo)}`),
    body: (c) =>
      c.en
        ? `Step "${step(c)}" of case ${s(c.v.caseNo)}${enWho(c)} was due on ${s(c.v.dueDate)}. Please act now.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}的「${step(c)}」已于 ${s(c.v.dueDate)} 到期，请尽快办理。${link(c)}`,
  },
  task_escalated: {
    title: (c) => (c.en ? `Escalated to you: ${s(c.v.caseNo)}` : `超期督办：${s(c.v.caseNo)}`),
    body: (c) =>
      c.en
        ? `Step "${step(c)}" of case ${s(c.v.caseNo)}${enWho(c)} is overdue (due ${s(c.v.dueDate)}) and has been escalated to you.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}的「${step(c)}」已超期（到期日 ${s(c.v.dueDate)}），已上报给您督办。${link(c)}`,
  },
  followup_due: {
    title: (c) => (c.en ? `Follow-up visit due: ${s(c.v.caseNo)}` : `随访到期：${s(c.v.caseNo)}`),
    body: (c) =>
      c.en
        ? `The ${step(c)} of case ${s(c.v.caseNo)}${enWho(c)} is due on ${s(c.v.dueDate)}.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}的「${step(c)}」将于 ${s(c.v.dueDate)} 到期，请按时随访。${link(c)}`,
  },
  visit_reminder: {
    // To the resident (SMS): no case number, masked name, what to do and by when.
    title: (c) => (c.en ? 'Follow-up visit reminder' : '随访提醒'),
    body: (c) =>
      c.en
        ? `${who(c) ? `Dear ${who(c)}, ` : ''}your ${step(c)} is due by ${s(c.v.dueDate)}. The hospital will contact you; please keep your phone on.`
        : `${who(c) ? `${who(c)}您好，` : '您好，'}您的${step(c)}请于 ${s(c.v.dueDate)} 前完成，医院将与您联系，请保持电话畅通。`,
  },
  case_decided: {
    title: (c) => (c.en ? `Case closed: ${s(c.v.caseNo)}` : `个案已办结：${s(c.v.caseNo)}`),
    body: (c) => {
      const o = OUTCOMES[s(c.v.outcome)];
      const outcome = o ? o[c.en ? 'en' : 'zh'] : s(c.v.outcome);
      return c.en
        ? `Case ${s(c.v.caseNo)}${enWho(c)} is closed: ${outcome}.${link(c)}`
        : `个案 ${s(c.v.caseNo)}${zhWho(c)}已办结：${outcome}。${link(c)}`;
    },
  },
  daily_digest: {
    title: (c) => (c.en ? `Daily summary ${s(c.v.date)}` : `每日待办 ${s(c.v.date)}`),
    body: (c) => {
      const sections: [string, string, DigestItem[]][] = [
        ['今日到期', 'Due today', (c.v.dueToday as DigestItem[]) ?? []],
        ['已超期', 'Overdue', (c.v.overdue as DigestItem[]) ?? []],
        ['新分派', 'Newly assigned', (c.v.newlyAssigned as DigestItem[]) ?? []],
      ];
      const lines: string[] = [];
      for (const [zh, en, items] of sections) {
        lines.push(c.en ? `${en}: ${items.length}` : `${zh}：${items.length} 件`);
        for (const it of items.slice(0, 20)) {
          const due = it.dueDate ? (c.en ? ` (due ${it.dueDate})` : `（${it.dueDate} 到期）`) : '';
          const url = c.priv && it.link ? ` ${it.link}` : '';
          lines.push(`  · ${it.caseNo} ${stepLabel(it.step, c.en)}${due}${url}`);
        }
        if (items.length > 20) lines.push(c.en ? `  … and ${items.length - 20} more` : `  … 另有 ${items.length - 20} 件`);
      }
      return lines.join('\n');
    },
  },
};

export function render(type: DeliveryType, vars: Vars, localeOrOpts: string | RenderOptions = {}): Rendered {
  const opts = typeof localeOrOpts === 'string' ? { locale: localeOrOpts } : localeOrOpts;
  const t = TEMPLATES[type];
  if (!t) throw new Error(`no template for notification type ${type}`);
  const c: Ctx = { v: vars, en: (opts.locale ?? 'zh-CN').startsWith('en'), priv: opts.private ?? true };
  return { title: t.title(c), body: t.body(c) };
}
