/**
 * Manager dashboard, computed in the browser from what the api offers today: the case list
 * (GET /cases, open and recently closed) and each case's tasks (GET /cases/:id/tasks), plus my
 * own overdue inbox. Bounded to MAX_CASES so it stays quick; the monitoring API (issue 7) will
 * compute these figures on the server.
 */
import { Button, Card, Collapse, Statistic, Table } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, pool } from '../api';
import { Chart } from '../components/Chart';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { DueCell } from '../components/TaskBits';
import { addDays, daysBetween, formatDate, mondayOf, shanghaiToday } from '../format';
import { useI18n } from '../i18n';
import { programmeLabel, roleLabel, stepLabel } from '../labels';
import type { CaseSummary, Page, Task } from '../types';

const MAX_CASES = 300;
const WEEKS = 8;

const shortDay = (day: string, lang: 'zh-CN' | 'en') => {
  const [, m, d] = day.split('-').map(Number);
  return lang === 'en' ? `${d}/${m}` : `${m}月${d}日`;
};

async function allCases(status: 'open' | 'closed', max: number): Promise<{ items: CaseSummary[]; truncated: boolean }> {
  const items: CaseSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<CaseSummary> = await api(`/cases?status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items: items.slice(0, max), truncated: !!cursor };
}

interface Data {
  open: CaseSummary[];
  closed: CaseSummary[];
  tasks: (Task & { caseNo: string; personName: string })[];
  truncated: boolean;
}

export function DashboardPage() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const [open, closed] = await Promise.all([allCases('open', MAX_CASES), allCases('closed', 200)]);
      const since = addDays(shanghaiToday(), -7 * WEEKS);
      const recentClosed = closed.items.filter((c) => c.closedAt && c.closedAt.slice(0, 10) >= since);
      const sample = [...open.items, ...recentClosed].slice(0, MAX_CASES);
      const byCase = new Map(sample.map((c) => [c.caseId, c]));
      const lists = await pool(sample, 4, (c) => api<Task[]>(`/cases/${c.caseId}/tasks`).catch(() => [] as Task[]));
      const tasks = lists.flat().map((x) => ({ ...x, caseNo: byCase.get(x.caseId)?.caseNo ?? '', personName: byCase.get(x.caseId)?.personName ?? '' }));
      // My own overdue inbox (e.g. a county officer's) may hold tasks of cases beyond the sample.
      const mine = await api<Page<Task>>('/inbox?due=overdue&limit=100').catch(() => ({ items: [] as Task[], nextCursor: null }));
      const seen = new Set(tasks.map((x) => x.taskId));
      for (const x of mine.items) if (!seen.has(x.taskId)) tasks.push({ ...x, caseNo: x.caseNo ?? '', personName: x.personName ?? '' });
      setData({ open: open.items, closed: closed.items, tasks, truncated: open.truncated || sample.length >= MAX_CASES });
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const today = shanghaiToday();
  const view = useMemo(() => {
    if (!data) return null;
    const overdue = data.tasks.filter((x) => x.status === 'open' && x.overdue).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    const byProgramme = new Map<string, number>();
    const byStep = new Map<string, number>();
    for (const c of data.open) {
      byProgramme.set(c.programme, (byProgramme.get(c.programme) ?? 0) + 1);
      byStep.set(c.step, (byStep.get(c.step) ?? 0) + 1);
    }
    const closed30 = data.closed.filter((c) => c.closedAt && daysBetween(c.closedAt.slice(0, 10), today) <= 30).length;
    const weeks: { week: string; due: number; onTime: number; late: number; rate: number | null }[] = [];
    const first = addDays(mondayOf(today), -7 * (WEEKS - 1));
    for (let i = 0; i < WEEKS; i++) {
      const w = addDays(first, 7 * i);
      const end = addDays(w, 6);
      const due = data.tasks.filter((x) => x.status !== 'cancelled' && x.dueDate >= w && x.dueDate <= end);
      const onTime = due.filter((x) => x.status === 'completed' && x.completedAt && x.completedAt <= x.dueAt).length;
      const late = due.filter((x) => (x.status === 'completed' && x.completedAt && x.completedAt > x.dueAt) || (x.status === 'open' && x.overdue)).length;
      weeks.push({ week: w, due: due.length, onTime, late, rate: onTime + late ? Math.round((onTime / (onTime + late)) * 100) : null });
    }
    return { overdue, byProgramme, byStep, closed30, weeks };
  }, [data, today]);

  const trend = useMemo(() => {
    if (!view) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('dueTasks'), t('onTime'), t('onTimeRate')], top: 0, textStyle: { color: '#262626' } },
      grid: { left: 48, right: 48, bottom: 32, top: 64 },
      xAxis: { type: 'category', data: view.weeks.map((w) => shortDay(w.week, lang)), axisLabel: { color: '#262626', interval: 0 } },
      yAxis: [
        { type: 'value', name: t('dueTasks'), minInterval: 1, axisLabel: { color: '#262626' } },
        { type: 'value', name: '%', min: 0, max: 100, axisLabel: { color: '#262626' } },
      ],
      series: [
        { name: t('dueTasks'), type: 'bar', data: view.weeks.map((w) => w.due), itemStyle: { color: '#91caff' } },
        { name: t('onTime'), type: 'bar', data: view.weeks.map((w) => w.onTime), itemStyle: { color: '#237804' } },
        { name: t('onTimeRate'), type: 'line', yAxisIndex: 1, data: view.weeks.map((w) => w.rate), itemStyle: { color: '#0958d9' }, connectNulls: true },
      ],
    };
  }, [view, t, lang]);
  const stepsChart = useMemo(() => {
    if (!view) return null;
    const entries = [...view.byStep.entries()].sort((a, b) => b[1] - a[1]);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 140, right: 24, bottom: 24, top: 16 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#262626' } },
      yAxis: { type: 'category', data: entries.map(([s]) => stepLabel(lang, s)), axisLabel: { color: '#262626' } },
      series: [{ type: 'bar', data: entries.map(([, n]) => n), itemStyle: { color: '#0958d9' }, name: t('openCases') }],
    };
  }, [view, t, lang]);

  return (
    <>
      <PageHeader
        title={t('dashboardTitle')}
        intro={t('dashboardIntro', { n: MAX_CASES })}
        extra={
          <Button onClick={() => void load()} loading={loading}>
            {t('retry')}
          </Button>
        }
      />
      {error ? <ErrorAlert error={error} onRetry={() => void load()} /> : null}
      {!data && loading ? <Loading /> : null}
      {data && view ? (
        <>
          {data.truncated ? <p className="muted">{t('truncated', { n: MAX_CASES })}</p> : null}
          <div className="stat-grid">
            <Card size="small">
              <Statistic title={t('openCases')} value={data.open.length} />
            </Card>
            <Card size="small">
              <Statistic title={t('overdueTasks')} value={view.overdue.length} styles={{ content: { color: view.overdue.length ? '#a8071a' : undefined } }} />
            </Card>
            <Card size="small">
              <Statistic title={t('closed30')} value={view.closed30} />
            </Card>
            {[...view.byProgramme.entries()].map(([p, n]) => (
              <Card size="small" key={p}>
                <Statistic title={`${t('openByProgramme')}：${programmeLabel(lang, p)}`} value={n} />
              </Card>
            ))}
          </div>

          <Card title={<h2 className="card-h">{t('overdueList')}</h2>} size="small" style={{ marginBottom: 16 }}>
            {view.overdue.length === 0 ? (
              <EmptyState text={t('overdueListEmpty')} />
            ) : (
              <Table
                rowKey="taskId"
                size="small"
                pagination={false}
                scroll={{ x: 720 }}
                dataSource={view.overdue}
                columns={[
                  { title: t('caseNo'), dataIndex: 'caseNo', render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo || r.caseId.slice(0, 8)}</Link> },
                  { title: t('person'), dataIndex: 'personName' },
                  { title: t('step'), dataIndex: 'step', render: (v) => stepLabel(lang, v) },
                  { title: t('assignee'), dataIndex: 'assigneeName', render: (v, r) => v ?? `${t('claimable')} · ${roleLabel(lang, r.assigneeRole)}` },
                  {
                    title: t('dueDate'),
                    dataIndex: 'dueDate',
                    render: (_, r) => (
                      <span>
                        <DueCell task={r} /> <span className="muted small">{t('overdueSince', { n: Math.max(0, daysBetween(r.dueDate, today)) })}</span>
                      </span>
                    ),
                  },
                  {
                    title: t('actions'),
                    key: 'a',
                    render: (_, r) => (
                      <Link to={`/app/cases/${r.caseId}`} aria-label={`${t('reassign')}：${r.caseNo} ${stepLabel(lang, r.step)}`}>
                        {t('reassign')}
                      </Link>
                    ),
                  },
                ]}
              />
            )}
          </Card>

          <div className="card-grid">
            <Card title={<h2 className="card-h">{t('slaTrend')}</h2>} size="small">
              <p className="muted small">{t('slaTrendDesc')}</p>
              {trend ? <Chart option={trend} label={t('slaTrend')} /> : null}
              <Collapse
                size="small"
                items={[
                  {
                    key: 'table',
                    label: t('showTable'),
                    children: (
                      <Table
                        size="small"
                        rowKey="week"
                        pagination={false}
                        dataSource={view.weeks}
                        columns={[
                          { title: t('weekOf'), dataIndex: 'week', render: (v) => formatDate(v, lang) },
                          { title: t('dueTasks'), dataIndex: 'due' },
                          { title: t('onTime'), dataIndex: 'onTime' },
                          { title: t('overdue'), dataIndex: 'late' },
                          { title: t('onTimeRate'), dataIndex: 'rate', render: (v) => (v === null ? '—' : `${v}%`) },
                        ]}
                      />
                    ),
                  },
                ]}
              />
            </Card>
            <Card title={<h2 className="card-h">{t('openByStep')}</h2>} size="small">
              {view.byStep.size ? (
                <>
                  {stepsChart ? <Chart option={stepsChart} label={t('openByStep')} height={Math.max(200, view.byStep.size * 36 + 60)} /> : null}
                  <ul className="sr-only">
                    {[...view.byStep.entries()].map(([s, n]) => (
                      <li key={s}>
                        {stepLabel(lang, s)}：{n}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <EmptyState text={t('casesEmpty')} />
              )}
              <p style={{ marginTop: 8 }}>
                <Tone tone="blue">{t('navMonitoring')}</Tone>
                <Link to="/app/monitoring">{t('openMonitoring')}</Link>
              </p>
            </Card>
          </div>
        </>
      ) : null}
    </>
  );
}
