import { App, Button, List, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { EmptyState, ErrorAlert, errorMessage, PageHeader, Tone } from '../components/common';
import { formatDateTime } from '../format';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { notificationTypeLabel } from '../labels';
import { useNotifications } from '../notifications';
import type { Notification } from '../types';

export function NotificationsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { version, refresh, live } = useNotifications();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const { data, error, loading, reload } = useGet<{ unread: number; items: Notification[] }>(`/notifications?filter=${unreadOnly ? 'unread' : 'all'}&limit=100`);
  useEffect(() => {
    if (version) void reload();
  }, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  const markRead = async (n: Notification) => {
    try {
      await api(`/notifications/${n.id}/read`, { method: 'POST', body: {} });
      refresh();
      void reload();
    } catch (e) {
      message.error(errorMessage(e, lang, t('networkError')));
    }
  };

  return (
    <>
      <PageHeader
        title={t('notificationsTitle')}
        intro={<Tone tone={live ? 'green' : 'grey'}>{live ? t('liveUpdates') : t('pollingUpdates')}</Tone>}
        extra={
          <Space>
            <Switch id="unread-only" checked={unreadOnly} onChange={setUnreadOnly} aria-label={t('unreadOnly')} />
            <label htmlFor="unread-only">{t('unreadOnly')}</label>
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <List
        bordered
        style={{ background: '#fff' }}
        loading={loading && !data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <EmptyState text={t('notificationsEmpty')} /> }}
        renderItem={(n) => (
          <List.Item
            actions={[
              n.caseId ? (
                <Link key="case" to={n.taskId ? `/app/cases/${n.caseId}` : `/app/cases/${n.caseId}`}>
                  {t('viewCase')}
                </Link>
              ) : null,
              !n.readAt ? (
                <Button key="read" size="small" onClick={() => void markRead(n)} aria-label={`${t('markRead')}：${n.title}`}>
                  {t('markRead')}
                </Button>
              ) : null,
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={
                <span>
                  {!n.readAt ? <Tone tone="blue">{t('unread')}</Tone> : null}
                  <Tone tone={n.type === 'task_overdue' || n.type === 'task_escalated' ? 'red' : 'grey'}>{notificationTypeLabel(lang, n.type)}</Tone>
                  {n.title}
                </span>
              }
              description={
                <>
                  {n.body ? <div>{n.body}</div> : null}
                  <time dateTime={n.createdAt} className="muted small">
                    {formatDateTime(n.createdAt, lang)}
                  </time>
                </>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
