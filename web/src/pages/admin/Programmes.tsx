import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Switch, Table } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, PageHeader, Tone } from '../../components/common';
import { addDays, formatDate, shanghaiToday } from '../../format';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { programmeLabel, stepLabel } from '../../labels';
import { EDUCATION, educationLabel, REHAB_CATEGORIES, rehabCategoryLabel } from '../../programmes';
import { PROGRAMME_DEFAULTS } from '../../../../workflows/contracts/programmes';
import { orgOption, useOrgTree } from '../../orgs';

interface Config {
  id: string;
  programme: string;
  orgUnitCode: string;
  orgUnitName: string;
  effectiveFrom: string;
  version: string;
  settings: Record<string, any>;
  createdAt: string;
}

type Settings = {
  steps?: Record<string, { workingDays: number; remindBefore?: number[] }>;
  followUps?: { step: string; dueAfterDays: number; windowFromDays?: number; mode?: string }[];
  amounts?: Record<string, number>;
  rules?: Record<string, unknown>;
};
/** Built-in defaults per programme (workflows/contracts/programmes.ts): what a jurisdiction without a version runs. */
const DEFAULTS = PROGRAMME_DEFAULTS as unknown as Record<string, Settings>;

/** Rules with a fixed set of values (the workflows read them so). */
const RULE_CHOICES: Record<string, { value: string; label: [string, string] }[]> = {
  minEducation: EDUCATION.map((e) => ({ value: e, label: [educationLabel('zh-CN', e), educationLabel('en', e)] as [string, string] })),
  billing: [
    { value: 'period', label: ['按训练期结算', 'per training period'] },
    { value: 'monthly', label: ['按月结算', 'monthly'] },
  ],
};
/** Bilingual names of settings keys; an unknown key is shown as itself. */
const KEY_LABELS: Record<string, [string, string]> = {
  settlementMin: ['结算下限（元）', 'Settlement minimum (yuan)'],
  settlementMax: ['结算上限（元）', 'Settlement maximum (yuan)'],
  training: ['康复训练（元/年）', 'Training (yuan a year)'],
  hearingAid: ['助听器（元）', 'Hearing aid (yuan)'],
  cochlearImplant: ['人工耳蜗（元）', 'Cochlear implant (yuan)'],
  cochlearSurgery: ['人工耳蜗手术（元）', 'Cochlear surgery (yuan)'],
  limbSurgery: ['肢体矫治手术（元）', 'Limb surgery (yuan)'],
  lowVisionAid: ['助视器（元）', 'Low-vision aid (yuan)'],
  minimumWage: ['当地月最低工资（元）', 'Local monthly minimum wage (yuan)'],
  trainingFeePerTrainee: ['每名学员培训费（元）', 'Training fee per trainee (yuan)'],
  selfEmploymentSupportMax: ['自主创业扶持上限（元）', 'Self-employment support ceiling (yuan)'],
  oneEyePerYear: ['每年限做一眼', 'One eye per year'],
  minAge: ['最低年龄', 'Minimum age'],
  maxAge: ['救助年龄上限（未满，周岁）', 'Age limit (under, years)'],
  maxMonthsPerYear: ['每年最多训练月数', 'Training months a year at most'],
  acceptResidencePermit: ['受理居住证申请', 'Accept residence permits'],
  priorityGroupsOnly: ['仅救助优先对象', 'Priority groups only'],
  billing: ['结算方式', 'Billing'],
  renewalLeadDays: ['年末前几天开放续期', 'Renewal opens days before year end'],
  waitlistRecheckDays: ['候补重新检查间隔（天）', 'Waitlist re-check (days)'],
  categories: ['救助类别', 'Categories served'],
  diagnosisValidYears: ['诊断有效期（年）', 'Diagnosis valid (years)'],
  maxAgeWomen: ['女性年龄上限', 'Age limit, women'],
  maxAgeMen: ['男性年龄上限', 'Age limit, men'],
  minEducation: ['最低文化程度', 'Minimum education'],
  requireSelfCare: ['须生活自理', 'Must look after themselves'],
  excludeSevereIntellectualPsychiatric: ['不招收一、二级智力或精神残疾', 'Exclude grade 1–2 intellectual or psychiatric disability'],
  attendancePeriodDays: ['考勤周期（天）', 'Attendance period (days)'],
  minAttendanceRate: ['最低出勤率（0–1）', 'Minimum attendance rate (0–1)'],
  maxHoursExtensionRate: ['补课上限比例（0–1）', 'Make-up hours limit (0–1)'],
  lateEntryDays: ['开班后补录天数', 'Late entry (days after start)'],
  quotaRate: ['按比例就业比例（0–1）', 'Quota rate (0–1)'],
  quotaMinContractMonths: ['计入按比例就业的最短合同（月）', 'Quota: shortest contract (months)'],
  stableAfterDays: ['稳定就业天数', 'Stable after (days)'],
  paymentPassRate: ['全额付费合格率（0–1）', 'Full payment: pass rate (0–1)'],
  paymentEmploymentRate: ['全额付费就业率（0–1）', 'Full payment: employment rate (0–1)'],
  vision: ['视力', 'vision'],
  other: ['其他类别', 'other categories'],
};
/** A row of the child-rehab age-limit editor: one category each (settings.rules.ageLimits, workflows/programs/child-rehab/eligibility.ts). */
interface AgeLimitRow {
  category?: string;
  maxAge?: number;
  requiresCertificate?: boolean;
}
/** Stored ageLimits (entries may list several categories) as editor rows, one per category, in order. */
function ageLimitRows(v: unknown): AgeLimitRow[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((l: any) =>
    Array.isArray(l?.categories) ? l.categories.map((c: string) => ({ category: c, maxAge: l.maxAge, requiresCertificate: l.requiresCertificate === true })) : [],
  );
}
/** Editor rows as settings.rules.ageLimits: one entry per row (the first entry listing a category applies). */
const ageLimitsOf = (rows: AgeLimitRow[] | undefined) =>
  (rows ?? []).map((r) => ({ categories: [r.category as string], maxAge: Number(r.maxAge), requiresCertificate: !!r.requiresCertificate }));

/**
 * The per-category age limits of child rehabilitation: a row per category (category, limit, only
 * with a certificate of that category), rows added and removed; no rows = the single age limit.
 */
function AgeLimitsEditor({ maxAge }: { maxAge: unknown }) {
  const { t, lang } = useI18n();
  const form = Form.useFormInstance();
  const rows: AgeLimitRow[] = Form.useWatch('ageLimits', form) ?? [];
  return (
    <fieldset className="fieldset" aria-describedby="age-limits-help">
      <legend>{t('ageLimits')}</legend>
      <p id="age-limits-help" className="muted small" style={{ marginTop: 0 }}>
        {t('ageLimitsHelp')}
      </p>
      <Form.List name="ageLimits">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 ? <p className="small">{t('ageLimitsEmpty', { age: typeof maxAge === 'number' ? maxAge : '—' })}</p> : null}
            {fields.map((f, i) => (
              <div key={f.key} role="group" aria-label={t('ageLimitRow', { n: i + 1 })} className="age-limit-row">
                <Form.Item
                  name={[f.name, 'category']}
                  label={t('ageLimitCategory')}
                  rules={[
                    { required: true, message: t('required') },
                    {
                      validator: async (_, v) => {
                        const all: AgeLimitRow[] = form.getFieldValue('ageLimits') ?? [];
                        const first = all.findIndex((r) => r?.category === v);
                        if (v && first >= 0 && first < i) throw new Error(t('ageLimitDuplicate', { n: first + 1 }));
                      },
                    },
                  ]}
                >
                  <Select
                    aria-label={`${t('ageLimitCategory')}（${t('ageLimitRow', { n: i + 1 })}）`}
                    options={REHAB_CATEGORIES.map((c) => ({
                      value: c,
                      label: rehabCategoryLabel(lang, c),
                      disabled: rows.some((r, j) => j !== i && r?.category === c),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'maxAge']}
                  label={t('ageLimitMaxAge')}
                  rules={[
                    { required: true, message: t('required') },
                    { type: 'integer', min: 1, max: 18, message: t('ageLimitRange') },
                  ]}
                >
                  <InputNumber min={1} max={18} precision={0} style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item name={[f.name, 'requiresCertificate']} valuePropName="checked" label={t('ageLimitCertOnly')}>
                  <Switch checkedChildren={lang === 'en' ? 'yes' : '是'} unCheckedChildren={lang === 'en' ? 'no' : '否'} />
                </Form.Item>
                <Button danger onClick={() => remove(f.name)} aria-label={t('ageLimitRemove', { n: i + 1 })} className="age-limit-remove">
                  {t('delete')}
                </Button>
              </div>
            ))}
            <Form.Item>
              <Button onClick={() => add({ maxAge: undefined, requiresCertificate: false })} disabled={fields.length >= REHAB_CATEGORIES.length}>
                {t('ageLimitAdd')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

/**
 * A checkbox group as a labelled group. Form.Item adds aria-required to its control when the field is
 * required, which a group may not carry (axe aria-allowed-attr): the required state is said by each
 * field's label mark and message instead.
 */
function CategoryChecks({ 'aria-required': _required, ...props }: React.ComponentProps<typeof Checkbox.Group> & { 'aria-required'?: unknown }) {
  return <Checkbox.Group {...props} />;
}

const isNumberMap = (v: unknown): v is Record<string, number> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every((x) => typeof x === 'number');

function NewVersionModal({ open, base, onClose, onSaved }: { open: boolean; base: Config[]; onClose(): void; onSaved(v: string): void }) {
  const { t, lang, pick } = useI18n();
  const [form] = Form.useForm();
  const { flat } = useOrgTree();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const programme: string = Form.useWatch('programme', form) ?? 'cataract';
  const org = Form.useWatch('orgUnitCode', form);
  const keyLabel = (k: string) => (KEY_LABELS[k] ? pick(KEY_LABELS[k][0], KEY_LABELS[k][1]) : k);
  const latest = useMemo(
    () => base.filter((c) => c.programme === programme && c.orgUnitCode === org).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0],
    [base, programme, org],
  );
  const defaults = DEFAULTS[programme] ?? DEFAULTS.cataract;
  // The latest version of this programme and jurisdiction (or the built-in defaults), with any step,
  // amount or rule the defaults have and the version lacks.
  const start = useMemo<Required<Settings>>(() => {
    const s = (latest?.settings as Settings | undefined) ?? {};
    return {
      steps: { ...defaults.steps, ...(s.steps ?? {}) },
      followUps: s.followUps ?? defaults.followUps ?? [],
      amounts: { ...defaults.amounts, ...(s.amounts ?? {}) },
      rules: { ...defaults.rules, ...(s.rules ?? {}) },
    };
  }, [latest, defaults]);
  const editableRules = Object.entries(start.rules).filter(
    ([k, v]) =>
      k !== 'ageLimits' && typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && RULE_CHOICES[k]) || (k === 'categories' && Array.isArray(v)) || isNumberMap(v),
  );
  const ageLimitsEditable = programme === 'child_rehab';
  const keptRules = Object.keys(start.rules).filter((k) => !editableRules.some(([e]) => e === k) && !(ageLimitsEditable && k === 'ageLimits'));
  const maxAgeNow = Form.useWatch('ru_maxAge', form);
  useEffect(() => {
    if (!open) return;
    setError(null);
    const values: Record<string, unknown> = {
      ...Object.fromEntries(Object.entries(start.steps).map(([k, v]) => [`wd_${k}`, v.workingDays])),
      ...Object.fromEntries(start.followUps.map((f) => [`fu_${f.step}`, f.dueAfterDays])),
      ...Object.fromEntries(Object.entries(start.amounts).map(([k, v]) => [`am_${k}`, v])),
    };
    for (const [k, v] of editableRules) {
      if (isNumberMap(v)) for (const [kk, vv] of Object.entries(v)) values[`ru_${k}_${kk}`] = vv;
      else values[`ru_${k}`] = v;
    }
    if (programme === 'cataract' && start.rules.minAge === undefined) values.ru_minAge = undefined;
    values.ageLimits = programme === 'child_rehab' ? ageLimitRows(start.rules.ageLimits) : [];
    form.setFieldsValue(values);
  }, [open, start]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    // A field the form refuses shows its message at the field; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const steps = Object.fromEntries(Object.entries(start.steps).map(([k, x]) => [k, { ...x, workingDays: Number(v[`wd_${k}`]) }]));
    const followUps = start.followUps.map((f) => ({ ...f, dueAfterDays: Number(v[`fu_${f.step}`]) }));
    const amounts = Object.fromEntries(Object.keys(start.amounts).map((k) => [k, Number(v[`am_${k}`])]));
    const rules: Record<string, unknown> = { ...start.rules };
    for (const [k, old] of editableRules) {
      if (isNumberMap(old)) rules[k] = Object.fromEntries(Object.keys(old).map((kk) => [kk, Number(v[`ru_${k}_${kk}`])]));
      else if (typeof old === 'number') rules[k] = Number(v[`ru_${k}`]);
      else if (typeof old === 'boolean') rules[k] = !!v[`ru_${k}`];
      else rules[k] = v[`ru_${k}`];
    }
    // The cataract minimum age is optional (no minimum unless set).
    if (programme === 'cataract') {
      if (v.ru_minAge !== undefined && v.ru_minAge !== null && v.ru_minAge !== '') rules.minAge = Number(v.ru_minAge);
      else delete rules.minAge;
    }
    // Child rehab: the per-category age limits as edited; no rows = the single age limit (no ageLimits).
    if (ageLimitsEditable) {
      const limits = ageLimitsOf(v.ageLimits);
      if (limits.length) rules.ageLimits = limits;
      else delete rules.ageLimits;
    }
    const settings = { steps, followUps, amounts, rules };
    setBusy(true);
    setError(null);
    try {
      const r = await api<Config>('/admin/programme-configs', { method: 'POST', body: { programme, orgUnitCode: v.orgUnitCode, effectiveFrom: v.effectiveFrom, settings } });
      onSaved(r.version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!open) return null;
  const ruleField = (k: string, val: unknown) => {
    if (isNumberMap(val))
      return Object.keys(val).map((kk) => (
        <Form.Item key={`${k}_${kk}`} name={`ru_${k}_${kk}`} label={`${keyLabel(k)} · ${keyLabel(kk)}`} rules={[{ required: true, message: t('required') }]}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
      ));
    if (typeof val === 'boolean')
      return (
        <Form.Item key={k} name={`ru_${k}`} valuePropName="checked" label={t('rules')}>
          <Checkbox>{keyLabel(k)}</Checkbox>
        </Form.Item>
      );
    if (k === 'categories')
      return (
        <Form.Item key={k} name={`ru_${k}`} label={keyLabel(k)} style={{ gridColumn: '1 / -1' }} rules={[{ required: true, type: 'array', min: 1, message: t('required') }]}>
          <CategoryChecks aria-label={keyLabel(k)} options={REHAB_CATEGORIES.map((c) => ({ value: c, label: rehabCategoryLabel(lang, c) }))} />
        </Form.Item>
      );
    if (typeof val === 'string')
      return (
        <Form.Item key={k} name={`ru_${k}`} label={keyLabel(k)} rules={[{ required: true, message: t('required') }]}>
          <Select aria-label={keyLabel(k)} options={RULE_CHOICES[k].map((o) => ({ value: o.value, label: pick(o.label[0], o.label[1]) }))} />
        </Form.Item>
      );
    const rate = /Rate$/.test(k);
    return (
      <Form.Item key={k} name={`ru_${k}`} label={keyLabel(k)} rules={[{ required: true, message: t('required') }]}>
        <InputNumber min={0} max={rate ? 1 : 3650} step={rate ? 0.01 : 1} style={{ width: '100%' }} />
      </Form.Item>
    );
  };
  return (
    <Modal open title={t('newVersion')} onCancel={onClose} onOk={() => void save()} okText={t('create')} cancelText={t('cancel')} confirmLoading={busy} width={680} destroyOnHidden>
      <Form form={form} layout="vertical" name="config-form" initialValues={{ programme: 'cataract', effectiveFrom: addDays(shanghaiToday(), 1) }}>
        <Form.Item name="programme" label={t('programme')} rules={[{ required: true, message: `${t('required')}：${t('programme')}` }]}>
          <Select aria-label={t('programme')} options={Object.keys(DEFAULTS).map((p) => ({ value: p, label: programmeLabel(lang, p) }))} />
        </Form.Item>
        <Form.Item name="orgUnitCode" label={t('jurisdiction')} rules={[{ required: true, message: `${t('required')}：${t('jurisdiction')}` }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={flat.filter((o) => o.level === 'city' || o.level === 'county').map(orgOption)} />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('effectiveFrom')} rules={[{ required: true, message: `${t('required')}：${t('effectiveFrom')}` }]}>
          <Input type="date" min={shanghaiToday()} />
        </Form.Item>
        <p className="muted small">
          {latest ? pick(`以现行版本 ${latest.version} 为基础`, `Starting from version ${latest.version}`) : pick('以内置默认设置为基础', 'Starting from the built-in defaults')}
        </p>
        <fieldset className="fieldset">
          <legend>{t('workingDays')}</legend>
          <div className="form-grid">
            {Object.keys(start.steps).map((k) => (
              <Form.Item key={k} name={`wd_${k}`} label={stepLabel(lang, k)} rules={[{ required: true, message: t('required') }]}>
                <InputNumber min={0} max={365} style={{ width: '100%' }} />
              </Form.Item>
            ))}
          </div>
        </fieldset>
        {start.followUps.length ? (
          <fieldset className="fieldset">
            <legend>{programme === 'cataract' ? t('followUpDays') : pick('回访（安置后天数）', 'Follow-ups (days after placement)')}</legend>
            <div className="form-grid">
              {start.followUps.map((f) => (
                <Form.Item key={f.step} name={`fu_${f.step}`} label={stepLabel(lang, f.step)} rules={[{ required: true, message: t('required') }]}>
                  <InputNumber min={0} max={3650} style={{ width: '100%' }} />
                </Form.Item>
              ))}
            </div>
          </fieldset>
        ) : null}
        <fieldset className="fieldset">
          <legend>{t('amounts')}</legend>
          <div className="form-grid">
            {Object.keys(start.amounts).map((k) => (
              <Form.Item key={k} name={`am_${k}`} label={keyLabel(k)} rules={[{ required: true, message: t('required') }]}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            ))}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('rules')}</legend>
          <div className="form-grid">
            {editableRules.map(([k, v]) => ruleField(k, v))}
            {programme === 'cataract' && start.rules.minAge === undefined ? (
              <Form.Item name="ru_minAge" label={`${t('minAge')}（${t('optional')}）`}>
                <InputNumber min={0} max={120} style={{ width: '100%' }} />
              </Form.Item>
            ) : null}
          </div>
          {keptRules.length ? (
            <p className="muted small">
              {pick('以下规则沿用原值：', 'Kept as they are: ')}
              {keptRules.map((k) => (
                <code key={k} style={{ marginRight: 8 }}>
                  {k}
                </code>
              ))}
            </p>
          ) : null}
          {ageLimitsEditable ? <AgeLimitsEditor maxAge={maxAgeNow} /> : null}
        </fieldset>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

export function ProgrammesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useGet<{ items: Config[] }>('/admin/programme-configs');
  const [open, setOpen] = useState(false);
  const today = shanghaiToday();
  // Per programme and jurisdiction: the latest version effective today is in effect; later ones are upcoming.
  const state = useMemo(() => {
    const m = new Map<string, 'inEffect' | 'future' | 'superseded'>();
    const groups = new Map<string, Config[]>();
    for (const c of data?.items ?? []) groups.set(`${c.programme}@${c.orgUnitCode}`, [...(groups.get(`${c.programme}@${c.orgUnitCode}`) ?? []), c]);
    for (const g of groups.values()) {
      const sorted = [...g].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
      let found = false;
      for (const c of sorted) {
        if (c.effectiveFrom > today) m.set(c.id, 'future');
        else if (!found) {
          m.set(c.id, 'inEffect');
          found = true;
        } else m.set(c.id, 'superseded');
      }
    }
    return m;
  }, [data, today]);
  return (
    <>
      <PageHeader
        title={t('programmesTitle')}
        intro={t('programmesIntro')}
        extra={
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('newVersion')}
          </Button>
        }
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Config>
        rowKey="id"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <EmptyState text={t('programmesEmpty')} /> }}
        expandable={{
          expandedRowRender: (c) => <pre className="settings-pre">{JSON.stringify(c.settings, null, 2)}</pre>,
          expandRowByClick: false,
        }}
        columns={[
          { title: t('programme'), dataIndex: 'programme', render: (v) => programmeLabel(lang, v) },
          { title: t('jurisdiction'), dataIndex: 'orgUnitName', render: (v, c) => `${v}（${c.orgUnitCode}）` },
          { title: t('effectiveFrom'), dataIndex: 'effectiveFrom', render: (v) => formatDate(v, lang) },
          { title: t('version'), dataIndex: 'version', render: (v) => <code>{v}</code> },
          {
            title: t('status'),
            key: 's',
            render: (_, c) => {
              const s = state.get(c.id);
              return s === 'inEffect' ? <Tone tone="green">{t('inEffect')}</Tone> : s === 'future' ? <Tone tone="blue">{t('future')}</Tone> : <Tone tone="grey">{t('superseded')}</Tone>;
            },
          },
        ]}
      />
      <NewVersionModal
        open={open}
        base={data?.items ?? []}
        onClose={() => setOpen(false)}
        onSaved={(v) => {
          setOpen(false);
          message.success(t('configCreated', { version: v }));
          void reload();
        }}
      />
    </>
  );
}
