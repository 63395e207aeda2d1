/**
 * Chinese names of steps, roles and "waiting on" for the why-stuck lines and exports. A programme
 * that is not listed shows its step ids; add a programme's steps with one line each below.
 */
export const STEP_LABELS: Record<string, string> = {
  registered: '登记',
  awaiting_campaign: '等待活动筛查',
  // cataract 白内障复明
  screening: '初筛',
  hospital_choice: '选择医院',
  pre_op_check: '复筛与术前检查',
  township_verify: '乡镇核实',
  county_approval: '县级审批',
  surgery: '手术',
  post_op: '术后阶段',
  settlement: '结算',
  followup_day1: '术后第1天随访',
  followup_phone: '术后电话随访',
  followup_2w: '术后两周随访',
  followup_3m: '术后三个月随访',
  confirmation: '确认归档',
};

export const ROLE_LABELS: Record<string, string> = {
  village_caseworker: '村专职委员',
  township_officer: '乡镇残联',
  county_officer: '县残联',
  civil_affairs_officer: '民政',
  manager: '负责人',
  partner_staff: '合作机构',
  admin: '系统管理员',
};

export const WAITING_LABELS: Record<string, { zh: string; en: string }> = {
  staff: { zh: '工作人员', en: 'staff' },
  partner: { zh: '合作机构', en: 'partner' },
  resident: { zh: '居民/申请人', en: 'resident' },
  timer: { zh: '时间节点', en: 'a date' },
  none: { zh: '无', en: 'nothing' },
};

export function stepLabel(step: string): string {
  if (STEP_LABELS[step]) return STEP_LABELS[step];
  const sup = /^(.*)_supplement$/.exec(step);
  if (sup) return `${stepLabel(sup[1])}（补充材料）`;
  return step;
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
