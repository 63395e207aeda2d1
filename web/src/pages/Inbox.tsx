import { App, Button, Segmented, Select, Space, Table } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, qs } from '../api';
import { EmptyState, ErrorAlert, errorMessage, PageHeader, Tone } from '../components/common';
import { DueCell } from '../components/TaskBits';
import { useKeyset } from '../hooks';
import { useI18n } from '../i18n';
import { CATARACT_STEPS, programmeLabel, roleLabel, stepLabel } from '../labels';
import type { Task } from '../types';

export function InboxPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [view, setView] = useState<'all' | 'mine' | 'claimable'>('all');
  const [programme, setProgramme] = useState<string | undefined>();
  const [step, setStep] = useState<string | undefined>();
  const [due, setDue] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | null>(null);
  const url = `/inbox${qs({ view, programme, step, due, kind, limit: 20 })}`;
  const list = useKeyset<Task>(url);

  const claim = async (task: Task) => {
    setBusy(task.taskId);
    try {
      await api(`/cases/${task.caseId}/tasks/${task.taskId}/claim`, { method: 'POST', body: {} });
      message.success(t('claimed'));
      list.reload();
    } catch (e) {
      message.error(t('actionRefused', { message: errorMessage(e, lang, t('networkError')) }));
    } finally {
      setBusy(null);
    }
  };

  const columns = useMemo(
    () => [
      {
        title: t('caseNo'),
        dataIndex: 'caseNo',
        render: (_: unknown, r: Task) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link>,
      },
      { title: t('person'), dataIndex: 'personName' },
      {
        title: t('step'),
        dataIndex: 'step',
        render: (_: unknown, r: Task) => (
          <span>
            {stepLabel(lang, r.step)}
            <div className="muted small">{programmeLabel(lang, r.programme)}</div>
          </span>
        ),
      },
      { title: t('dueDate'), dataIndex: 'dueDate', render: (_: unknown, r: Task) => <DueCell task={r} /> },
      {
        title: t('assignee'),
        dataIndex: 'assigneeName',
        render: (_: unknown, r: Task) => (r.assigneeUserId ? r.assigneeName : <Tone tone="blue">{t('claimable')} · {roleLabel(lang, r.assigneeRole)}</Tone>),
      },
      {
        title: t('actions'),
        key: 'actions',
        render: (_: unknown, r: Task) => (
          <Space wrap>
            <Link to={r.kind === 'followup' ? `/app/cases/${r.caseId}/tasks/${r.taskId}` : `/app/cases/${r.caseId}`} aria-label={`${t('open')} ${r.caseNo} ${stepLabel(lang, r.step)}`}>
              {t('open')}
            </Link>
            {r.claimable ? (
              <Button size="small" loading={busy === r.taskId} onClick={() => void claim(r)} aria-label={`${t('claim')} ${r.caseNo} ${stepLabel(lang, r.step)}`}>
                {t('claim')}
              </Button>
            ) : null}
          </Space>
        ),
      },
    ],
    [t, lang, busy], // eslint-disable-line react-hooks/exhaustive-deps
  );

  return (
    <>
      <PageHeader title={t('inboxTitle')} intro={t('inboxIntro')} />
      <div className="filters" role="group" aria-label={t('search')}>
        <div className="filter-field">
          <span id="f-view" className="filter-label">{t('filterView')}</span>
          <Segmented
            aria-labelledby="f-view"
            value={view}
            onChange={(v) => setView(v as typeof view)}
            options={[
              { value: 'all', label: t('viewAll') },
              { value: 'mine', label: t('viewMine') },
              { value: 'claimable', label: t('viewClaimable') },
            ]}
          />
        </div>
        <div className="filter-field">
          <label htmlFor="f-programme">{t('filterProgramme')}</label>
          <Select id="f-programme" allowClear placeholder={t('all')} style={{ width: 160 }} value={programme} onChange={setProgramme} options={[{ value: 'cataract', label: programmeLabel(lang, 'cataract') }]} />
        </div>
        <div className="filter-field">
          <label htmlFor="f-step">{t('filterStep')}</label>
          <Select id="f-step" allowClear placeholder={t('all')} style={{ width: 190 }} value={step} onChange={setStep} options={CATARACT_STEPS.map((s) => ({ value: s, label: stepLabel(lang, s) }))} />
        </div>
        <div className="filter-field">
          <label htmlFor="f-due">{t('filterDue')}</label>
          <Select
            id="f-due"
            allowClear
            placeholder={t('all')}
            style={{ width: 160 }}
            value={due}
            onChange={setDue}
            options={[
              { value: 'overdue', label: t('dueOverdue') },
              { value: 'today', label: t('dueToday') },
              { value: 'week', label: t('dueWeek') },
            ]}
          />
        </div>
        <div className="filter-field">
          <label htmlFor="f-kind">{t('filterKind')}</label>
          <Select
            id="f-kind"
            allowClear
            placeholder={t('all')}
            style={{ width: 130 }}
            value={kind}
            onChange={setKind}
            options={[
              { value: 'approval', label: t('kindApproval') },
              { value: 'record', label: t('kindRecord') },
              { value: 'followup', label: t('kindFollowup') },
            ]}
          />
        </div>
      </div>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<Task>
        rowKey="taskId"
        columns={columns}
        dataSource={list.items}
        loading={list.loading && !list.items.length}
        pagination={false}
        scroll={{ x: 760 }}
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        locale={{ emptyText: list.loaded ? <EmptyState text={t('inboxEmpty')} /> : <span className="empty-text">{t('loading')}</span> }}
      />
      <div className="load-more">
        {list.hasMore ? (
          <Button onClick={list.loadMore} loading={list.loading}>
            {t('loadMore')}
          </Button>
        ) : list.loaded && list.items.length ? (
          <span className="muted">{t('noMore')}</span>
        ) : null}
      </div>
    </>
  );
}
