/**
 * The record a step needs (workflows/programs/cataract/workflow.ts validate*), one form per step;
 * the child-rehabilitation and training steps come from ./ProgrammeRecords.
 * The browser checks only what is obviously missing; the workflow's validator decides, and its
 * refusal (422 INVALID_DECISION with the reason, 409 if someone else acted) is shown as is.
 */
import { Alert, App, Button, Checkbox, Form, Input, Radio, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { shanghaiToday } from '../format';
import { useI18n } from '../i18n';
import { followUpNote } from '../labels';
import type { Partner, Task } from '../types';
import { ErrorAlert, Tone } from './common';
import { Choice, Controlled, YesNo } from './fields';
import { useProgrammeRecord } from './ProgrammeRecords';

const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));

function Eye(props: Controlled) {
  const { t } = useI18n();
  return (
    <Choice
      {...props}
      options={[
        { label: t('eyeLeft'), value: 'left' },
        { label: t('eyeRight'), value: 'right' },
      ]}
    />
  );
}
const Acuity = (props: { id?: string }) => <Input {...props} type="number" inputMode="decimal" min={0} max={2} step={0.01} />;

function HospitalChoice() {
  const { t } = useI18n();
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: Partner[] }>('/partners?service=cataract_surgery&status=active')
      .then((r) => setPartners(r.items))
      .catch(setError);
  }, []);
  if (error) return <ErrorAlert error={error} />;
  if (!partners) return <span role="status">{t('loading')}</span>;
  return (
    <Form.Item name="partnerId" label={t('chooseHospital')} rules={[{ required: true, message: t('chooseHospital') }]}>
      <Radio.Group aria-label={t('chooseHospital')}>
        <Space orientation="vertical">
          {partners.map((p) => (
            <Radio key={p.id} value={p.id} disabled={!p.acceptsReferrals}>
              {p.name}{' '}
              {p.acceptsReferrals ? (
                <Tone tone="green">{p.available === null ? t('unlimited') : t('placesLeft', { n: p.available })}</Tone>
              ) : (
                <Tone tone="grey">{t('notAccepting')}</Tone>
              )}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
    </Form.Item>
  );
}

export function RecordForm({ caseId, task, onDone, submitLabel }: { caseId: string; task: Task; onDone: () => void; submitLabel?: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const suitable = Form.useWatch('suitable', form);
  const fit = Form.useWatch('fit', form);
  const reached = Form.useWatch('reached', form);
  const step = task.step;
  const isFollowUp = task.kind === 'followup';
  const req = (label: string) => [{ required: true, message: `${t('required')}：${label}` }];
  const programmeRecord = useProgrammeRecord(task, form);

  const toData = (v: Record<string, any>): Record<string, unknown> => {
    if (programmeRecord) return programmeRecord.toData(v);
    switch (step) {
      case 'screening':
        return v.suitable
          ? { suitable: true, eye: v.eye, ...(num(v.uncorrectedAcuity) !== undefined ? { uncorrectedAcuity: num(v.uncorrectedAcuity) } : {}) }
          : { suitable: false, reason: v.reason };
      case 'hospital_choice':
        return { partnerId: v.partnerId };
      case 'pre_op_check':
        return v.fit ? { fit: true, eye: v.eye } : { fit: false, reason: v.reason };
      case 'surgery':
        return { surgeryDate: v.surgeryDate, eye: v.eye, lensImplanted: v.lensImplanted, ...(v.lensType ? { lensType: v.lensType } : {}) };
      case 'settlement':
        return { amount: num(v.amount) };
      case 'confirmation':
        return { confirmed: v.confirmed === true };
      default:
        if (isFollowUp) {
          const d: Record<string, unknown> = { reached: v.reached };
          if (num(v.uncorrectedAcuity) !== undefined) d.uncorrectedAcuity = num(v.uncorrectedAcuity);
          if (num(v.correctedAcuity) !== undefined) d.correctedAcuity = num(v.correctedAcuity);
          if (v.complication) d.complication = v.complication;
          if (v.note) d.note = v.note;
          if (v.contactedOn) d.contactedOn = v.contactedOn;
          return d;
        }
        return { note: v.note };
    }
  };

  const onFinish = async (v: Record<string, any>) => {
    setBusy(true);
    setError(null);
    try {
      const data = toData(v);
      if (isFollowUp) await api(`/cases/${caseId}/tasks/${task.taskId}/followup`, { method: 'POST', body: { data } });
      else await api(`/cases/${caseId}/tasks/${task.taskId}/decision`, { method: 'POST', body: { action: 'submit', data } });
      message.success(isFollowUp ? t('visitSaved') : t('recordSubmitted'));
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  let fields: React.ReactNode;
  if (programmeRecord) {
    fields = programmeRecord.fields;
  } else if (task.programme === 'cataract' && step === 'screening') {
    fields = (
      <>
        <Form.Item name="suitable" label={t('suitable')} rules={req(t('suitable'))}>
          <YesNo label={t('suitable')} />
        </Form.Item>
        {suitable === true ? (
          <>
            <Form.Item name="eye" label={t('eye')} rules={req(t('eye'))}>
              <Eye label={t('eye')} />
            </Form.Item>
            <Form.Item name="uncorrectedAcuity" label={t('uncorrectedAcuity')}>
              <Acuity />
            </Form.Item>
          </>
        ) : null}
        {suitable === false ? (
          <Form.Item name="reason" label={t('notSuitableReason')} rules={req(t('notSuitableReason'))}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        ) : null}
      </>
    );
  } else if (step === 'hospital_choice') {
    fields = <HospitalChoice />;
  } else if (step === 'pre_op_check') {
    fields = (
      <>
        <Form.Item name="fit" label={t('fit')} rules={req(t('fit'))}>
          <YesNo label={t('fit')} />
        </Form.Item>
        {fit === true ? (
          <Form.Item name="eye" label={t('eye')} rules={req(t('eye'))}>
            <Eye label={t('eye')} />
          </Form.Item>
        ) : null}
        {fit === false ? (
          <Form.Item name="reason" label={t('contraindication')} rules={req(t('contraindication'))}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        ) : null}
      </>
    );
  } else if (step === 'surgery') {
    fields = (
      <>
        <Form.Item name="surgeryDate" label={t('surgeryDate')} rules={req(t('surgeryDate'))} initialValue={shanghaiToday()}>
          <Input type="date" max={shanghaiToday()} />
        </Form.Item>
        <Form.Item name="eye" label={t('eye')} rules={req(t('eye'))}>
          <Eye label={t('eye')} />
        </Form.Item>
        <Form.Item name="lensImplanted" label={t('lensImplanted')} rules={req(t('lensImplanted'))}>
          <YesNo label={t('lensImplanted')} />
        </Form.Item>
        <Form.Item name="lensType" label={`${t('lensType')}（${t('optional')}）`}>
          <Input maxLength={60} />
        </Form.Item>
      </>
    );
  } else if (step === 'settlement') {
    fields = (
      <Form.Item name="amount" label={t('amount')} rules={req(t('amount'))}>
        <Input type="number" inputMode="decimal" min={0} step={1} />
      </Form.Item>
    );
  } else if (step === 'confirmation') {
    fields = (
      <Form.Item name="confirmed" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('confirmed')))) }]}>
        <Checkbox>{t('confirmed')}</Checkbox>
      </Form.Item>
    );
  } else if (isFollowUp && task.programme === 'cataract') {
    fields = (
      <>
        <Form.Item name="reached" label={t('reached')} rules={req(t('reached'))}>
          <YesNo label={t('reached')} />
        </Form.Item>
        {step === 'followup_phone' && (
          // the phone follow-up counts from day 3 after surgery: the server refuses an earlier call with the dates
          <Form.Item name="contactedOn" label={t('contactedOn')} rules={req(t('contactedOn'))} initialValue={shanghaiToday()}>
            <Input type="date" max={shanghaiToday()} />
          </Form.Item>
        )}
        <Form.Item name="uncorrectedAcuity" label={t('uncorrectedAcuity')} rules={reached ? req(t('uncorrectedAcuity')) : []}>
          <Acuity />
        </Form.Item>
        <Form.Item name="correctedAcuity" label={`${t('correctedAcuity')}（${t('optional')}）`}>
          <Acuity />
        </Form.Item>
        <Form.Item name="complication" label={`${t('complication')}（${t('optional')}）`}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={`${t('visitNote')}（${t('optional')}）`}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </>
    );
  } else {
    fields = (
      <Form.Item name="note" label={t('supplementInfo')} rules={req(t('supplementInfo'))}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    );
  }

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} disabled={busy} className="visit-form" name={`task-${task.taskId}`}>
      {task.note ? <Alert type="info" showIcon title={t('taskNote', { note: isFollowUp ? followUpNote(lang, task.note) : task.note })} style={{ marginBottom: 12 }} /> : null}
      {fields}
      {error ? <ErrorAlert error={error} /> : null}
      <Button type="primary" htmlType="submit" loading={busy} block>
        {submitLabel ?? t('submit')}
      </Button>
    </Form>
  );
}
