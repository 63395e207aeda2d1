/**
 * The record forms of the child-rehabilitation and training steps, one per step id of their step
 * tables (workflows/programs/child-rehab/steps.ts, workflows/programs/training/steps.ts). The field
 * rules mirror each task's validate() in the workflow so that an obviously incomplete record is
 * caught here; the workflow still decides, and its refusal is shown as it comes back.
 */
import { Alert, Form, Input, InputNumber, Radio, Select, Space, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import { useEffect, useState, type ReactNode } from 'react';
import { api, qs } from '../api';
import { addDays, shanghaiToday } from '../format';
import { useI18n } from '../i18n';
import {
  CERTIFICATE_LEVELS,
  certificateLevelLabel,
  PLACEMENT_CHANNELS,
  placementChannelLabel,
  REHAB_CATEGORIES,
  rehabCategoryLabel,
  rehabItemLabel,
  type RehabItem,
} from '../programmes';
import type { Partner, Task } from '../types';
import { ErrorAlert } from './common';
import { PlacesTag, YesNo } from './fields';

const REHAB_ITEMS: RehabItem[] = ['training', 'hearing_aid', 'cochlear_implant', 'cochlear_surgery', 'limb_surgery', 'low_vision_aid'];
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const CERT_NO = /^[A-Za-z0-9-]{4,40}$/;
const LICENCE = /^[A-Za-z0-9-]{6,40}$/;
const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

type P = (zh: string, en: string) => string;


/** The steps these forms serve. */
export const PROGRAMME_RECORD_STEPS: Record<string, string[]> = {
  child_rehab: ['intake_assessment', 'progress', 'end_assessment', 'bill', 'reimbursement_claim', 'institution_choice', 'renewal'],
  training: ['attendance', 'attendance_extension', 'assessment', 'job_match', 'offer_response', 'contract', 'retention_3m', 'retention_6m', 'retention_12m'],
};
export const hasProgrammeRecord = (task: Pick<Task, 'programme' | 'step'>) => (PROGRAMME_RECORD_STEPS[task.programme] ?? []).includes(task.step);

/** The most months the intake may plan: the workflow writes "≤ N months" in the task note. */
export const plannedMonthsMax = (note: string | null) => {
  const m = /≤\s*(\d+)/.exec(note ?? '');
  return m ? Number(m[1]) : 10;
};
/** The renewal note says when a new diagnosis is needed. */
const renewalNeedsDiagnosis = (note: string | null) => /新的诊断|new diagnosis/.test(note ?? '');

function PartnerPick({ name, label, kind, service, required, p }: { name: string; label: string; kind: string; service?: string; required: boolean; p: P }) {
  const { t } = useI18n();
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: Partner[] }>(`/partners${qs({ kind, status: 'active', service })}`)
      .then((r) => setPartners(r.items))
      .catch(setError);
  }, [kind, service]);
  if (error) return <ErrorAlert error={error} />;
  if (!partners) return <span role="status">{t('loading')}</span>;
  return (
    <Form.Item name={name} label={label} rules={required ? [{ required: true, message: `${t('required')}：${label}` }] : []}>
      {partners.length === 0 ? (
        <Alert type="warning" showIcon title={p('没有可选的合作机构', 'No partner to choose from')} />
      ) : (
        <Radio.Group aria-label={label}>
          <Space orientation="vertical">
            {partners.map((x) => (
              <Radio key={x.id} value={x.id}>
                {x.name}{' '}
                <PlacesTag partner={x} fullText={p('名额已满', 'full')} />
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      )}
    </Form.Item>
  );
}

interface Position {
  id: string;
  employerId: string;
  employerName: string;
  title: string;
  openings: number;
  filled: number;
  monthlyPay: number | null;
  status: string;
}

function PositionPick({ employerId, p }: { employerId: string | undefined; p: P }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Position[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setItems(null);
    if (!employerId) return;
    api<{ items: Position[] }>(`/training/positions${qs({ employerId, status: 'open' })}`)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [employerId]);
  const label = `${p('岗位', 'Position')}（${t('optional')}）`;
  if (!employerId) return null;
  if (error) return <ErrorAlert error={error} />;
  return (
    <Form.Item name="positionId" label={label}>
      <Select
        aria-label={label}
        allowClear
        loading={!items}
        options={(items ?? []).map((x) => ({ value: x.id, label: `${x.title} · ${x.filled}/${x.openings}${x.monthlyPay ? ` · ${x.monthlyPay} ${p('元/月', 'yuan/month')}` : ''}` }))}
      />
    </Form.Item>
  );
}

export interface ProgrammeRecord {
  fields: ReactNode;
  toData(v: Record<string, any>): Record<string, unknown>;
}

/**
 * The fields and the record of a child-rehabilitation or training step. `form` is the task's form
 * (for the fields that depend on other fields); `max` values come from the settings in force.
 */
export function useProgrammeRecord(task: Task, form: FormInstance): ProgrammeRecord | null {
  const { t, lang, pick } = useI18n();
  const p: P = (zh, en) => pick(zh, en);
  const today = shanghaiToday();
  const req = (label: string): Rule[] => [{ required: true, message: `${t('required')}：${label}` }];
  const notFuture = (label: string): Rule[] => [
    ...req(label),
    { validator: (_, v) => (!v || (ISO_DAY.test(v) && v <= today) ? Promise.resolve() : Promise.reject(new Error(p(`${label}不能晚于今天`, `${label} cannot be after today`)))) },
  ];
  const startRule = (label: string): Rule[] => [
    ...req(label),
    { validator: (_, v) => (!v || v <= addDays(today, 60) ? Promise.resolve() : Promise.reject(new Error(p('开始日期最多在 60 天之后', 'at most 60 days ahead')))) },
  ];
  const money = (label: string, opts: { required?: boolean; positive?: boolean; max?: number } = {}): Rule[] => [
    ...(opts.required ? req(label) : []),
    {
      validator: (_, v) => {
        const n = num(v);
        if (n === undefined) return Promise.resolve();
        if (!Number.isFinite(n) || n < 0 || (opts.positive && n <= 0)) return Promise.reject(new Error(p(`${label}须大于 0`, `${label} must be more than 0`)));
        if (opts.max !== undefined && n > opts.max) return Promise.reject(new Error(p(`${label}最多 ${opts.max} 元`, `${label}: at most ${opts.max} yuan`)));
        return Promise.resolve();
      },
    },
  ];
  const intRange = (label: string, min: number, max: number, required = true): Rule[] => [
    ...(required ? req(label) : []),
    {
      validator: (_, v) => {
        const n = num(v);
        if (n === undefined) return Promise.resolve();
        return Number.isInteger(n) && n >= min && n <= max ? Promise.resolve() : Promise.reject(new Error(p(`${label}须为 ${min}–${max} 的整数`, `${label} must be a whole number from ${min} to ${max}`)));
      },
    },
  ];
  const w = (name: string) => Form.useWatch(name, form);
  const yes = w('yes');
  const channel = w('channel');
  const employerId = w('employerId');
  const passed = w('passed');
  const withCert = w('withCertificate');
  const renewDiag = w('renewDiagnosis');
  const dropOut = w('dropOut');
  const note = (label = p('备注', 'Note')) => (
    <Form.Item name="note" label={`${label}（${t('optional')}）`}>
      <Input.TextArea rows={2} maxLength={500} />
    </Form.Item>
  );
  const withNote = (d: Record<string, unknown>, v: Record<string, any>) => (text(v.note) ? { ...d, note: text(v.note) } : d);
  const itemSelect = (label: string) => (
    <Form.Item name="item" label={label} initialValue="training" rules={req(label)}>
      <Select aria-label={label} options={REHAB_ITEMS.map((i) => ({ value: i, label: rehabItemLabel(lang, i) }))} />
    </Form.Item>
  );

  if (task.programme === 'child_rehab') {
    switch (task.step) {
      case 'intake_assessment': {
        const max = plannedMonthsMax(task.note);
        return {
          fields: (
            <>
              <Form.Item name="assessedOn" label={p('评估日期', 'Assessed on')} initialValue={today} rules={notFuture(p('评估日期', 'Assessed on'))}>
                <Input type="date" max={today} />
              </Form.Item>
              <Form.Item name="goals" label={p('康复训练目标', 'Training goals')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('康复训练目标', 'Training goals')}` }]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              <Form.Item
                name="plannedMonths"
                label={p('计划训练月数', 'Planned months')}
                extra={p(`本年度最多 ${max} 个月`, `at most ${max} months this year`)}
                rules={intRange(p('计划训练月数', 'Planned months'), 1, max)}
              >
                <InputNumber min={1} max={max} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              {note(p('评估所见', 'Findings'))}
            </>
          ),
          toData: (v) => withNote({ assessedOn: v.assessedOn, goals: text(v.goals), plannedMonths: num(v.plannedMonths) }, v),
        };
      }
      case 'progress':
        return {
          fields: (
            <>
              <Form.Item name="attendanceDays" label={p('本月出勤天数', 'Days attended this month')} rules={intRange(p('本月出勤天数', 'Days attended this month'), 0, 31)}>
                <InputNumber min={0} max={31} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="goals" label={p('训练目标进展', 'Progress on the goals')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('训练目标进展', 'Progress on the goals')}` }]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              {note()}
            </>
          ),
          toData: (v) => withNote({ attendanceDays: num(v.attendanceDays), goals: text(v.goals) }, v),
        };
      case 'end_assessment':
        return {
          fields: (
            <>
              <Form.Item name="assessedOn" label={p('评估日期', 'Assessed on')} initialValue={today} rules={notFuture(p('评估日期', 'Assessed on'))}>
                <Input type="date" max={today} />
              </Form.Item>
              <Form.Item name="effective" label={p('康复效果', 'Outcome')} rules={req(p('康复效果', 'Outcome'))}>
                <YesNo label={p('康复效果', 'Outcome')} yes={p('有效', 'effective')} no={p('无效', 'not effective')} />
              </Form.Item>
              {note(p('评估说明', 'Assessment notes'))}
            </>
          ),
          toData: (v) => withNote({ assessedOn: v.assessedOn, effective: v.effective }, v),
        };
      case 'bill':
        return {
          fields: (
            <>
              {itemSelect(p('费用项目', 'Item'))}
              <Form.Item name="amount" label={p('金额（元）', 'Amount (yuan)')} rules={money(p('金额', 'Amount'), { required: true, positive: true })}>
                <InputNumber min={0.01} step={100} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="invoiceNo" label={`${p('发票号', 'Invoice number')}（${t('optional')}）`}>
                <Input maxLength={40} className="mono" />
              </Form.Item>
            </>
          ),
          toData: (v) => ({ item: v.item, amount: num(v.amount), ...(text(v.invoiceNo) ? { invoiceNo: text(v.invoiceNo) } : {}) }),
        };
      case 'reimbursement_claim':
        return {
          fields: (
            <>
              {itemSelect(p('费用项目', 'Item'))}
              <Form.Item name="amountPaid" label={p('家庭已支付（元）', 'Paid by the family (yuan)')} rules={money(p('家庭已支付', 'Paid by the family'), { required: true, positive: true })}>
                <InputNumber min={0.01} step={100} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="receiptNo" label={p('收据号', 'Receipt number')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('收据号', 'Receipt number')}` }]}>
                <Input maxLength={40} className="mono" />
              </Form.Item>
            </>
          ),
          toData: (v) => ({ item: v.item, amountPaid: num(v.amountPaid), receiptNo: text(v.receiptNo) }),
        };
      case 'institution_choice':
        return {
          fields: <PartnerPick name="institutionId" label={p('定点康复机构', 'Designated rehabilitation institution')} kind="rehab_institution" required p={p} />,
          toData: (v) => ({ institutionId: v.institutionId }),
        };
      case 'renewal': {
        const needDiag = renewalNeedsDiagnosis(task.note);
        return {
          fields: (
            <>
              <Form.Item name="yes" label={p('下一年度是否继续康复', 'Continue next year')} rules={req(p('下一年度是否继续康复', 'Continue next year'))}>
                <YesNo label={p('下一年度是否继续康复', 'Continue next year')} />
              </Form.Item>
              {yes === false ? (
                <Form.Item name="reason" label={p('不再继续的原因', 'Why not')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('不再继续的原因', 'Why not')}` }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              ) : null}
              {yes === true ? (
                <>
                  {!needDiag ? (
                    <Form.Item name="renewDiagnosis" initialValue={false} label={p('新的诊断', 'New diagnosis')}>
                      <YesNo label={p('是否提供新的诊断', 'Give a new diagnosis')} />
                    </Form.Item>
                  ) : (
                    <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={p('现有诊断在下一年度前到期，须提供新的诊断', 'The current diagnosis expires before next year: a new one is needed')} />
                  )}
                  {needDiag || renewDiag ? (
                    <div className="form-grid">
                      <Form.Item name="diagHospital" label={p('诊断医院', 'Diagnosing hospital')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('诊断医院', 'Diagnosing hospital')}` }]}>
                        <Input maxLength={120} />
                      </Form.Item>
                      <Form.Item name="diagDate" label={p('诊断日期', 'Diagnosis date')} rules={notFuture(p('诊断日期', 'Diagnosis date'))}>
                        <Input type="date" max={today} />
                      </Form.Item>
                      <Form.Item name="diagCategory" label={p('诊断类别', 'Diagnosed category')} rules={req(p('诊断类别', 'Diagnosed category'))}>
                        <Select aria-label={p('诊断类别', 'Diagnosed category')} options={REHAB_CATEGORIES.map((c) => ({ value: c, label: rehabCategoryLabel(lang, c) }))} />
                      </Form.Item>
                    </div>
                  ) : null}
                </>
              ) : null}
            </>
          ),
          toData: (v) => {
            if (v.yes === false) return { continue: false, reason: text(v.reason) };
            const d: Record<string, unknown> = { continue: true };
            if (needDiag || v.renewDiagnosis) d.diagnosis = { hospital: text(v.diagHospital), date: v.diagDate, category: v.diagCategory };
            return d;
          },
        };
      }
      default:
        return null;
    }
  }

  if (task.programme === 'training') {
    switch (task.step) {
      case 'attendance':
      case 'attendance_extension':
        return {
          fields: (
            <>
              <Form.Item name="dropOut" label={p('是否退学', 'Dropped out')} initialValue={false} rules={req(p('是否退学', 'Dropped out'))}>
                <YesNo label={p('是否退学', 'Dropped out')} />
              </Form.Item>
              <Form.Item
                name="hours"
                label={task.step === 'attendance' ? p('本期出勤课时', 'Hours attended this period') : p('补课课时', 'Make-up hours')}
                extra={p('最多可记录课程总课时的 110%', 'at most the course hours plus 10 % in all')}
                rules={[
                  ...req(p('课时', 'Hours')),
                  { validator: (_, v) => (num(v) === undefined || num(v)! >= 0 ? Promise.resolve() : Promise.reject(new Error(p('课时不能为负数', 'hours cannot be negative')))) },
                ]}
              >
                <InputNumber min={0} step={0.5} style={{ width: '100%' }} />
              </Form.Item>
              {dropOut === true ? (
                <Form.Item name="reason" label={p('退学原因', 'Why they left')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('退学原因', 'Why they left')}` }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              ) : null}
            </>
          ),
          toData: (v) => ({ hours: num(v.hours), ...(v.dropOut ? { dropOut: true, reason: text(v.reason) } : {}) }),
        };
      case 'assessment':
        return {
          fields: (
            <>
              <Form.Item name="passed" label={p('考核结果', 'Result')} rules={req(p('考核结果', 'Result'))}>
                <YesNo label={p('考核结果', 'Result')} yes={p('合格', 'passed')} no={p('不合格', 'failed')} />
              </Form.Item>
              <Form.Item name="score" label={`${p('成绩（0–100）', 'Score (0–100)')}（${t('optional')}）`} rules={[{ validator: (_, v) => (num(v) === undefined || (num(v)! >= 0 && num(v)! <= 100) ? Promise.resolve() : Promise.reject(new Error(p('成绩须在 0–100 之间', 'score must be 0–100')))) }]}>
                <InputNumber min={0} max={100} style={{ width: '100%' }} />
              </Form.Item>
              {passed === true ? (
                <Form.Item name="withCertificate" label={p('是否取得职业技能证书', 'Skills certificate issued')} initialValue={false}>
                  <YesNo label={p('是否取得职业技能证书', 'Skills certificate issued')} />
                </Form.Item>
              ) : null}
              {passed === true && withCert === true ? (
                <Space wrap align="start">
                  <Form.Item
                    name="certNumber"
                    label={p('证书编号', 'Certificate number')}
                    rules={[...req(p('证书编号', 'Certificate number')), { pattern: CERT_NO, message: p('证书编号为 4–40 位字母、数字或 -', '4–40 letters, digits or -') }]}
                  >
                    <Input maxLength={40} className="mono" />
                  </Form.Item>
                  <Form.Item name="certLevel" label={p('证书等级', 'Certificate level')} rules={req(p('证书等级', 'Certificate level'))}>
                    <Select aria-label={p('证书等级', 'Certificate level')} style={{ minWidth: 200 }} options={CERTIFICATE_LEVELS.map((l) => ({ value: l, label: certificateLevelLabel(lang, l) }))} />
                  </Form.Item>
                </Space>
              ) : null}
            </>
          ),
          toData: (v) => ({
            passed: v.passed,
            ...(num(v.score) !== undefined ? { score: num(v.score) } : {}),
            ...(v.passed && v.withCertificate ? { certificate: { number: text(v.certNumber), level: v.certLevel } } : {}),
          }),
        };
      case 'job_match':
        return {
          fields: (
            <>
              <Form.Item name="channel" label={p('安置方式', 'Placement channel')} rules={req(p('安置方式', 'Placement channel'))}>
                <Radio.Group aria-label={p('安置方式', 'Placement channel')}>
                  <Space orientation="vertical">
                    {[...PLACEMENT_CHANNELS, 'none'].map((c) => (
                      <Radio key={c} value={c}>
                        {placementChannelLabel(lang, c)}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Form.Item>
              {channel === 'none' ? (
                <Form.Item name="reason" label={p('无法安置的原因', 'Why no placement is possible')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('原因', 'reason')}` }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              ) : null}
              {channel === 'quota_employer' ? (
                <>
                  <PartnerPick name="employerId" label={p('用人单位', 'Employer')} kind="employer" required p={p} />
                  <PositionPick employerId={employerId} p={p} />
                </>
              ) : null}
              {channel === 'public_welfare' ? (
                <Form.Item name="postName" label={p('公益性岗位名称', 'Public-welfare post')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('岗位名称', 'post')}` }, { max: 120 }]}>
                  <Input maxLength={120} />
                </Form.Item>
              ) : null}
              {channel === 'self_employment' ? (
                <>
                  <Form.Item name="businessName" label={p('经营项目/字号', 'Business name')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('经营项目', 'business')}` }, { max: 120 }]}>
                    <Input maxLength={120} />
                  </Form.Item>
                  <Form.Item
                    name="businessLicence"
                    label={p('营业执照号', 'Business licence')}
                    rules={[...req(p('营业执照号', 'Business licence')), { pattern: LICENCE, message: p('营业执照号为 6–40 位字母或数字', '6–40 letters or digits') }]}
                  >
                    <Input maxLength={40} className="mono" />
                  </Form.Item>
                  <Form.Item name="supportAmount" label={p('一次性扶持金额（元）', 'One-off support (yuan)')} rules={money(p('扶持金额', 'Support'), { required: true })}>
                    <InputNumber min={0} step={500} style={{ width: '100%' }} />
                  </Form.Item>
                </>
              ) : null}
              {channel === 'public_welfare' || channel === 'self_employment' ? (
                <Form.Item name="startDate" label={p('开始日期', 'Start date')} rules={startRule(p('开始日期', 'Start date'))}>
                  <Input type="date" max={addDays(today, 60)} />
                </Form.Item>
              ) : null}
              {channel && channel !== 'none' ? (
                <Form.Item name="monthlyPay" label={`${p('月收入（元）', 'Monthly pay (yuan)')}（${t('optional')}）`} rules={money(p('月收入', 'Monthly pay'))}>
                  <InputNumber min={0} step={100} style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
            </>
          ),
          toData: (v) => {
            if (v.channel === 'none') return { channel: 'none', reason: text(v.reason) };
            const d: Record<string, unknown> = { channel: v.channel };
            if (num(v.monthlyPay) !== undefined) d.monthlyPay = num(v.monthlyPay);
            if (v.channel === 'quota_employer') {
              d.employerId = v.employerId;
              if (v.positionId) d.positionId = v.positionId;
            } else if (v.channel === 'public_welfare') {
              d.postName = text(v.postName);
              d.startDate = v.startDate;
            } else {
              d.businessName = text(v.businessName);
              d.businessLicence = text(v.businessLicence);
              d.supportAmount = num(v.supportAmount);
              d.startDate = v.startDate;
            }
            return d;
          },
        };
      case 'offer_response':
        return {
          fields: (
            <>
              <Form.Item name="yes" label={p('本人是否接受岗位', 'Offer accepted')} rules={req(p('本人是否接受岗位', 'Offer accepted'))}>
                <YesNo label={p('本人是否接受岗位', 'Offer accepted')} yes={p('接受', 'accepted')} no={p('不接受', 'refused')} />
              </Form.Item>
              {yes === false ? (
                <Form.Item name="reason" label={p('不接受的原因', 'Why refused')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('原因', 'reason')}` }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              ) : null}
            </>
          ),
          toData: (v) => (v.yes ? { accepted: true } : { accepted: false, reason: text(v.reason) }),
        };
      case 'contract':
        return {
          fields: (
            <>
              <Form.Item name="yes" label={p('是否签订劳动合同', 'Contract signed')} rules={req(p('是否签订劳动合同', 'Contract signed'))}>
                <YesNo label={p('是否签订劳动合同', 'Contract signed')} />
              </Form.Item>
              {yes === false ? (
                <Form.Item name="reason" label={p('未签订的原因', 'Why not signed')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('原因', 'reason')}` }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              ) : null}
              {yes === true ? (
                <div className="form-grid">
                  <Form.Item name="startDate" label={p('合同开始日期', 'Contract start')} rules={startRule(p('合同开始日期', 'Contract start'))}>
                    <Input type="date" max={addDays(today, 60)} />
                  </Form.Item>
                  <Form.Item name="contractMonths" label={p('合同期限（月）', 'Contract months')} rules={intRange(p('合同期限', 'Contract months'), 1, 120)}>
                    <InputNumber min={1} max={120} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name="monthlyPay" label={p('月工资（元）', 'Monthly pay (yuan)')} rules={money(p('月工资', 'Monthly pay'), { required: true, positive: true })}>
                    <InputNumber min={1} step={100} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name="socialInsurance" label={p('是否缴纳社会保险', 'Social insurance paid')} rules={req(p('是否缴纳社会保险', 'Social insurance paid'))}>
                    <YesNo label={p('是否缴纳社会保险', 'Social insurance paid')} />
                  </Form.Item>
                </div>
              ) : null}
            </>
          ),
          toData: (v) =>
            v.yes
              ? { signed: true, startDate: v.startDate, contractMonths: num(v.contractMonths), monthlyPay: num(v.monthlyPay), socialInsurance: v.socialInsurance }
              : { signed: false, reason: text(v.reason) },
        };
      case 'retention_3m':
      case 'retention_6m':
      case 'retention_12m':
        return {
          fields: (
            <>
              <Form.Item name="yes" label={p('是否仍在岗', 'Still employed')} rules={req(p('是否仍在岗', 'Still employed'))}>
                <YesNo label={p('是否仍在岗', 'Still employed')} />
              </Form.Item>
              {yes === true ? (
                <Form.Item name="monthlyPay" label={`${p('目前月收入（元）', 'Current monthly pay (yuan)')}（${t('optional')}）`} rules={money(p('月收入', 'Monthly pay'))}>
                  <InputNumber min={0} step={100} style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
              {yes === false ? (
                <>
                  <Form.Item name="lostOn" label={p('离岗日期', 'Left the job on')} rules={notFuture(p('离岗日期', 'Left the job on'))}>
                    <Input type="date" max={today} />
                  </Form.Item>
                  <Form.Item name="reason" label={p('离岗原因', 'Why they left')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${p('离岗原因', 'Why they left')}` }]}>
                    <Input.TextArea rows={2} maxLength={500} />
                  </Form.Item>
                </>
              ) : null}
              {note(p('回访记录', 'Visit note'))}
            </>
          ),
          toData: (v) =>
            withNote(v.yes ? { employed: true, ...(num(v.monthlyPay) !== undefined ? { monthlyPay: num(v.monthlyPay) } : {}) } : { employed: false, lostOn: v.lostOn, reason: text(v.reason) }, v),
        };
      default:
        return null;
    }
  }
  return null;
}
