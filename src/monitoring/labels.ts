/**
 * Chinese names of roles and "waiting on" for the why-stuck lines and exports; step names come from
 * the one table of every programme's steps (workflows/contracts/step-labels.ts).
 */
import { stepLabel as label } from '../../workflows/contracts/step-labels';

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
  return label(step);
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
