/**
 * The name of every step of every programme, zh-CN and English, as people see it in messages
 * (src/notifications/templates.ts) and in why-stuck lines and exports (src/monitoring). Pure data, so any part of the platform may import it.
 * A supplement step ("<step>_supplement", the return-for-information loop) is named after its step.
 */
export const STEP_LABELS: Record<string, { zh: string; en: string }> = {
  registered: { zh: '登记', en: 'registration' },
  // cataract
  awaiting_campaign: { zh: '等待活动筛查', en: 'waiting for the campaign' },
  screening: { zh: '初筛', en: 'first screening' },
  hospital_choice: { zh: '选择定点医院', en: 'hospital choice' },
  pre_op_check: { zh: '复筛与术前检查', en: 're-screening and pre-op checks' },
  township_verify: { zh: '乡镇审核', en: 'township review' },
  county_approval: { zh: '县级审批', en: 'county approval' },
  surgery: { zh: '手术', en: 'surgery' },
  post_op: { zh: '术后阶段', en: 'after surgery' },
  settlement: { zh: '费用结算', en: 'settlement' },
  followup_day1: { zh: '术后第1天随访', en: 'day-1 follow-up' },
  followup_phone: { zh: '术后3–5天电话随访', en: 'phone follow-up (day 3–5)' },
  followup_2w: { zh: '术后两周随访', en: '2-week follow-up' },
  followup_3m: { zh: '术后三个月随访', en: '3-month follow-up' },
  confirmation: { zh: '结果确认', en: 'confirmation' },
  // child rehabilitation 0–6
  county_review: { zh: '县残联审核', en: 'county review' },
  institution_choice: { zh: '选择定点康复机构', en: 'institution choice' },
  waitlisted: { zh: '机构候补', en: 'institution waitlist' },
  intake_assessment: { zh: '入训评估', en: 'intake assessment' },
  progress: { zh: '月度训练记录', en: 'monthly progress record' },
  end_assessment: { zh: '期末评估', en: 'end-of-period assessment' },
  bill: { zh: '机构费用申报', en: 'institution bill' },
  settlement_check: { zh: '费用审核', en: 'bill check' },
  reimbursement_claim: { zh: '异地康复费用报销', en: 'out-of-area reimbursement claim' },
  period_done: { zh: '本期训练结束', en: 'training period over' },
  renewal: { zh: '年度续期', en: 'yearly renewal' },
  year_end: { zh: '年度结束', en: 'end of the year' },
  next_year: { zh: '等待下一年度', en: 'waiting for next year' },
  // vocational training and placement
  enrolment: { zh: '报名审核', en: 'enrolment approval' },
  waitlist: { zh: '课程候补', en: 'course waitlist' },
  training: { zh: '培训', en: 'training' },
  attendance: { zh: '考勤记录', en: 'attendance record' },
  attendance_extension: { zh: '延长课时', en: 'extra hours' },
  assessment: { zh: '结业考核与证书', en: 'assessment and certificate' },
  placement: { zh: '就业安置', en: 'placement' },
  job_match: { zh: '岗位匹配', en: 'job match' },
  offer_response: { zh: '岗位应答', en: 'answer to the offer' },
  contract: { zh: '劳动合同', en: 'employment contract' },
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
