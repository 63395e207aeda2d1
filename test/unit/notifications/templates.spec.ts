import { render, stepLabel } from '../../../src/notifications/templates';
import { DELIVERY_TYPES } from '../../../src/notifications/types';
import { stepLabel as monitorStepLabel } from '../../../src/monitoring/labels';
import { PROGRAMME_DEFAULTS, STEP_LABELS } from '../../../workflows/contracts';

const vars = { caseNo: 'CAT-2026-000042', step: 'county_approval', dueDate: '2026-11-25', personName: '张小三', outcome: 'completed', link: 'https://dpf.example.cn/cases/abc' };

test('every type has a zh-CN and an English template with its variables', () => {
  for (const type of DELIVERY_TYPES) {
    const v = type === 'daily_digest' ? { date: '2026-11-23', dueToday: [{ caseNo: 'CAT-1', step: 'screening', dueDate: '2026-11-23', link: '/cases/1' }], overdue: [], newlyAssigned: [] } : vars;
    const zh = render(type, v, { locale: 'zh-CN' });
    const en = render(type, v, { locale: 'en' });
    expect(zh.title).toMatch(/[\u4e00-\u9fff]/);
    expect(en.title).not.toMatch(/[\u4e00-\u9fff]/);
    expect(zh.body.length).toBeGreaterThan(5);
    expect(en.body).not.toMatch(/undefined/);
    if (type !== 'visit_reminder' && type !== 'daily_digest') {
      expect(zh.title).toContain('CAT-2026-000042');
      expect(en.body).toContain('CAT-2026-000042');
    }
  }
});

test('the texts of the types', () => {
  expect(render('task_assigned', vars).body).toBe('个案 CAT-2026-000042（张小三）的「县残联审批」已分派给您，请于 2026-11-25 前办理。\n查看：https://dpf.example.cn/cases/abc');
  expect(render('task_due_soon', vars, 'en').title).toBe('Due soon: CAT-2026-000042');
  expect(render('task_overdue', vars).title).toBe('已超期：CAT-2026-000042');
  expect(render('task_escalated', vars, 'en').body).toContain('escalated to you');
  expect(render('followup_due', { ...vars, step: 'followup_2w' }).body).toContain('术后两周随访');
  expect(render('case_decided', vars).body).toContain('已办结：已完成');
  expect(render('visit_reminder', { ...vars, step: 'followup_3m' }, { private: false }).body).toBe('张*三您好，您的术后三个月随访请于 2026-11-25 前完成，医院将与您联系，请保持电话畅通。');
});

test('channels others may read get the masked name and no link', () => {
  const sms = render('task_escalated', vars, { private: false });
  expect(sms.body).toContain('张*三');
  expect(sms.body).not.toContain('张小三');
  expect(sms.body).not.toContain('https://');
  const inApp = render('task_escalated', vars, { private: true });
  expect(inApp.body).toContain('张小三');
  expect(inApp.body).toContain('https://dpf.example.cn/cases/abc');
});

test('digest lists what is due today, overdue and new, with links where private', () => {
  const v = {
    date: '2026-10-10',
    dueToday: [{ caseNo: 'CAT-2026-000001', step: 'screening', dueDate: '2026-10-10', link: '/cases/1' }],
    overdue: [{ caseNo: 'CAT-2026-000002', step: 'surgery', dueDate: '2026-09-30', link: '/cases/2' }],
    newlyAssigned: [],
  };
  const d = render('daily_digest', v);
  expect(d.title).toBe('每日待办 2026-10-10');
  expect(d.body).toContain('今日到期：1 件');
  expect(d.body).toContain('CAT-2026-000002 手术（2026-09-30 到期） /cases/2');
  expect(d.body).toContain('新分派：0 件');
  expect(render('daily_digest', v, 'en').body).toContain('Overdue: 1');
});

test('step labels, including supplements, fall back to the id', () => {
  expect(stepLabel('township_verify_supplement')).toBe('乡镇审核（补充材料）');
  expect(stepLabel('some_new_step', true)).toBe('some_new_step');
});

test('every step of every programme has a name in both languages, the same in messages and why-stuck lines', () => {
  for (const [programme, d] of Object.entries(PROGRAMME_DEFAULTS)) {
    for (const step of [...Object.keys(d.steps), ...d.followUps.map((f) => f.step)]) {
      expect([programme, step, Boolean(STEP_LABELS[step]?.zh && STEP_LABELS[step]?.en)]).toEqual([programme, step, true]);
      expect(monitorStepLabel(step)).toBe(stepLabel(step));
    }
  }
  expect(stepLabel('intake_assessment')).toBe('入训评估');
  expect(stepLabel('retention_12m', true)).toBe('12-month retention visit');
});
