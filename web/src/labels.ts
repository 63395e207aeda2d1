/** Bilingual labels of the domain's codes (roles, steps, events…); unknown codes show as themselves. */
import { stepLabel as stepName } from '../../workflows/contracts/step-labels';
import type { Lang } from './i18n';

type Pair = [zh: string, en: string];
const table = (t: Record<string, Pair>) => (lang: Lang, code: string | null | undefined): string => {
  if (code === null || code === undefined || code === '') return '—';
  const p = t[code];
  return p ? (lang === 'en' ? p[1] : p[0]) : code;
};

export const ROLES = ['village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'partner_staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleLabel = table({
  village_caseworker: ['村专职委员', 'Village caseworker'],
  township_officer: ['乡镇残联干部', 'Township officer'],
  county_officer: ['县残联干部', 'County officer'],
  civil_affairs_officer: ['民政干部', 'Civil affairs officer'],
  manager: ['监管负责人', 'Manager'],
  partner_staff: ['合作机构人员', 'Partner staff'],
  admin: ['系统管理员', 'Administrator'],
});

/** Steps and case states: the platform's one table (also used by messages and why-stuck lines). */
export const stepLabel = (lang: Lang, code: string | null | undefined): string => {
  if (code === null || code === undefined || code === '') return '—';
  const label = stepName(code, lang === 'en');
  return lang === 'en' ? label.charAt(0).toUpperCase() + label.slice(1) : label;
};
export const CATARACT_STEPS = ['screening', 'hospital_choice', 'pre_op_check', 'township_verify', 'county_approval', 'surgery', 'settlement', 'followup_day1', 'followup_phone', 'followup_2w', 'followup_3m', 'confirmation'];

export const waitingLabel = table({
  staff: ['工作人员办理', 'staff'],
  partner: ['合作机构办理', 'the partner institution'],
  resident: ['服务对象', 'the person'],
  timer: ['到期时间（自动）', 'a date (automatic)'],
  none: ['无', 'nothing'],
});

export const programmeLabel = table({
  cataract: ['白内障复明', 'Cataract surgery'],
  child_rehab: ['0–6岁儿童康复救助', 'Child rehabilitation 0–6'],
  training: ['培训就业', 'Training and placement'],
});

export const outcomeLabel = table({
  completed: ['已完成', 'completed'],
  not_suitable: ['筛查不适合', 'not suitable'],
  contraindicated: ['有手术禁忌', 'contraindicated'],
  rejected: ['未获批准', 'rejected'],
  withdrawn: ['已撤回', 'withdrawn'],
});

export const eventLabel = table({
  case_opened: ['个案登记', 'Case registered'],
  waiting_for_campaign: ['等待复明行动开始筛查', 'Waiting for the campaign’s screening'],
  task_opened: ['任务生成', 'Task opened'],
  task_claimed: ['任务认领', 'Task claimed'],
  task_reassigned: ['重新分派', 'Reassigned'],
  task_decided: ['审批决定', 'Decision'],
  task_submitted: ['提交记录', 'Record submitted'],
  task_reminded: ['到期提醒', 'Reminder sent'],
  task_escalated: ['逾期上报', 'Overdue: escalated'],
  task_cancelled: ['任务取消', 'Task cancelled'],
  hospital_refused: ['医院未接收', 'Hospital refused'],
  hospital_assigned: ['确定定点医院', 'Hospital assigned'],
  referral_issued: ['出具转介单', 'Referral issued'],
  case_closed: ['结案', 'Case closed'],
  // child rehabilitation and training (workflows/programs/*/workflow.ts)
  year_budget: ['年度核定金额', 'Approved amounts for the year'],
  year_started: ['救助年度开始', 'Service year started'],
  year_done: ['救助年度结束', 'Service year ended'],
  year_closed: ['转入下一年度', 'Carried into the next year'],
  placed: ['已安置', 'Placed'],
  waitlisted: ['进入候补', 'Waitlisted'],
  place_freed: ['名额空出', 'A place freed'],
  place_offered: ['名额转给候补', 'Place offered to the waitlist'],
  institution_refused: ['机构未接收', 'Institution refused'],
  institution_not_approved: ['未批准更换机构', 'Institution not approved'],
  institution_switch_requested: ['申请更换机构', 'Institution switch requested'],
  switch_approved: ['同意更换机构', 'Switch approved'],
  agreement_ended: ['机构协议结束', 'Stay ended'],
  no_training_time_left: ['本年度无剩余训练时间', 'No training time left this year'],
  period_assessed: ['本期评估完成', 'Period assessed'],
  bill_refused: ['费用超出核定金额', 'Bill over the approved amount'],
  reimbursement_assessed: ['报销金额核定', 'Reimbursement assessed'],
  settlement_refused: ['结算未通过', 'Settlement refused'],
  payment_recorded: ['已记录付款', 'Payment recorded'],
  renewal_approved: ['续期获批', 'Renewal approved'],
  enrolled: ['已入班', 'Enrolled'],
  admitted_from_waitlist: ['候补转正', 'Admitted from the waitlist'],
  hours_extended: ['补课课时', 'Make-up hours'],
  training_completed: ['培训完成', 'Training completed'],
  certificate_issued: ['取得职业技能证书', 'Certificate issued'],
  offer_made: ['推荐岗位', 'Offer made'],
  self_employment_supported: ['扶持自主创业', 'Self-employment supported'],
  offer_unavailable: ['岗位不可用', 'Offer unavailable'],
  offer_accepted: ['本人接受岗位', 'Offer accepted'],
  offer_refused: ['本人不接受岗位', 'Offer refused'],
  contract_not_signed: ['未签订劳动合同', 'Contract not signed'],
  job_lost: ['离岗', 'Job lost'],
});

export const decisionLabel = table({
  approve: ['同意', 'approved'],
  reject: ['不同意', 'rejected'],
  return: ['退回补充', 'returned for information'],
  submit: ['已提交', 'submitted'],
  claim: ['认领', 'claimed'],
  reassign: ['重新分派', 'reassigned'],
});

export const hardshipLabel = table({
  dibao: ['低保', 'Minimum living allowance (dibao)'],
  tekun: ['特困', 'Extreme hardship (tekun)'],
  jiandang: ['建档立卡', 'Registered poor household'],
  low_income: ['低收入', 'Low income'],
  near_dibao: ['低保边缘', 'Near dibao'],
});
export const HARDSHIP = ['dibao', 'tekun', 'jiandang', 'low_income', 'near_dibao'];

export const PARTNER_KINDS = ['hospital', 'rehab_institution', 'training_institution', 'supplier', 'employer'];
export const partnerKindLabel = table({
  hospital: ['医院', 'Hospital'],
  rehab_institution: ['康复机构', 'Rehab institution'],
  training_institution: ['培训机构', 'Training institution'],
  supplier: ['辅具供应商', 'Device supplier'],
  employer: ['用人单位', 'Employer'],
});

export const levelLabel = table({
  city: ['市', 'City'],
  county: ['县/区', 'County'],
  township: ['乡镇/街道', 'Township'],
  village: ['村/社区', 'Village'],
});

export const disabilityLabel = table({
  '1': ['视力', 'Vision'],
  '2': ['听力', 'Hearing'],
  '3': ['言语', 'Speech'],
  '4': ['肢体', 'Physical (limb)'],
  '5': ['智力', 'Intellectual'],
  '6': ['精神', 'Psychiatric'],
  '7': ['多重', 'Multiple'],
});

export const notificationTypeLabel = table({
  task_assigned: ['新任务', 'New task'],
  task_due_soon: ['即将到期', 'Due soon'],
  task_overdue: ['已逾期', 'Overdue'],
  task_escalated: ['逾期上报', 'Escalated'],
  followup_due: ['随访到期提醒', 'Follow-up due'],
  visit_reminder: ['随访提醒（服务对象）', 'Visit reminder (to the person)'],
  case_decided: ['个案办结', 'Case closed'],
  daily_digest: ['每日待办', 'Daily summary'],
});

export const channelLabel = table({
  in_app: ['站内消息', 'In-app'],
  email: ['电子邮件', 'E-mail'],
  sms: ['短信', 'SMS'],
  wecom: ['企业微信群', 'WeCom group'],
  dingtalk: ['钉钉群', 'DingTalk group'],
});

export const deliveryStatusLabel = table({
  queued: ['排队中', 'Queued'],
  sending: ['发送中', 'Sending'],
  sent: ['已送达', 'Delivered'],
  dead: ['发送失败（待管理员处理）', 'Failed (with the admins)'],
  skipped: ['未发送', 'Not sent'],
});

/** The workflow's follow-up notes ("visit", "phone", "window: day 3–5 (phone)") in words. */
export function followUpNote(lang: Lang, note: string | null | undefined): string {
  if (!note) return '';
  const mode = (m: string) => (m === 'visit' ? (lang === 'en' ? 'home visit' : '上门随访') : m === 'phone' ? (lang === 'en' ? 'phone call' : '电话随访') : m);
  const w = /^window: day (\d+)[–-](\d+) \((\w+)\)$/.exec(note);
  if (w) return lang === 'en' ? `${mode(w[3])}, day ${w[1]}–${w[2]}` : `${mode(w[3])}，术后第${w[1]}–${w[2]}天`;
  if (note === 'visit' || note === 'phone') return mode(note);
  return note;
}
