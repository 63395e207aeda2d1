import { Button, Select, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { qs } from '../api';
import { EmptyState, ErrorAlert, PageHeader, Tone } from '../components/common';
import { formatDateTime } from '../format';
import { useKeyset } from '../hooks';
import { useI18n } from '../i18n';
import { CATARACT_STEPS, outcomeLabel, programmeLabel, stepLabel, waitingLabel } from '../labels';
import type { CaseSummary } from '../types';

export function CasesPage() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<string | undefined>('open');
  const [step, setStep] = useState<string | undefined>();
  const list = useKeyset<CaseSummary>(`/cases${qs({ status, step, limit: 20 })}`);
  return (
    <>
      <PageHeader title={t('casesTitle')} intro={t('casesIntro')} />
      <div className="filters">
        <div className="filter-field">
          <label htmlFor="c-status">{t('status')}</label>
          <Select
            id="c-status"
            allowClear
            placeholder={t('all')}
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            options={[
              { value: 'open', label: t('statusOpen') },
              { value: 'closed', label: t('statusClosed') },
            ]}
          />
        </div>
        <div className="filter-field">
          <label htmlFor="c-step">{t('filterStep')}</label>
          <Select
            id="c-step"
            allowClear
            placeholder={t('all')}
            style={{ width: 200 }}
            value={step}
            onChange={setStep}
            options={['awaiting_campaign', ...CATARACT_STEPS.filter((s) => !s.startsWith('followup') && s !== 'settlement'), 'post_op'].map((s) => ({ value: s, label: stepLabel(lang, s) }))}
          />
        </div>
      </div>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<CaseSummary>
        rowKey="caseId"
        pagination={false}
        scroll={{ x: 820 }}
        dataSource={list.items}
        loading={list.loading && !list.items.length}
        locale={{ emptyText: list.loaded ? <EmptyState text={t('casesEmpty')} /> : <span className="empty-text">{t('loading')}</span> }}
        columns={[
          { title: t('caseNo'), dataIndex: 'caseNo', render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link> },
          { title: t('person'), dataIndex: 'personName' },
          { title: t('programme'), dataIndex: 'programme', render: (v) => programmeLabel(lang, v) },
          {
            title: t('currentStep'),
            dataIndex: 'step',
            render: (_, r) =>
              r.status === 'closed' ? (
                <Tone tone="grey">
                  {t('statusClosed')} · {outcomeLabel(lang, r.outcome)}
                </Tone>
              ) : (
                <span>
                  {stepLabel(lang, r.step)}
                  <div className="muted small">
                    {t('waitingOn')}：{waitingLabel(lang, r.waitingOn)}
                  </div>
                </span>
              ),
          },
          { title: t('orgUnit'), dataIndex: 'orgName' },
          { title: t('priority'), dataIndex: 'priority' },
          { title: t('openedAt'), dataIndex: 'openedAt', render: (v) => formatDateTime(v, lang) },
        ]}
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
