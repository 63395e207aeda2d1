import { Alert, App, Button, Card, Descriptions, Form, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../../components/common';
import { formatDate, formatDateTime, shanghaiToday } from '../../format';
import { useGet } from '../../hooks';
import { bilingual, useI18n } from '../../i18n';

interface Status {
  year: number;
  coverage: 'official' | 'admin' | 'fallback';
  warning: string | null;
  overrides: { holidays: number; workdays: number };
  markedComplete: { source: string | null; createdAt: string } | null;
  inDataset: boolean;
  datasetYears: number[];
}
interface Override {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  createdAt: string;
}

export function CalendarPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const thisYear = Number(shanghaiToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const status = useGet<Status>(`/admin/calendar/status?year=${year}`);
  const list = useGet<{ items: Override[] }>(`/admin/calendar/overrides?year=${year}`);
  const [form] = Form.useForm();
  const [markForm] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => {
    void status.reload();
    void list.reload();
  };
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      message.success(ok);
      reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const s = status.data;
  const coverageText = s ? (s.coverage === 'official' ? t('coverageOfficial') : s.coverage === 'admin' ? t('coverageAdmin') : t('coverageFallback')) : '';

  return (
    <>
      <PageHeader
        title={t('calendarTitle')}
        intro={t('calendarIntro')}
        extra={
          <Space>
            <label htmlFor="cal-year">{t('year')}</label>
            <Select id="cal-year" value={year} onChange={setYear} style={{ width: 110 }} options={[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => ({ value: y, label: String(y) }))} />
          </Space>
        }
      />
      {status.error ? <ErrorAlert error={status.error} onRetry={reload} /> : null}
      {!s && status.loading ? <Loading /> : null}
      {s ? (
        <>
          {s.coverage === 'fallback' ? (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`${year}：${t('coverageFallback')}`} description={s.warning ? bilingual(s.warning, lang) : undefined} role="alert" />
          ) : null}
          <div className="card-grid">
            <Card size="small" title={<h2 className="card-h">{t('coverage')}</h2>}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('coverage')}>
                  <Tone tone={s.coverage === 'fallback' ? 'red' : s.coverage === 'admin' ? 'blue' : 'green'}>{coverageText}</Tone>
                </Descriptions.Item>
                <Descriptions.Item label={t('overrides')}>
                  {t('holiday')} {s.overrides.holidays} · {t('workday')} {s.overrides.workdays}
                </Descriptions.Item>
                <Descriptions.Item label={t('source')}>{s.markedComplete ? t('markedBy', { source: s.markedComplete.source ?? '—' }) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('datasetYears', { years: '' }).replace(/[:：]\s*$/, '')}>{s.datasetYears.join(', ')}</Descriptions.Item>
              </Descriptions>
              {s.markedComplete ? (
                <Popconfirm title={t('unmarkComplete')} okText={t('confirm')} cancelText={t('cancel')} onConfirm={() => run(() => api(`/admin/calendar/years/${year}`, { method: 'DELETE' }), t('saved'))}>
                  <Button disabled={busy}>{t('unmarkComplete')}</Button>
                </Popconfirm>
              ) : (
                <Form form={markForm} layout="vertical" name="mark-year" onFinish={(v) => run(() => api(`/admin/calendar/years/${year}`, { method: 'PUT', body: { source: v.source } }), t('saved'))}>
                  <Form.Item name="source" label={t('source')} rules={[{ required: true, message: `${t('required')}：${t('source')}` }]}>
                    <Input maxLength={200} placeholder="国办发明电〔2026〕7号" />
                  </Form.Item>
                  <Button htmlType="submit" disabled={busy}>
                    {t('markComplete')}
                  </Button>
                </Form>
              )}
            </Card>
            <Card size="small" title={<h2 className="card-h">{t('addOverride')}</h2>}>
              <Form
                form={form}
                layout="vertical"
                name="add-override"
                onFinish={async (v) => {
                  if (await run(() => api(`/admin/calendar/overrides/${v.date}`, { method: 'PUT', body: { kind: v.kind, name: v.name } }), t('saved'))) form.resetFields();
                }}
              >
                <Form.Item name="date" label={t('date')} rules={[{ required: true, message: `${t('required')}：${t('date')}` }]}>
                  <Input type="date" min={`${year}-01-01`} max={`${year}-12-31`} />
                </Form.Item>
                <Form.Item name="kind" label={t('kind')} initialValue="holiday">
                  <Select
                    options={[
                      { value: 'holiday', label: t('holiday') },
                      { value: 'workday', label: t('workday') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="name" label={t('holidayName')} rules={[{ required: true, message: `${t('required')}：${t('holidayName')}` }]}>
                  <Input maxLength={40} placeholder="国庆节" />
                </Form.Item>
                <Button type="primary" htmlType="submit" disabled={busy}>
                  {t('addOverride')}
                </Button>
              </Form>
            </Card>
          </div>
        </>
      ) : null}
      {error ? <ErrorAlert error={error} style={{ marginTop: 16 }} /> : null}
      <h2 className="section-h" style={{ marginTop: 16 }}>
        {t('overrides')}（{year}）
      </h2>
      {list.error ? <ErrorAlert error={list.error} onRetry={reload} /> : null}
      <Table<Override>
        rowKey="date"
        size="small"
        loading={list.loading && !list.data}
        pagination={false}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <EmptyState text={t('empty')} /> }}
        columns={[
          { title: t('date'), dataIndex: 'date', render: (v) => formatDate(v, lang) },
          { title: t('kind'), dataIndex: 'kind', render: (v) => (v === 'holiday' ? <Tone tone="red">{t('holiday')}</Tone> : <Tone tone="blue">{t('workday')}</Tone>) },
          { title: t('holidayName'), dataIndex: 'name' },
          { title: t('openedAt'), dataIndex: 'createdAt', render: (v) => formatDateTime(v, lang) },
          {
            title: t('actions'),
            key: 'a',
            render: (_, o) => (
              <Popconfirm title={`${t('delete')} ${o.date}?`} okText={t('delete')} cancelText={t('cancel')} onConfirm={() => run(() => api(`/admin/calendar/overrides/${o.date}`, { method: 'DELETE' }), t('saved'))}>
                <Button size="small" danger aria-label={`${t('delete')} ${o.date}`}>
                  {t('delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}
