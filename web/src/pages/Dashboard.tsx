/**
 * Manager dashboard, computed on the server for my whole scope: GET /monitoring/summary (open cases
 * per programme, overdue, cases closed in 30 days, the weekly SLA compliance trend) and the overdue
 * tasks of GET /monitoring/stuck?category=overdue with their why-stuck lines. The trend chart is
 * described by ECharts' aria label and its numbers are in a table beside it.
 */
import { Button, Card, Collapse, Statistic, Table } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Chart } from '../components/Chart';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { DueCell } from '../components/TaskBits';
import { useGet, useKeyset } from '../hooks';
import { useI18n } from '../i18n';
import { programmeLabel, roleLabel, stepLabel } from '../labels';
import { formatDate } from '../format';

const WEEKS = 12;

export interface SlaWeek {
  weekStart: string;
  weekEnd: string;
  due: number;
  onTime: number;
  late: number;
  pending: number;
  rate: number | null;
}
export interface Summary {
  orgUnit: { code: string; name: string };
  today: string;
  counts: Record<string, number>;
  openCases: { total: number; withOverdueTask: number; closedLast30Days: number; byProgramme: { programme: string; open: number; withOverdueTask: number }[] };
  slaTrend: SlaWeek[];
}
interface OverdueTask {
  taskId: string;
  caseId: string;
  caseNo: string;
  step: string;
  assigneeRole: string;
  assigneeName: string | null;
  orgUnitName: string | null;
  dueAt: string;
  dueDate: string;
  overdueWorkingDays: number;
  why: string;
  whyEn: string;
}

const shortDay = (day: string, lang: 'zh-CN' | 'en') => {
  const [, m, d] = day.split('-').map(Number);
  return lang === 'en' ? `${d}/${m}` : `${m}月${d}日`;
};

export function DashboardPage() {
  const { t, lang } = useI18n();
  const summary = useGet<Summary>(`/monitoring/summary?weeks=${WEEKS}`);
  const overdue = useKeyset<OverdueTask>(summary.data ? '/monitoring/stuck?category=overdue&limit=20' : null);
  const s = summary.data;

  const trend = useMemo(() => {
    if (!s) return null;
    const rated = s.slaTrend.filter((w) => w.rate !== null);
    const last = rated.at(-1);
    return {
      // one sentence instead of ECharts' generated series-by-series text; the numbers are in the table
      aria: { enabled: true, label: { description: t('slaTrendAria', { weeks: s.slaTrend.length, rated: rated.length, last: last ? `${last.rate}%` : '—' }) } },
      tooltip: { trigger: 'axis' },
      legend: { data: [t('dueTasks'), t('onTime'), t('onTimeRate')], top: 0, textStyle: { color: '#262626' } },
      grid: { left: 48, right: 48, bottom: 32, top: 64 },
      xAxis: { type: 'category', data: s.slaTrend.map((w) => shortDay(w.weekStart, lang)), axisLabel: { color: '#262626' } },
      yAxis: [
        { type: 'value', name: t('dueTasks'), minInterval: 1, axisLabel: { color: '#262626' } },
        { type: 'value', name: '%', min: 0, max: 100, axisLabel: { color: '#262626' } },
      ],
      series: [
        { name: t('dueTasks'), type: 'bar', data: s.slaTrend.map((w) => w.due), itemStyle: { color: '#91caff' } },
        { name: t('onTime'), type: 'bar', data: s.slaTrend.map((w) => w.onTime), itemStyle: { color: '#237804' } },
        { name: t('onTimeRate'), type: 'line', yAxisIndex: 1, data: s.slaTrend.map((w) => w.rate), itemStyle: { color: '#0958d9' }, connectNulls: true },
      ],
    };
  }, [s, t, lang]);
  const programmes = useMemo(() => {
    if (!s || !s.openCases.byProgramme.length) return null;
    const rows = s.openCases.byProgramme;
    return {
      aria: {
        enabled: true,
        label: { description: `${t('openByProgramme')}：${rows.map((r) => `${programmeLabel(lang, r.programme)} ${r.open}（${t('withOverdueTask')} ${r.withOverdueTask}）`).join('；')}` },
      },
      tooltip: { trigger: 'axis' },
      legend: { data: [t('openCases'), t('withOverdueTask')], top: 0, textStyle: { color: '#262626' } },
      grid: { left: 140, right: 24, bottom: 24, top: 40 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#262626' } },
      yAxis: { type: 'category', data: rows.map((r) => programmeLabel(lang, r.programme)), axisLabel: { color: '#262626' } },
      series: [
        { type: 'bar', data: rows.map((r) => r.open), itemStyle: { color: '#0958d9' }, name: t('openCases') },
        { type: 'bar', data: rows.map((r) => r.withOverdueTask), itemStyle: { color: '#a8071a' }, name: t('withOverdueTask') },
      ],
    };
  }, [s, t, lang]);

  const reload = () => {
    void summary.reload();
    overdue.reload();
  };

  return (
    <>
      <PageHeader
        title={t('dashboardTitle')}
        intro={s ? t('dashboardIntroServer', { unit: s.orgUnit.name }) : undefined}
        extra={
          <Button onClick={reload} loading={summary.loading}>
            {t('retry')}
          </Button>
        }
      />
      {summary.error ? <ErrorAlert error={summary.error} onRetry={() => void summary.reload()} /> : null}
      {!s && summary.loading ? <Loading /> : null}
      {s ? (
        <>
          <div className="stat-grid">
            <Card size="small">
              <Statistic title={t('openCases')} value={s.openCases.total} />
            </Card>
            <Card size="small">
              <Statistic title={t('overdueTasks')} value={s.counts.overdue ?? 0} styles={{ content: { color: s.counts.overdue ? '#a8071a' : undefined } }} />
            </Card>
            <Card size="small">
              <Statistic title={t('withOverdueTask')} value={s.openCases.withOverdueTask} />
            </Card>
            <Card size="small">
              <Statistic title={t('closed30')} value={s.openCases.closedLast30Days} />
            </Card>
            {s.openCases.byProgramme.map((p) => (
              <Card size="small" key={p.programme}>
                <Statistic title={`${t('openByProgramme')}：${programmeLabel(lang, p.programme)}`} value={p.open} />
              </Card>
            ))}
          </div>

          <Card title={<h2 className="card-h">{t('overdueList')}</h2>} size="small" style={{ marginBottom: 16 }}>
            {overdue.error ? <ErrorAlert error={overdue.error} /> : null}
            {!overdue.items.length && overdue.loading ? <Loading /> : null}
            {!overdue.items.length && !overdue.loading && !overdue.error ? <EmptyState text={t('overdueListEmpty')} /> : null}
            {overdue.items.length ? (
              <>
                <Table
                  rowKey="taskId"
                  size="small"
                  pagination={false}
                  scroll={{ x: 720 }}
                  dataSource={overdue.items}
                  columns={[
                    { title: t('caseNo'), dataIndex: 'caseNo', width: 150, render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link> },
                    { title: t('step'), dataIndex: 'step', width: 110, render: (v) => stepLabel(lang, v) },
                    { title: t('assignee'), dataIndex: 'assigneeName', width: 140, render: (v, r) => v ?? `${t('claimable')} · ${roleLabel(lang, r.assigneeRole)}` },
                    { title: t('dueDate'), dataIndex: 'dueDate', width: 150, render: (_, r) => <DueCell task={{ dueDate: r.dueDate, overdue: true, status: 'open' }} /> },
                    { title: t('why'), dataIndex: 'why', render: (_, r) => (lang === 'en' ? r.whyEn : r.why) },
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
                {overdue.hasMore ? (
                  <Button style={{ marginTop: 8 }} onClick={() => void overdue.loadMore()} loading={overdue.loading}>
                    {t('loadMore')}
                  </Button>
                ) : null}
              </>
            ) : null}
          </Card>

          <div className="card-grid">
            <Card title={<h2 className="card-h">{t('slaTrend')}</h2>} size="small">
              <p className="muted small" id="sla-trend-desc">
                {t('slaTrendDescServer', { weeks: s.slaTrend.length })}
              </p>
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
                        rowKey="weekStart"
                        pagination={false}
                        scroll={{ x: 480 }}
                        dataSource={s.slaTrend}
                        columns={[
                          { title: t('weekOf'), dataIndex: 'weekStart', render: (v) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(v, lang)}</span> },
                          { title: t('dueTasks'), dataIndex: 'due' },
                          { title: t('onTime'), dataIndex: 'onTime' },
                          { title: t('overdue'), dataIndex: 'late' },
                          { title: t('notYetDue'), dataIndex: 'pending' },
                          { title: t('onTimeRate'), dataIndex: 'rate', render: (v) => (v === null ? '—' : `${v}%`) },
                        ]}
                      />
                    ),
                  },
                ]}
              />
            </Card>
            <Card title={<h2 className="card-h">{t('openByProgramme')}</h2>} size="small">
              {programmes ? (
                <>
                  <Chart option={programmes} label={t('openByProgramme')} height={Math.max(200, s.openCases.byProgramme.length * 48 + 80)} />
                  <Table
                    size="small"
                    rowKey="programme"
                    pagination={false}
                    dataSource={s.openCases.byProgramme}
                    columns={[
                      { title: t('programme'), dataIndex: 'programme', render: (v) => programmeLabel(lang, v) },
                      { title: t('openCases'), dataIndex: 'open' },
                      { title: t('withOverdueTask'), dataIndex: 'withOverdueTask' },
                    ]}
                  />
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
