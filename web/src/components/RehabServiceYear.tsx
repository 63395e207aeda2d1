/**
 * A child's current rehabilitation service year on the case page (GET /rehab/cases/:id/service-year):
 * the training months (the year's cap, used, left), the current institution with its agreement
 * dates, and per approved item the approved amount, what has been settled and what remains.
 */
import { Card, Descriptions, Table } from 'antd';
import { useEffect, useRef } from 'react';
import { formatDateTime, formatYuan } from '../format';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { rehabItemLabel } from '../programmes';
import { ErrorAlert, Tone } from './common';

export interface RehabServiceYearView {
  year: number;
  budgetApproved: boolean;
  months: { maxPerYear: number; used: number; recorded: number; currentStay: number; left: number; period: { institution: string | null; allowed: number | null; planned: number | null; months: number } | null };
  institution: { id: string; name: string; year: number; outOfArea: boolean; agreementStartedAt: string } | null;
  waitlist: { partnerId: string; name: string; position: number } | null;
  stays: { institutionId: string; name: string; status: string; outOfArea: boolean; months: number; effective: boolean | null; startedAt: string; endedAt: string | null; endReason: string | null }[];
  items: { item: string; approved: number; settled: number; pending?: number; remaining: number; payments: number }[];
  totals: { approved: number; settled: number; pending?: number; remaining: number };
}

/** `refresh` changes whenever the case moves on (e.g. the timeline's length), to read the year again. */
export function RehabServiceYear({ caseId, refresh }: { caseId: string; refresh: number }) {
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useGet<RehabServiceYearView>(`/rehab/cases/${caseId}/service-year`);
  const seen = useRef(refresh);
  useEffect(() => {
    if (seen.current === refresh) return;
    seen.current = refresh;
    void reload();
  }, [refresh, reload]);
  if (error) return <ErrorAlert error={error} onRetry={() => void reload()} />;
  if (!data) return <Card size="small" loading={loading} />;
  const m = data.months;
  const inst = data.institution;
  const ended = data.stays.filter((s) => s.status === 'ended');
  return (
    <Card size="small" className="rehab-year" aria-busy={loading}>
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" className="kv">
        <Descriptions.Item label={t('rehabServiceYear')}>{data.year}</Descriptions.Item>
        <Descriptions.Item label={t('rehabMonthsCap')}>{t('rehabMonthsN', { n: m.maxPerYear })}</Descriptions.Item>
        <Descriptions.Item label={t('rehabMonthsUsed')}>
          {t('rehabMonthsN', { n: m.used })}
          {m.currentStay > 0 ? <span className="muted">（{t('rehabMonthsCurrentStay', { n: m.currentStay })}）</span> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('rehabMonthsLeft')}>
          {m.left === 0 ? <Tone tone="orange">{t('rehabMonthsN', { n: 0 })}</Tone> : t('rehabMonthsN', { n: m.left })}
        </Descriptions.Item>
        <Descriptions.Item label={t('rehabInstitution')}>
          {inst ? (
            <>
              {inst.name}
              {inst.outOfArea ? <Tone tone="orange">{t('rehabOutOfArea')}</Tone> : null}
            </>
          ) : data.waitlist ? (
            t('rehabWaitlisted', { name: data.waitlist.name, n: data.waitlist.position })
          ) : (
            <span className="muted">{t('rehabNoInstitution')}</span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('rehabAgreementStart')}>
          {inst ? <time dateTime={inst.agreementStartedAt}>{formatDateTime(inst.agreementStartedAt, lang)}</time> : '—'}
        </Descriptions.Item>
        {m.period?.planned ? <Descriptions.Item label={t('rehabPlanned')}>{t('rehabMonthsN', { n: m.period.planned })}</Descriptions.Item> : null}
        {ended.length ? (
          <Descriptions.Item label={t('rehabEndedStays')} span={2}>
            {ended.map((s) => `${s.name}：${t('rehabMonthsN', { n: s.months })}，${formatDateTime(s.startedAt, lang)} – ${formatDateTime(s.endedAt, lang)}`).join('；')}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      {data.budgetApproved ? (
        <Table
          size="small"
          rowKey="item"
          pagination={false}
          dataSource={data.items}
          title={() => <strong>{t('rehabItems')}</strong>}
          scroll={{ x: true }}
          columns={[
            { title: t('rehabItem'), dataIndex: 'item', render: (v: string) => rehabItemLabel(lang, v) },
            { title: t('rehabApproved'), dataIndex: 'approved', align: 'right', render: (v: number) => formatYuan(v) },
            { title: t('rehabSettled'), dataIndex: 'settled', align: 'right', render: (v: number) => formatYuan(v) },
            // billed and under the county's check: already counted against the approved amount
            { title: t('rehabPending'), dataIndex: 'pending', align: 'right', render: (v: number | undefined) => formatYuan(v ?? 0) },
            { title: t('rehabRemaining'), dataIndex: 'remaining', align: 'right', render: (v: number) => <strong>{formatYuan(v)}</strong> },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('rehabTotal')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">{formatYuan(data.totals.approved)}</Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">{formatYuan(data.totals.settled)}</Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">{formatYuan(data.totals.pending ?? 0)}</Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right"><strong>{formatYuan(data.totals.remaining)}</strong></Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      ) : (
        <p className="muted">{t('rehabBudgetPending')}</p>
      )}
    </Card>
  );
}
