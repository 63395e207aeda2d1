import { ExportOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Form, Input, Modal, Result, Select, Space, Timeline, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ErrorAlert, errorMessage, Loading, PageHeader, Tone } from '../components/common';
import { CaseDeliveries } from '../components/CaseDeliveries';
import { RecordForm } from '../components/RecordForm';
import { RehabServiceYear } from '../components/RehabServiceYear';
import { DueCell } from '../components/TaskBits';
import { PersonEditButton } from '../components/PersonEdit';
import { formatDate, formatDateTime } from '../format';
import { useGet } from '../hooks';
import { useI18n, type MsgKey, type T } from '../i18n';
import { decisionLabel, disabilityLabel, eventLabel, hardshipLabel, outcomeLabel, programmeLabel, roleLabel, stepLabel, waitingLabel } from '../labels';
import { certificateLevelLabel, placementChannelLabel, rehabCategoryLabel } from '../programmes';
import { useSession } from '../session';
import type { CaseDetail, Staff, Task, User } from '../types';

export function mayAct(user: User, task: Task): boolean {
  if (task.status !== 'open') return false;
  if (task.assigneeUserId && task.assigneeUserId !== user.id) return false;
  if (task.partnerId) return user.role === 'partner_staff' && user.partnerId === task.partnerId;
  return user.role === task.assigneeRole;
}

const FIELD_LABELS: Record<string, MsgKey> = {
  suitable: 'suitable',
  eye: 'eye',
  uncorrectedAcuity: 'uncorrectedAcuity',
  correctedAcuity: 'correctedAcuity',
  reason: 'reason',
  fit: 'fit',
  surgeryDate: 'surgeryDate',
  lensImplanted: 'lensImplanted',
  lensType: 'lensType',
  amount: 'amount',
  reached: 'reached',
  complication: 'complication',
  note: 'visitNote',
  confirmed: 'confirmed',
  dueDate: 'dueDate',
  campaign: 'campaign',
  priority: 'priority',
  hospital: 'hospital',
  name: 'hospital',
};

/**
 * Labels of the fields the child-rehab and training workflows write into their timeline events
 * (zh-CN, English), so the timeline never shows a raw code such as `institution` or `outOfArea`.
 */
const EVENT_FIELDS: Record<string, [string, string]> = {
  accepted: ['是否接受', 'accepted'],
  category: ['残疾类别', 'category'],
  channel: ['就业渠道', 'channel'],
  continue: ['是否继续', 'continue'],
  contractMonths: ['合同期（月）', 'contract (months)'],
  countsTowardQuota: ['计入按比例就业', 'counts toward the quota'],
  course: ['培训班', 'course'],
  detail: ['说明', 'detail'],
  dropOut: ['是否退学', 'dropped out'],
  employed: ['是否在岗', 'employed'],
  employer: ['用人单位', 'employer'],
  hours: ['出勤课时', 'hours attended'],
  institution: ['康复/培训机构', 'institution'],
  institutions: ['康复/培训机构', 'institutions'],
  level: ['证书等级', 'certificate level'],
  lostOn: ['离岗日期', 'job lost on'],
  monthlyPay: ['月工资（元）', 'monthly pay (yuan)'],
  months: ['月数', 'months'],
  monthsThisYear: ['本年度训练月数', 'training months this year'],
  next: ['下一步', 'next'],
  number: ['证书编号', 'certificate number'],
  outOfArea: ['异地安置', 'out of area'],
  paid: ['已支付（元）', 'paid (yuan)'],
  passed: ['是否通过', 'passed'],
  position: ['候补序号', 'waiting-list position'],
  post: ['岗位', 'post'],
  postName: ['岗位', 'post'],
  quotaWeight: ['按比例就业折算', 'quota weight'],
  receivedAt: ['受理日期', 'received on'],
  round: ['轮次', 'round'],
  score: ['考核成绩', 'score'],
  signed: ['是否签约', 'signed'],
  socialInsurance: ['缴纳社保', 'social insurance'],
  startDate: ['开始日期', 'start date'],
  year: ['服务年度', 'service year'],
};
/** Internal ids and codes: useful to the server, noise to the reader. */
const HIDDEN_FIELDS = new Set(['partnerId', 'orgUnitCode', 'employerId', 'positionId', 'quotaReasons']);
const DATE_FIELDS = new Set(['dueDate', 'surgeryDate', 'screeningStart', 'receivedAt', 'startDate', 'lostOn']);

function dataSummary(data: Record<string, any> | null, t: T, lang: 'zh-CN' | 'en', step?: string | null): string | null {
  if (!data) return null;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    const list = Array.isArray(v) && v.every((x) => typeof x === 'string') && k !== 'to';
    if (HIDDEN_FIELDS.has(k) || v === null || v === undefined || (typeof v === 'object' && !list)) {
      if (k === 'to' && v && typeof v === 'object' && 'name' in v) parts.push(`${t('reassignTo')}：${(v as any).name}`);
      continue;
    }
    // `name` is the partner the event names: the hospital chosen, or the rehabilitation institution
    // a child is placed at or waits for
    const partnerName = k === 'name' && (step === 'placement' || step === 'waitlisted');
    const label = partnerName ? EVENT_FIELDS.institution[lang === 'en' ? 1 : 0] : FIELD_LABELS[k] ? t(FIELD_LABELS[k]) : k === 'role' ? t('role') : EVENT_FIELDS[k] ? EVENT_FIELDS[k][lang === 'en' ? 1 : 0] : k;
    let shown = list ? (v as string[]).join('、') : String(v);
    if (typeof v === 'boolean') shown = v ? t('yes') : t('no');
    else if (k === 'eye') shown = v === 'left' ? t('eyeLeft') : v === 'right' ? t('eyeRight') : shown;
    else if (k === 'role') shown = roleLabel(lang, String(v));
    else if (k === 'category') shown = rehabCategoryLabel(lang, String(v));
    else if (k === 'channel') shown = placementChannelLabel(lang, String(v));
    else if (k === 'level') shown = certificateLevelLabel(lang, String(v));
    else if (DATE_FIELDS.has(k)) shown = formatDate(String(v), lang);
    parts.push(`${label}：${shown}`);
  }
  return parts.length ? parts.join('；') : null;
}

function DecisionModal({
  open,
  action,
  onClose,
  onSubmit,
}: {
  open: boolean;
  action: 'approve' | 'reject' | 'return';
  onClose(): void;
  onSubmit(reason: string | undefined): Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);
  const label = action === 'reject' ? t('reasonRejectLabel') : action === 'return' ? t('reasonReturnLabel') : t('reassignNote');
  const title = action === 'approve' ? t('approve') : action === 'reject' ? t('reject') : t('returnForInfo');
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={title}
      cancelText={t('cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: action === 'reject' }}
      onOk={() => {
        const submit = async (v: { reason?: string }) => {
          setBusy(true);
          setError(null);
          try {
            await onSubmit(v.reason?.trim() || undefined);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        };
        return form.validateFields().then(submit, (e: { errorFields?: unknown[]; values?: { reason?: string } }) => {
          // A missing reason is shown beside the field. A validation overtaken by a re-render
          // (Ant Design's outOfDate, no field errors) is no refusal: the click must not be lost.
          if (!e?.errorFields?.length) return submit(e?.values ?? form.getFieldsValue());
        });
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name={`decision-${action}`}>
        <Form.Item name="reason" label={label} rules={action === 'approve' ? [] : [{ required: true, whitespace: true, message: t('reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

function ReassignModal({ task, open, onClose, onDone }: { task: Task | null; open: boolean; onClose(): void; onDone(): void }) {
  const { t, lang } = useI18n();
  const [staff, setStaff] = useState<Staff[] | null>(null);
  const [to, setTo] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open || !task) return;
    setStaff(null);
    setTo(undefined);
    setNote('');
    setError(null);
    const q = task.partnerId ? `role=partner_staff&partnerId=${task.partnerId}` : `role=${task.assigneeRole}`;
    Promise.all([
      api<{ items: Staff[] }>(`/staff?${q}`),
      task.partnerId ? Promise.resolve(null) : api<{ code: string; ancestors: { code: string }[] }>(`/org-units/${task.orgUnitCode}`).catch(() => null),
    ])
      .then(([s, unit]) => {
        // The workflow accepts someone whose unit is the task's unit or above it.
        const ok = unit ? new Set([unit.code, ...unit.ancestors.map((a) => a.code)]) : null;
        setStaff(s.items.filter((x) => x.id !== task.assigneeUserId && (!ok || ok.has(x.orgUnitCode))));
      })
      .catch(setError);
  }, [open, task]);
  const submit = async () => {
    if (!task || !to) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/cases/${task.caseId}/tasks/${task.taskId}/decision`, { method: 'POST', body: { action: 'reassign', toUserId: to, ...(note.trim() ? { reason: note.trim() } : {}) } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={`${t('reassign')} · ${task ? stepLabel(lang, task.step) : ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('reassign')}
      cancelText={t('cancel')}
      okButtonProps={{ disabled: !to }}
      confirmLoading={busy}
      destroyOnHidden
    >
      {staff === null && !error ? <Loading /> : null}
      {staff && staff.length === 0 ? <Typography.Paragraph>{t('reassignNone')}</Typography.Paragraph> : null}
      {staff && staff.length ? (
        <Form layout="vertical" name="reassign">
          <Form.Item label={t('reassignTo')} htmlFor="reassign-to">
            <Select
              id="reassign-to"
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('reassignPick')}
              value={to}
              onChange={setTo}
              options={staff.map((s) => ({ value: s.id, label: `${s.displayName}（${s.orgName}，${roleLabel(lang, s.role)}）` }))}
            />
          </Form.Item>
          <Form.Item label={t('reassignNote')} htmlFor="reassign-note">
            <Input.TextArea id="reassign-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
        </Form>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

function TaskCard({ task, detail, user, reload }: { task: Task; detail: CaseDetail; user: User; reload(): void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [decision, setDecision] = useState<'approve' | 'reject' | 'return' | null>(null);
  const [reassign, setReassign] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const can = mayAct(user, task);
  const canReassign = can || user.role === 'manager';

  const act = async (action: string, reason?: string) => {
    await api(`/cases/${detail.case.caseId}/tasks/${task.taskId}/decision`, { method: 'POST', body: { action, ...(reason ? { reason } : {}) } });
    message.success(t('decisionDone', { action: decisionLabel(lang, action) }));
    setDecision(null);
    reload();
  };
  const claim = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/cases/${detail.case.caseId}/tasks/${task.taskId}/claim`, { method: 'POST', body: {} });
      message.success(t('claimed'));
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="task-card"
      title={
        <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
          {stepLabel(lang, task.step)}
        </Typography.Title>
      }
      extra={<DueCell task={task} />}
      style={{ marginBottom: 12 }}
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="kv">
        <Descriptions.Item label={t('assignee')}>
          {task.assigneeUserId ? task.assigneeName ?? '—' : <Tone tone="blue">{t('claimable')} · {roleLabel(lang, task.assigneeRole)}</Tone>}
        </Descriptions.Item>
        <Descriptions.Item label={t('filterKind')}>{t(task.kind === 'approval' ? 'kindApproval' : task.kind === 'record' ? 'kindRecord' : 'kindFollowup')}</Descriptions.Item>
      </Descriptions>
      {task.note && task.kind === 'approval' ? <p className="muted">{t('taskNote', { note: task.note })}</p> : null}
      {!can ? <p className="muted small">{t('notYourTask')}</p> : !task.assigneeUserId ? <p className="muted small">{t('claimFirst')}</p> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <Space wrap style={{ marginBottom: can && task.kind !== 'approval' ? 12 : 0 }}>
        {can && !task.assigneeUserId ? (
          <Button onClick={() => void claim()} loading={busy}>
            {t('claim')}
          </Button>
        ) : null}
        {can && task.kind === 'approval' ? (
          <>
            <Button type="primary" onClick={() => setDecision('approve')}>
              {t('approve')}
            </Button>
            <Button danger onClick={() => setDecision('reject')}>
              {t('reject')}
            </Button>
            <Button onClick={() => setDecision('return')}>{t('returnForInfo')}</Button>
          </>
        ) : null}
        {canReassign ? <Button onClick={() => setReassign(true)}>{t('reassign')}</Button> : null}
      </Space>
      {can && task.kind !== 'approval' ? (
        <div className="task-form">
          <Typography.Title level={4} style={{ fontSize: 15 }}>
            {t('taskForm', { step: stepLabel(lang, task.step) })}
          </Typography.Title>
          <RecordForm caseId={detail.case.caseId} task={task} onDone={reload} />
        </div>
      ) : null}
      <DecisionModal open={decision !== null} action={decision ?? 'approve'} onClose={() => setDecision(null)} onSubmit={(reason) => act(decision!, reason)} />
      <ReassignModal
        task={reassign ? task : null}
        open={reassign}
        onClose={() => setReassign(false)}
        onDone={() => {
          setReassign(false);
          message.success(t('decisionDone', { action: t('reassign') }));
          reload();
        }}
      />
    </Card>
  );
}

export function CaseDetailPage() {
  const { caseId } = useParams();
  const { t, lang } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useGet<CaseDetail>(`/cases/${caseId}`);
  const openTasks = useMemo(() => (data?.tasks ?? []).filter((x) => x.status === 'open'), [data]);

  if (error && error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 400)) {
    return (
      <>
        <PageHeader title={t('caseNotFoundTitle')} />
        <Result
          status={error.status === 403 ? '403' : '404'}
          title={<span role="alert">{t('caseNotFoundBody')}</span>}
          extra={
            <Space wrap>
              <Button type="primary" onClick={() => navigate('/app')}>
                {t('goHome')}
              </Button>
              <Button onClick={() => navigate('/app/cases')}>{t('navCases')}</Button>
            </Space>
          }
        />
      </>
    );
  }
  if (error && !data) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data || !user) return <Loading />;
  const c = data.case;
  const p = data.person;
  const d = c.data ?? {};
  // The api masks the ID (and withholds disability data and phone) for roles that may not see them.
  const masked = p.residentId.includes('*');

  return (
    <>
      <PageHeader
        title={t('caseTitle', { caseNo: c.caseNo })}
        intro={`${programmeLabel(lang, c.programme)} · ${t('openedAt')} ${formatDateTime(c.openedAt, lang)}`}
        extra={
          c.temporalUiUrl ? (
            <a href={c.temporalUiUrl} target="_blank" rel="noopener noreferrer">
              <ExportOutlined aria-hidden /> {t('temporalLink')}
            </a>
          ) : null
        }
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <div className="card-grid" aria-busy={loading}>
        <Card title={<h2 className="card-h">{t('currentStep')}</h2>} size="small">
          <Descriptions column={1} size="small" className="kv">
            <Descriptions.Item label={t('status')}>
              {c.status === 'open' ? <Tone tone="blue">{t('statusOpen')}</Tone> : <Tone tone="grey">{t('statusClosed')}</Tone>}
              {c.outcome ? <Tone tone={c.outcome === 'completed' ? 'green' : 'orange'}>{outcomeLabel(lang, c.outcome)}</Tone> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('currentStep')}>
              <strong>{stepLabel(lang, c.step)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('waitingOn')}>
              {waitingLabel(lang, c.waitingOn)}
              {openTasks.length ? `：${openTasks.map((x) => `${stepLabel(lang, x.step)}（${x.assigneeName ?? roleLabel(lang, x.assigneeRole)}）`).join('、')}` : ''}
            </Descriptions.Item>
            {d.campaign ? <Descriptions.Item label={t('campaign')}>{String(d.campaign)}</Descriptions.Item> : null}
            {d.hospital ? <Descriptions.Item label={t('hospital')}>{String(d.hospital)}</Descriptions.Item> : null}
            {d.priority !== undefined ? <Descriptions.Item label={t('priority')}>{String(d.priority)}</Descriptions.Item> : null}
            <Descriptions.Item label={t('ruleVersion')}>
              <code>{c.ruleVersion}</code>
            </Descriptions.Item>
            {c.closedAt ? <Descriptions.Item label={t('closedAt')}>{formatDateTime(c.closedAt, lang)}</Descriptions.Item> : null}
          </Descriptions>
        </Card>
        <Card title={<h2 className="card-h">{t('personSummary')}</h2>} size="small" extra={<PersonEditButton personId={p.personId} onSaved={() => void reload()} />}>
          <Descriptions column={1} size="small" className="kv">
            <Descriptions.Item label={t('name')}>{p.name}</Descriptions.Item>
            <Descriptions.Item label={t('sex')}>{p.sex === 'F' ? t('sexF') : t('sexM')}</Descriptions.Item>
            <Descriptions.Item label={t('age')}>{t('ageYears', { n: p.age })}</Descriptions.Item>
            <Descriptions.Item label={t('residentId')}>
              <span className="mono" aria-label={`${t('residentId')} ${p.residentId.replace(/\*/g, '＊')}`}>
                {p.residentId}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('disability')}>
              {p.disabilityCategory ? (
                `${disabilityLabel(lang, String(p.disabilityCategory))} · ${p.disabilityGrade ?? '—'}`
              ) : masked ? (
                <span className="muted">{t('disabilityHidden')}</span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('hardship')}>{p.hardship?.length ? p.hardship.map((h) => hardshipLabel(lang, h)).join('、') : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('phone')}>{p.phone ?? (masked ? <span className="muted">{t('disabilityHidden')}</span> : '—')}</Descriptions.Item>
          </Descriptions>
        </Card>
      </div>

      {c.programme === 'child_rehab' ? (
        <section aria-labelledby="rehab-year-h" style={{ marginTop: 16 }}>
          <h2 id="rehab-year-h" className="section-h">{t('rehabYearTitle')}</h2>
          <RehabServiceYear caseId={c.caseId} refresh={data.timeline.length} />
        </section>
      ) : null}

      <section aria-labelledby="open-tasks-h" style={{ marginTop: 16 }}>
        <h2 id="open-tasks-h" className="section-h">
          {t('openTasks')}
        </h2>
        {openTasks.length === 0 ? <p className="muted">{t('noOpenTasks')}</p> : openTasks.map((task) => <TaskCard key={task.taskId} task={task} detail={data} user={user} reload={() => void reload()} />)}
      </section>

      <section aria-labelledby="timeline-h" style={{ marginTop: 16 }}>
        <h2 id="timeline-h" className="section-h">
          {t('timeline')}
        </h2>
        <Card size="small">
          {data.timeline.length === 0 ? (
            <p className="muted">{t('timelineEmpty')}</p>
          ) : (
            <Timeline
              items={data.timeline.map((e) => {
                const summary = dataSummary(e.data, t, lang, e.step);
                return {
                  key: e.seq,
                  color: e.type === 'task_escalated' || e.decision === 'reject' ? 'red' : e.type === 'case_closed' ? 'gray' : 'blue',
                  content: (
                    <div>
                      <div>
                        <strong>{eventLabel(lang, e.type)}</strong>
                        {e.step ? ` · ${stepLabel(lang, e.step)}` : ''}
                        {e.decision ? ` · ${e.type === 'case_closed' ? outcomeLabel(lang, e.decision) : decisionLabel(lang, e.decision)}` : ''}
                      </div>
                      <div className="timeline-meta">
                        <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                        {e.actor ? ` · ${e.actor.name}（${roleLabel(lang, e.actor.role)}）` : ''}
                      </div>
                      {e.reason ? (
                        <div>
                          {t('reason')}：{e.reason}
                        </div>
                      ) : null}
                      {summary ? <div className="muted small">{summary}</div> : null}
                    </div>
                  ),
                };
              })}
            />
          )}
        </Card>
      </section>

      <section aria-labelledby="deliveries-h" style={{ marginTop: 16 }}>
        <h2 id="deliveries-h" className="section-h">
          {t('deliveries')}
        </h2>
        <CaseDeliveries caseId={data.case.caseId} />
      </section>
    </>
  );
}
