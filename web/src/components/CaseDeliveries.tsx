import { Card, Table } from 'antd';
import { ErrorAlert, Tone } from './common';
import { formatDateTime } from '../format';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { channelLabel, deliveryStatusLabel, notificationTypeLabel } from '../labels';

interface Delivery {
  id: string;
  channel: string;
  type: string;
  status: string;
  recipient: { kind: string; name: string | null; address: string | null };
  attempts: { attemptNo: number; outcome: string; error: string | null; at: string }[];
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

/** Every notification about the case, per channel, with its attempts (GET /cases/:id/deliveries). */
export function CaseDeliveries({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const { data, error, loading } = useGet<{ items: Delivery[] }>(`/cases/${caseId}/deliveries`);
  if (error) return <ErrorAlert error={error} />;
  return (
    <Card size="small" className="case-deliveries">
      <Table<Delivery>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('deliveriesEmpty') }}
        scroll={{ x: true }}
        columns={[
          { title: t('deliveryAt'), dataIndex: 'createdAt', render: (v: string) => <time dateTime={v}>{formatDateTime(v, lang)}</time> },
          { title: t('deliveryWhat'), dataIndex: 'type', render: (v: string) => notificationTypeLabel(lang, v) },
          { title: t('deliveryChannel'), dataIndex: 'channel', render: (v: string) => channelLabel(lang, v) },
          {
            title: t('deliveryTo'),
            key: 'to',
            render: (_: unknown, d) => [d.recipient.name, d.recipient.address].filter(Boolean).join(' · ') || '—',
          },
          {
            title: t('deliveryStatus'),
            dataIndex: 'status',
            render: (v: string) => <Tone tone={v === 'sent' ? 'green' : v === 'dead' ? 'red' : v === 'skipped' ? 'grey' : 'blue'}>{deliveryStatusLabel(lang, v)}</Tone>,
          },
          { title: t('deliveryAttempts'), key: 'attempts', render: (_: unknown, d) => d.attempts.length },
          { title: t('deliveryError'), dataIndex: 'lastError', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Card>
  );
}
