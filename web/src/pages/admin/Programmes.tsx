import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Table } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, PageHeader, Tone } from '../../components/common';
import { addDays, formatDate, shanghaiToday } from '../../format';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { programmeLabel, stepLabel } from '../../labels';
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

/** The cataract defaults (workflows/programs/cataract/steps.ts), used when a jurisdiction has no version yet. */
const CATARACT_DEFAULTS = {
  steps: {
    screening: { workingDays: 10, remindBefore: [1] },
    hospital_choice: { workingDays: 5, remindBefore: [1] },
    pre_op_check: { workingDays: 10, remindBefore: [1] },
    township_verify: { workingDays: 5, remindBefore: [1] },
    county_approval: { workingDays: 10, remindBefore: [1] },
    surgery: { workingDays: 20, remindBefore: [2] },
    settlement: { workingDays: 10, remindBefore: [1] },
    confirmation: { workingDays: 10, remindBefore: [1] },
  } as Record<string, { workingDays: number; remindBefore?: number[] }>,
  followUps: [
    { step: 'followup_day1', dueAfterDays: 1, mode: 'visit' },
    { step: 'followup_phone', dueAfterDays: 5, windowFromDays: 3, mode: 'phone' },
    { step: 'followup_2w', dueAfterDays: 14, mode: 'visit' },
    { step: 'followup_3m', dueAfterDays: 90, mode: 'visit' },
  ] as { step: string; dueAfterDays: number; windowFromDays?: number; mode: string }[],
  amounts: { settlementMin: 1400, settlementMax: 2050 } as Record<string, number>,
  rules: { oneEyePerYear: true, priorityAges: [60, 75] } as Record<string, unknown>,
};

function NewVersionModal({ open, base, onClose, onSaved }: { open: boolean; base: Config[]; onClose(): void; onSaved(v: string): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const { flat } = useOrgTree();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const org = Form.useWatch('orgUnitCode', form);
  const latest = useMemo(() => base.filter((c) => c.programme === 'cataract' && c.orgUnitCode === org).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0], [base, org]);
  const start = (latest?.settings as typeof CATARACT_DEFAULTS | undefined) ?? CATARACT_DEFAULTS;
  useEffect(() => {
    if (!open) return;
    setError(null);
    const s = start;
    const steps = s.steps ?? CATARACT_DEFAULTS.steps;
    form.setFieldsValue({
      ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [`wd_${k}`, v.workingDays])),
      ...Object.fromEntries((s.followUps ?? CATARACT_DEFAULTS.followUps).map((f) => [`fu_${f.step}`, f.dueAfterDays])),
      settlementMin: s.amounts?.settlementMin ?? 1400,
      settlementMax: s.amounts?.settlementMax ?? 2050,
      oneEyePerYear: (s.rules as any)?.oneEyePerYear !== false,
      minAge: (s.rules as any)?.minAge,
    });
  }, [open, latest]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    const v = await form.validateFields();
    const s = start;
    const steps = Object.fromEntries(Object.entries(s.steps ?? CATARACT_DEFAULTS.steps).map(([k, x]) => [k, { ...x, workingDays: Number(v[`wd_${k}`]) }]));
    const followUps = (s.followUps ?? CATARACT_DEFAULTS.followUps).map((f) => ({ ...f, dueAfterDays: Number(v[`fu_${f.step}`]) }));
    const rules: Record<string, unknown> = { ...(s.rules ?? {}), oneEyePerYear: !!v.oneEyePerYear };
    if (v.minAge !== undefined && v.minAge !== null && v.minAge !== '') rules.minAge = Number(v.minAge);
    else delete rules.minAge;
    const settings = { steps, followUps, amounts: { ...(s.amounts ?? {}), settlementMin: Number(v.settlementMin), settlementMax: Number(v.settlementMax) }, rules };
    setBusy(true);
    setError(null);
    try {
      const r = await api<Config>('/admin/programme-configs', { method: 'POST', body: { programme: 'cataract', orgUnitCode: v.orgUnitCode, effectiveFrom: v.effectiveFrom, settings } });
      onSaved(r.version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!open) return null;
  return (
    <Modal open title={t('newVersion')} onCancel={onClose} onOk={() => void save()} okText={t('create')} cancelText={t('cancel')} confirmLoading={busy} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" name="config-form" initialValues={{ effectiveFrom: addDays(shanghaiToday(), 1) }}>
        <Form.Item name="orgUnitCode" label={t('jurisdiction')} rules={[{ required: true, message: `${t('required')}：${t('jurisdiction')}` }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={flat.filter((o) => o.level === 'city' || o.level === 'county').map(orgOption)} />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('effectiveFrom')} rules={[{ required: true, message: `${t('required')}：${t('effectiveFrom')}` }]}>
          <Input type="date" min={shanghaiToday()} />
        </Form.Item>
        <fieldset className="fieldset">
          <legend>{t('workingDays')}</legend>
          <div className="form-grid">
            {Object.keys(start.steps ?? CATARACT_DEFAULTS.steps).map((k) => (
              <Form.Item key={k} name={`wd_${k}`} label={stepLabel(lang, k)} rules={[{ required: true, message: t('required') }]}>
                <InputNumber min={0} max={365} style={{ width: '100%' }} />
              </Form.Item>
            ))}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('followUpDays')}</legend>
          <div className="form-grid">
            {(start.followUps ?? CATARACT_DEFAULTS.followUps).map((f) => (
              <Form.Item key={f.step} name={`fu_${f.step}`} label={stepLabel(lang, f.step)} rules={[{ required: true, message: t('required') }]}>
                <InputNumber min={0} max={3650} style={{ width: '100%' }} />
              </Form.Item>
            ))}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>
            {t('amounts')} · {t('rules')}
          </legend>
          <div className="form-grid">
            <Form.Item name="settlementMin" label={t('settlementMin')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="settlementMax" label={t('settlementMax')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="minAge" label={`${t('minAge')}（${t('optional')}）`}>
              <InputNumber min={0} max={120} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="oneEyePerYear" valuePropName="checked" label={t('rules')}>
              <Checkbox>{t('oneEyePerYear')}</Checkbox>
            </Form.Item>
          </div>
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
        locale={{ emptyText: <EmptyState text={t('empty')} /> }}
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
