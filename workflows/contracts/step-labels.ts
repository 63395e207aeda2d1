/**
 * The name of every step (and case state) of every programme, zh-CN and English: one table for the
 * messages (src/notifications/templates.ts), the why-stuck lines and exports (src/monitoring) and the
 * web app (web/src/labels.ts). Pure data, so any part of the platform may import it. A supplement
 * step ("<step>_supplement", the return-for-information loop) is named after its step.
 */
export const STEP_LABELS: Record<string, { zh: string; en: string }> = {
  registered: { zh: '登记', en: 'registration' },
  closed: { zh: '已结案', en: 'closed' },
  // cataract 白内障复明
  awaiting_campaign: { zh: '等待活动筛查', en: 'waiting for the campaign' },
  screening: { zh: '初筛', en: 'first screening' },
  hospital_choice: { zh: '选择定点医院', en: 'hospital choice' },
  pre_op_check: { zh: '复筛与术前检查', en: 're-screening and pre-op checks' },
  township_verify: { zh: '乡镇审核', en: 'township review' },
  county_approval: { zh: '县残联审批', en: 'county approval' },
  surgery: { zh: '手术', en: 'surgery' },
  post_op: { zh: '术后结算与随访', en: 'settlement and follow-ups' },
  settlement: { zh: '费用结算', en: 'settlement' },
  followup_day1: { zh: '术后第1天随访', en: 'day-1 follow-up' },
  followup_phone: { zh: '术后3–5天电话随访', en: 'phone follow-up (day 3–5)' },
  followup_2w: { zh: '术后两周随访', en: '2-week follow-up' },
  followup_3m: { zh: '术后三个月随访', en: '3-month follow-up' },
  confirmation: { zh: '结果确认', en: 'confirmation' },
  // child rehabilitation 0–6 残疾儿童康复救助
  county_review: { zh: '县残联审核', en: 'county review' },
  placement: { zh: '安排康复机构', en: 'placement' },
  institution_choice: { zh: '选择定点康复机构', en: 'institution choice' },
  waitlisted: { zh: '候补等待名额', en: 'waiting for a place' },
  intake_assessment: { zh: '入训评估', en: 'intake assessment' },
  progress: { zh: '月度训练记录', en: 'monthly progress record' },
  end_assessment: { zh: '期末评估', en: 'end-of-period assessment' },
  bill: { zh: '机构费用申报', en: 'institution bill' },
  settlement_check: { zh: '县残联结算审核', en: 'bill check' },
  reimbursement_claim: { zh: '家庭垫付报销', en: 'family reimbursement claim' },
  period_done: { zh: '本期训练结束', en: 'training period over' },
  renewal: { zh: '下一年度续期', en: 'yearly renewal' },
  year_end: { zh: '年度结束', en: 'end of the year' },
  next_year: { zh: '等待下一年度', en: 'waiting for next year' },
  // vocational training and placement 培训就业
  enrolment: { zh: '报名审核', en: 'enrolment approval' },
  waitlist: { zh: '候补培训名额', en: 'course waitlist' },
  awaiting_course: { zh: '等待开班', en: 'waiting for the course' },
  training: { zh: '训练/培训中', en: 'in training' },
  attendance: { zh: '考勤记录', en: 'attendance record' },
  attendance_extension: { zh: '补课课时', en: 'make-up hours' },
  assessment: { zh: '结业考核与证书', en: 'assessment and certificate' },
  job_match: { zh: '就业推荐', en: 'job match' },
  offer_response: { zh: '本人答复', en: 'answer to the offer' },
  contract: { zh: '签订劳动合同', en: 'employment contract' },
  retention: { zh: '稳岗回访', en: 'retention visit' },
  retention_3m: { zh: '就业3个月回访', en: '3-month retention visit' },
  retention_6m: { zh: '就业6个月回访', en: '6-month retention visit' },
  retention_12m: { zh: '就业12个月回访', en: '12-month retention visit' },
};

/** The step's name in the language; a supplement step is "<name>（补充材料）"; unknown ids show as themselves. */
export function stepLabel(step: unknown, en = false): string {
  const s = String(step ?? '');
  const supplement = s.endsWith('_supplement');
  const base = supplement ? s.slice(0, -'_supplement'.length) : s;
  const label = STEP_LABELS[base] ? STEP_LABELS[base][en ? 'en' : 'zh'] : base;
  return supplement ? (en ? `${label} (more information)` : `${label}（补充材料）`) : label;
}
