/**
 * Stuck cases and the bottleneck heatmap, read from the monitoring API (issue 7: GET
 * /monitoring/summary, /monitoring/stuck, /monitoring/bottlenecks). Any refusal or failure of
 * that API is shown with the server's reason; there is no stand-in page.
 */
import { Button, Card, Segmented, Statistic, Table } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { qs } from '../api';
import { Chart } from '../components/Chart';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { DueCell } from '../components/TaskBits';
import { useGet, useKeyset } from '../hooks';
import { useI18n, type MsgKey } from '../i18n';
import { programmeLabel, roleLabel, stepLabel } from '../labels';

const CATEGORIES: { key: string; label: MsgKey }[] = [
  { key: 'overdue', label: 'catOverdue' },
  { key: 'no_progress', label: 'catNoProgress' },
  { key: 'followup_overdue', label: 'catFollowupOverdue' },
  { key: 'partner_unacknowledged', label: 'catPartnerUnack' },
];

interface Summary {
  orgUnit: { code: string; name: string };
  counts: Record<string, number>;
}
interface Stuck {
  taskId: string;
  caseId: string;
  caseNo: string;
  step: string;
  assigneeRole: string;
  orgUnitName: string | null;
  partnerName: string | null;
  assigneeName: string | null;
  dueDate: string;
  overdueWorkingDays: number;
  why: string;
  whyEn: string;
}
interface Bottlenecks {
  steps: { programme: string; step: string; completed: number; medianWorkingDays: number | null; p90WorkingDays: number | null; waitingNow: number }[];
  heatmap: {
    orgUnits: { code: string; name: string | null }[];
    cells: { programme: string; step: string; orgUnitCode: string; cases: number }[];
    /** Median and p90 working days per programme × step × org unit (tasks completed this year). */
    durationCells?: { programme: string; step: string; orgUnitCode: string; completed: number; medianWorkingDays: number; p90WorkingDays: number }[];
  };
}

/** What a heatmap cell shows: cases waiting there now, or the median / p90 working days spent there. */
type HeatValue = 'waiting' | 'median' | 'p90';
const HEAT_VALUES: { key: HeatValue; label: MsgKey }[] = [
  { key: 'waiting', label: 'waitingNow' },
  { key: 'median', label: 'heatMedianDays' },
  { key: 'p90', label: 'heatP90Days' },
];

/** Working days as the server computed them (a p90 may be interpolated): at most one decimal. */
const days = (v: number | null | undefined): number | string => (v === null || v === undefined ? '—' : Math.round(v * 10) / 10);

export function MonitoringPage() {
  const { t, lang } = useI18n();
  const [category, setCategory] = useState('overdue');
  const summary = useGet<Summary>('/monitoring/summary');
  const stuck = useKeyset<Stuck>(!summary.data ? null : `/monitoring/stuck${qs({ category, limit: 20 })}`);
  const bottlenecks = useGet<Bottlenecks>(!summary.data ? null : '/monitoring/bottlenecks');

  const [heatValue, setHeatValue] = useState<HeatValue>('waiting');

  const heat = useMemo(() => {
    const b = bottlenecks.data;
    if (!b) return null;
    const cells =
      heatValue === 'waiting'
        ? b.heatmap.cells.map((c) => ({ programme: c.programme, step: c.step, orgUnitCode: c.orgUnitCode, value: c.cases }))
        : (b.heatmap.durationCells ?? []).map((c) => ({ programme: c.programme, step: c.step, orgUnitCode: c.orgUnitCode, value: Number(days(heatValue === 'median' ? c.medianWorkingDays : c.p90WorkingDays)) }));
    if (!cells.length) return null;
    // one row per programme × step (programmes share step codes such as county_approval: a row
    // per code alone would draw two programmes' cells on top of each other), one column per unit.
    // Steps run down the side, where their names stay readable however many there are.
    const key = (c: { programme: string; step: string }) => `${c.programme}:${c.step}`;
    const rows = [...new Map(cells.map((c) => [key(c), c])).values()];
    const steps = rows.map(key);
    const shared = new Set(rows.filter((c) => rows.some((o) => o.step === c.step && o.programme !== c.programme)).map(key));
    const rowLabel = (c: { programme: string; step: string }) => (shared.has(key(c)) ? `${stepLabel(lang, c.step)}（${programmeLabel(lang, c.programme)}）` : stepLabel(lang, c.step));
    const units = b.heatmap.orgUnits;
    const max = Math.max(...cells.map((c) => c.value));
    const label = HEAT_VALUES.find((v) => v.key === heatValue)!.label;
    return {
      height: Math.max(220, steps.length * 30 + 110),
      option: {
        tooltip: { position: 'top' },
        grid: { left: 8, right: 24, top: 16, bottom: 70, containLabel: true },
        xAxis: { type: 'category', position: 'top', data: units.map((u) => u.name ?? u.code), splitArea: { show: true }, axisLabel: { color: '#262626', interval: 0 } },
        yAxis: { type: 'category', inverse: true, data: rows.map(rowLabel), splitArea: { show: true }, axisLabel: { color: '#262626', interval: 0 } },
        visualMap: { min: 0, max: Math.max(1, max), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#e6f4ff', '#0958d9', '#a8071a'] }, textStyle: { color: '#262626' } },
        series: [
          {
            name: t(label),
            type: 'heatmap',
            data: cells.map((c) => [units.findIndex((u) => u.code === c.orgUnitCode), steps.indexOf(key(c)), c.value]),
            label: { show: true, color: '#000' },
          },
        ],
      },
    };
  }, [bottlenecks.data, heatValue, lang, t]);

  return (
    <>
      <PageHeader title={t('monitoringTitle')} intro={t('monitoringIntro')} />
      {summary.error ? <ErrorAlert error={summary.error} onRetry={summary.reload} /> : null}
      {summary.loading && !summary.data ? <Loading /> : null}
      {summary.data ? (
        <div className="monitoring-live">
          <div className="stat-grid">
            {CATEGORIES.map((c) => (
              <Card size="small" key={c.key}>
                <Statistic title={t(c.label)} value={summary.data!.counts[c.key] ?? 0} styles={{ content: { color: summary.data!.counts[c.key] ? '#a8071a' : undefined } }} />
              </Card>
            ))}
          </div>
          <Card size="small" title={<h2 className="card-h">{t('stuckList')}</h2>} style={{ marginBottom: 16 }}>
            <Segmented
              aria-label={t('stuckList')}
              value={category}
              onChange={(v) => setCategory(String(v))}
              options={CATEGORIES.map((c) => ({ value: c.key, label: `${t(c.label)}（${summary.data!.counts[c.key] ?? 0}）` }))}
              style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
            />
            {stuck.error ? <ErrorAlert error={stuck.error} onRetry={stuck.reload} /> : null}
            <Table<Stuck>
              rowKey="taskId"
              size="small"
              pagination={false}
              scroll={{ x: 1000 }}
              loading={stuck.loading && !stuck.items.length}
              dataSource={stuck.items}
              locale={{ emptyText: stuck.loaded ? <EmptyState text={t('stuckEmpty')} /> : <span className="empty-text">{t('loading')}</span> }}
              columns={[
                { title: t('caseNo'), dataIndex: 'caseNo', width: 150, render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link> },
                { title: t('step'), dataIndex: 'step', width: 120, render: (v) => stepLabel(lang, v) },
                { title: t('orgUnit'), dataIndex: 'orgUnitName', width: 100 },
                { title: t('assignee'), key: 'who', width: 120, render: (_, r) => r.assigneeName ?? r.partnerName ?? <Tone tone="blue">{t('claimable')} · {roleLabel(lang, r.assigneeRole)}</Tone> },
                { title: t('dueDate'), dataIndex: 'dueDate', width: 150, render: (_, r) => <DueCell task={{ dueDate: r.dueDate, overdue: r.overdueWorkingDays > 0, status: 'open' }} /> },
                { title: t('why'), dataIndex: 'why', render: (_, r) => (lang === 'en' ? r.whyEn : r.why) },
                { title: t('actions'), key: 'a', width: 80, render: (_, r) => <Link to={`/app/cases/${r.caseId}`} aria-label={`${t('handle')}：${r.caseNo}`}>{t('handle')}</Link> },
              ]}
            />
            {stuck.hasMore ? (
              <div className="load-more">
                <Button onClick={stuck.loadMore} loading={stuck.loading}>
                  {t('loadMore')}
                </Button>
              </div>
            ) : null}
          </Card>
          <div className="card-stack">
            <Card size="small" title={<h2 className="card-h">{t('bottlenecks')}</h2>}>
              {bottlenecks.error ? <ErrorAlert error={bottlenecks.error} onRetry={bottlenecks.reload} /> : null}
              {bottlenecks.loading && !bottlenecks.data ? <Loading /> : null}
              {bottlenecks.data ? (
                <Segmented
                  aria-label={t('heatValue')}
                  value={heatValue}
                  onChange={(v) => setHeatValue(v as HeatValue)}
                  options={HEAT_VALUES.map((v) => ({ value: v.key, label: t(v.label) }))}
                  style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
                />
              ) : null}
              {bottlenecks.data && !heat ? <EmptyState text={heatValue === 'waiting' ? t('casesEmpty') : t('empty')} /> : null}
              {heat ? <Chart option={heat.option} label={`${t('bottlenecks')} · ${t(HEAT_VALUES.find((v) => v.key === heatValue)!.label)}`} height={heat.height} /> : null}
            </Card>
            <Card size="small" title={<h2 className="card-h">{t('bottleneckSteps')}</h2>}>
              <Table
                rowKey={(r) => `${r.programme}:${r.step}`}
                size="small"
                pagination={false}
                dataSource={bottlenecks.data?.steps ?? []}
                locale={{ emptyText: <EmptyState text={t('empty')} /> }}
                columns={[
                  { title: t('programme'), dataIndex: 'programme', render: (v) => programmeLabel(lang, v) },
                  { title: t('step'), dataIndex: 'step', render: (v) => stepLabel(lang, v) },
                  { title: t('completed'), dataIndex: 'completed' },
                  { title: t('median'), dataIndex: 'medianWorkingDays', render: days },
                  { title: t('p90'), dataIndex: 'p90WorkingDays', render: days },
                  { title: t('waitingNow'), dataIndex: 'waitingNow' },
                ]}
              />
            </Card>
          </div>
        </div>
      ) : null}
    </>
  );
}
