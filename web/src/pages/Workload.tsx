/**
 * Caseworker workload and bulk reassignment (issue 7): per person, the open tasks they hold, due
 * this week and overdue, plus the unclaimed pools (GET /monitoring/workload). A manager moves
 * everything a departed caseworker holds to another person (POST /monitoring/bulk-reassign: a
 * tracked operation), watches its progress (GET /monitoring/operations/:id, polled) until it is
 * done, and sees every case that could not be moved with the reason.
 */
import { App, Button, Card, Form, Input, Modal, Progress, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, qs } from '../api';
import { EmptyState, ErrorAlert, errorMessage, Loading, PageHeader, Tone } from '../components/common';
import { formatDate, formatDateTime } from '../format';
import { useGet } from '../hooks';
import { bilingual, useI18n } from '../i18n';
import { roleLabel } from '../labels';
import { orgOption, useOrgTree } from '../orgs';
import { useSession } from '../session';
import type { Staff } from '../types';

interface Caseworker {
  userId: string;
  name: string | null;
  role: string | null;
  orgUnitCode: string | null;
  active: boolean | null;
  open: number;
  dueThisWeek: number;
  overdue: number;
  oldestSince: string | null;
}
interface Pool {
  role: string;
  orgUnitCode: string;
  orgUnitName: string | null;
  partnerId: string | null;
  partnerName: string | null;
  open: number;
  dueThisWeek: number;
  overdue: number;
}
interface Workload {
  orgUnit: { code: string; name: string };
  today: string;
  weekEnds: string;
  caseworkers: Caseworker[];
  unclaimed: Pool[];
}
interface Failure {
  taskId: string;
  caseId: string;
  caseNo: string;
  code: string;
  reason: string;
}
export interface Operation {
  operationId: string;
  kind: string;
  params: { fromUserId?: string; toUserId?: string; reason?: string | null };
  source: 'workflow' | 'database';
  status: 'running' | 'completed' | string;
  total: number;
  processed: number;
  reassigned: number;
  skipped: number;
  failed: number;
  truncated: boolean;
  failures: Failure[];
  skippedItems: { taskId: string; caseNo: string; reason: string }[];
  startedAt: string;
  finishedAt: string | null;
}
interface OperationRow {
  operationId: string;
  kind: string;
  status: string;
  requestedByName: string | null;
  params: { fromUserId?: string; toUserId?: string };
  total: number;
  processed: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
}

const POLL_MS = 1000;

export const percentOf = (op: Pick<Operation, 'total' | 'processed' | 'status'>) =>
  op.total > 0 ? Math.floor((100 * op.processed) / op.total) : op.status === 'completed' ? 100 : 0;

/** Polls one operation until the workflow says it is completed. */
function useOperation(id: string | null, onFinished: () => void) {
  const [op, setOp] = useState<Operation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => {
    setOp(null);
    setError(null);
    if (!id) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const o = await api<Operation>(`/monitoring/operations/${id}`);
        if (stop) return;
        setOp(o);
        setError(null);
        if (o.status === 'completed') {
          finished.current();
          return;
        }
      } catch (e) {
        if (stop) return;
        setError(e);
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [id]);
  return { op, error };
}

function OperationPanel({ id, names, onFinished }: { id: string; names: Map<string, string>; onFinished(): void }) {
  const { t, lang } = useI18n();
  const { op, error } = useOperation(id, onFinished);
  const who = (uid?: string) => (uid ? (names.get(uid) ?? uid.slice(0, 8)) : '—');
  return (
    <Card size="small" className="operation-panel" title={<h2 className="card-h">{t('bulkProgressTitle')}</h2>} style={{ marginBottom: 16 }}>
      {error ? <ErrorAlert error={error} /> : null}
      {!op && !error ? <Loading /> : null}
      {op ? (
        <>
          <p>
            {t('bulkFromTo', { from: who(op.params.fromUserId), to: who(op.params.toUserId) })}
            {op.params.reason ? <span className="muted">（{op.params.reason}）</span> : null}
          </p>
          <Progress
            percent={percentOf(op)}
            status={op.status === 'completed' ? (op.failed ? 'exception' : 'success') : 'active'}
            aria-label={t('bulkProgressTitle')}
            format={(p) => `${p}%`}
          />
          <p className="operation-status" role="status" aria-live="polite">
            {op.status === 'completed' ? t('bulkDone') : t('bulkRunning')} ·{' '}
            {t('bulkCounts', { processed: op.processed, total: op.total, reassigned: op.reassigned, skipped: op.skipped, failed: op.failed })}
          </p>
          {op.truncated ? <p className="muted small">{t('bulkTruncated')}</p> : null}
          {op.source === 'database' ? <p className="muted small">{t('bulkFromDatabase')}</p> : null}
          {op.failures.length ? (
            <>
              <h3 className="section-h">{t('bulkFailures', { n: op.failures.length })}</h3>
              <Table<Failure>
                rowKey="taskId"
                size="small"
                className="bulk-failures"
                pagination={op.failures.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                dataSource={op.failures}
                scroll={{ x: 640 }}
                columns={[
                  { title: t('caseNo'), dataIndex: 'caseNo', width: 160, render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link> },
                  { title: t('code'), dataIndex: 'code', width: 170, render: (v) => <span className="mono">{v}</span> },
                  { title: t('reason'), dataIndex: 'reason', render: (v: string) => errorText(v, lang) },
                ]}
              />
            </>
          ) : null}
          {op.skippedItems.length ? (
            <>
              <h3 className="section-h">{t('bulkSkipped', { n: op.skippedItems.length })}</h3>
              <ul className="plain-list">
                {op.skippedItems.map((s) => (
                  <li key={s.taskId}>
                    {s.caseNo}：{bilingual(s.reason, lang)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

/** A per-case refusal (often the workflow's English) shown like the other refusals of the app. */
function errorText(reason: string, lang: 'zh-CN' | 'en'): string {
  // errorMessage knows the workflow's common refusals (and splits "中文 / English").
  return errorMessage(new ApiError(422, 'REFUSED', reason), lang, reason);
}

function BulkReassign({ workload, from, setFrom, onStarted }: { workload: Workload; from: string | undefined; setFrom(v: string | undefined): void; onStarted(id: string): void }) {
  const { t, lang } = useI18n();
  const [to, setTo] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [staff, setStaff] = useState<Staff[] | null>(null);
  const [staffError, setStaffError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const person = workload.caseworkers.find((c) => c.userId === from);

  useEffect(() => {
    setTo(undefined);
    setStaff(null);
    setStaffError(null);
    if (!person?.role) return;
    // The case workflows accept a new assignee of the task's role: offer people of the same role.
    api<{ items: Staff[] }>(`/staff${qs({ role: person.role })}`)
      .then((r) => setStaff(r.items.filter((s) => s.id !== person.userId)))
      .catch(setStaffError);
  }, [person?.userId, person?.role]);

  const target = staff?.find((s) => s.id === to);
  const start = async () => {
    if (!from || !to) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ operationId: string }>('/monitoring/bulk-reassign', { method: 'POST', body: { fromUserId: from, toUserId: to, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      setConfirming(false);
      setFrom(undefined);
      setTo(undefined);
      setReason('');
      onStarted(r.operationId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={<h2 className="card-h">{t('bulkTitle')}</h2>} style={{ marginBottom: 16 }}>
      <Typography.Paragraph className="muted">{t('bulkIntro')}</Typography.Paragraph>
      <Form layout="vertical" name="bulk-reassign" className="form-grid bulk-form" onFinish={() => setConfirming(true)}>
        <Form.Item label={t('bulkFrom')} htmlFor="bulk-from">
          <Select
            id="bulk-from"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('reassignPick')}
            value={from}
            onChange={setFrom}
            options={workload.caseworkers.map((c) => ({
              value: c.userId,
              label: `${c.name ?? c.userId}（${roleLabel(lang, c.role)}，${t('openN', { n: c.open })}${c.active === false ? `，${t('inactive')}` : ''}）`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('bulkTo')} htmlFor="bulk-to" help={person && staff && staff.length === 0 ? t('reassignNone') : undefined}>
          <Select
            id="bulk-to"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('reassignPick')}
            disabled={!person}
            loading={!!person && staff === null && !staffError}
            value={to}
            onChange={setTo}
            options={(staff ?? []).map((s) => ({ value: s.id, label: `${s.displayName}（${s.orgName}，${roleLabel(lang, s.role)}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('reassignNote')} htmlFor="bulk-reason">
          <Input id="bulk-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Form.Item>
        <Form.Item label={<span aria-hidden>&nbsp;</span>} colon={false}>
          <Button type="primary" htmlType="submit" disabled={!from || !to}>
            {t('bulkStart')}
          </Button>
        </Form.Item>
      </Form>
      {staffError ? <ErrorAlert error={staffError} /> : null}
      <Modal
        open={confirming}
        title={t('bulkConfirmTitle')}
        onCancel={() => setConfirming(false)}
        onOk={() => void start()}
        okText={t('bulkConfirmOk')}
        cancelText={t('cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <p>{t('bulkConfirmBody', { from: person?.name ?? '', n: person?.open ?? 0, to: target?.displayName ?? '' })}</p>
        {person?.overdue ? <p className="overdue-text">{t('bulkConfirmOverdue', { n: person.overdue })}</p> : null}
        {error ? <ErrorAlert error={error} /> : null}
      </Modal>
    </Card>
  );
}

export function WorkloadPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const [orgUnitCode, setOrgUnitCode] = useState<string | undefined>(user?.orgUnitCode);
  const { flat, error: orgError } = useOrgTree();
  const workload = useGet<Workload>(`/monitoring/workload${qs({ orgUnitCode })}`);
  const operations = useGet<{ items: OperationRow[] }>('/monitoring/operations');
  const [opId, setOpId] = useState<string | null>(null);
  const [from, setFrom] = useState<string | undefined>();
  const [staffNames, setStaffNames] = useState<Map<string, string>>(new Map());
  const canBulk = user?.role === 'manager';
  const orgName = useMemo(() => new Map(flat.map((o) => [o.code, o.name])), [flat]);

  // Names for the operations' from/to ids: the workload's people and the staff in scope.
  useEffect(() => {
    api<{ items: Staff[] }>('/staff')
      .then((r) => setStaffNames(new Map(r.items.map((s) => [s.id, s.displayName]))))
      .catch(() => undefined);
  }, []);
  const names = useMemo(() => {
    const m = new Map(staffNames);
    for (const c of workload.data?.caseworkers ?? []) if (c.name) m.set(c.userId, c.name);
    return m;
  }, [staffNames, workload.data]);

  const reloadWorkload = workload.reload;
  const reloadOperations = operations.reload;
  const finished = useCallback(() => {
    void reloadWorkload();
    void reloadOperations();
  }, [reloadWorkload, reloadOperations]);

  return (
    <>
      <PageHeader title={t('workloadTitle')} intro={t('workloadIntro')} />
      <div className="filters">
        <div className="filter-field">
          <label htmlFor="workload-org">{t('orgUnit')}</label>
          <Select
            id="workload-org"
            style={{ width: 280, maxWidth: '100%' }}
            showSearch={{ optionFilterProp: 'label' }}
            value={orgUnitCode}
            onChange={setOrgUnitCode}
            loading={!flat.length && !orgError}
            options={flat.length ? flat.map(orgOption) : user ? [{ value: user.orgUnitCode, label: user.orgName ?? user.orgUnitCode }] : []}
          />
        </div>
      </div>
      {workload.error ? <ErrorAlert error={workload.error} onRetry={workload.reload} /> : null}
      {workload.loading && !workload.data ? <Loading /> : null}
      {workload.data ? (
        <div className="workload-live">
          <Card size="small" title={<h2 className="card-h">{t('workloadPeople')}</h2>} style={{ marginBottom: 16 }}>
            <p className="muted small">{t('workloadWeek', { date: formatDate(workload.data.weekEnds, lang) })}</p>
            <Table<Caseworker>
              rowKey="userId"
              size="small"
              className="workload-table"
              pagination={workload.data.caseworkers.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={{ x: 860 }}
              dataSource={workload.data.caseworkers}
              locale={{ emptyText: <EmptyState text={t('workloadEmpty')} /> }}
              columns={[
                {
                  title: t('name'),
                  dataIndex: 'name',
                  render: (v, r) => (
                    <>
                      {v ?? r.userId} {r.active === false ? <Tone tone="grey">{t('inactive')}</Tone> : null}
                    </>
                  ),
                },
                { title: t('role'), dataIndex: 'role', width: 140, render: (v) => roleLabel(lang, v) },
                { title: t('orgUnit'), dataIndex: 'orgUnitCode', width: 140, render: (v) => (v ? (orgName.get(v) ?? v) : '—') },
                { title: t('openTasksN'), dataIndex: 'open', width: 90, align: 'right' },
                { title: t('dueThisWeek'), dataIndex: 'dueThisWeek', width: 100, align: 'right' },
                { title: t('overdue'), dataIndex: 'overdue', width: 80, align: 'right', render: (v: number) => (v ? <span className="overdue-text">{v}</span> : v) },
                { title: t('oldestSince'), dataIndex: 'oldestSince', width: 150, render: (v) => formatDate(v, lang) },
                ...(canBulk
                  ? [
                      {
                        title: t('actions'),
                        key: 'a',
                        width: 120,
                        render: (_: unknown, r: Caseworker) => (
                          <Button size="small" onClick={() => {
                            setFrom(r.userId);
                            // The form is below the table: take the keyboard user there.
                            requestAnimationFrame(() => document.getElementById('bulk-from')?.focus());
                          }} aria-label={`${t('bulkHandOver')}：${r.name ?? r.userId}`}>
                            {t('bulkHandOver')}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
          {canBulk ? (
            <BulkReassign
              workload={workload.data}
              from={from}
              setFrom={setFrom}
              onStarted={(id) => {
                setOpId(id);
                message.success(t('bulkStarted'));
                void reloadOperations();
              }}
            />
          ) : null}
          {opId ? <OperationPanel id={opId} names={names} onFinished={finished} /> : null}
          <Card size="small" title={<h2 className="card-h">{t('workloadPools')}</h2>} style={{ marginBottom: 16 }}>
            <Table<Pool>
              rowKey={(r) => `${r.role}:${r.orgUnitCode}:${r.partnerId ?? ''}`}
              size="small"
              pagination={false}
              scroll={{ x: 640 }}
              dataSource={workload.data.unclaimed}
              locale={{ emptyText: <EmptyState text={t('empty')} /> }}
              columns={[
                { title: t('role'), dataIndex: 'role', render: (v) => roleLabel(lang, v) },
                { title: t('orgUnit'), dataIndex: 'orgUnitName', render: (v, r) => r.partnerName ?? v ?? r.orgUnitCode },
                { title: t('openTasksN'), dataIndex: 'open', width: 90, align: 'right' },
                { title: t('dueThisWeek'), dataIndex: 'dueThisWeek', width: 100, align: 'right' },
                { title: t('overdue'), dataIndex: 'overdue', width: 80, align: 'right', render: (v: number) => (v ? <span className="overdue-text">{v}</span> : v) },
              ]}
            />
          </Card>
        </div>
      ) : null}
      <Card size="small" title={<h2 className="card-h">{t('operationsTitle')}</h2>}>
        {operations.error ? <ErrorAlert error={operations.error} onRetry={operations.reload} /> : null}
        <Table<OperationRow>
          rowKey="operationId"
          size="small"
          pagination={false}
          scroll={{ x: 760 }}
          loading={operations.loading && !operations.data}
          dataSource={operations.data?.items ?? []}
          locale={{ emptyText: <EmptyState text={t('operationsEmpty')} /> }}
          columns={[
            { title: t('startedAt'), dataIndex: 'createdAt', width: 190, render: (v) => formatDateTime(v, lang) },
            { title: t('requestedBy'), dataIndex: 'requestedByName', width: 110, render: (v) => v ?? '—' },
            {
              title: t('bulkFromToShort'),
              key: 'ft',
              render: (_, r) => `${names.get(r.params.fromUserId ?? '') ?? '—'} → ${names.get(r.params.toUserId ?? '') ?? '—'}`,
            },
            { title: t('status'), dataIndex: 'status', width: 100, render: (v) => (v === 'completed' ? <Tone tone="green">{t('bulkDone')}</Tone> : <Tone tone="blue">{t('bulkRunning')}</Tone>) },
            { title: t('bulkProcessed'), key: 'p', width: 110, render: (_, r) => `${r.processed} / ${r.total}` },
            { title: t('bulkFailedN'), dataIndex: 'failed', width: 80, align: 'right', render: (v: number) => (v ? <span className="overdue-text">{v}</span> : v) },
            {
              title: t('actions'),
              key: 'a',
              width: 90,
              render: (_, r) => (
                <Space>
                  <Button size="small" onClick={() => setOpId(r.operationId)} aria-label={`${t('details')}：${formatDateTime(r.createdAt, lang)}`}>
                    {t('details')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
