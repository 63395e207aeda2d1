import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Segmented, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { qs } from '../api';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { DueCell } from '../components/TaskBits';
import { addDays, formatDate, formatDay, mondayOf, shanghaiToday } from '../format';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { followUpNote, stepLabel } from '../labels';
import type { Task } from '../types';

function Item({ f }: { f: Task }) {
  const { t, lang } = useI18n();
  const overdue = f.status === 'open' && f.overdue;
  return (
    <li className={`fu-item${overdue ? ' overdue' : ''}`}>
      <div>
        <div>
          <strong>{f.personName}</strong> · {stepLabel(lang, f.step)}
        </div>
        <div className="muted small">
          <Link to={`/app/cases/${f.caseId}`}>{f.caseNo}</Link> · {t('dueDate')} <DueCell task={f} />
          {f.note ? ` · ${followUpNote(lang, f.note)}` : ''}
        </div>
      </div>
      <div>
        {f.status === 'open' ? (
          <Link className="link-btn" to={`/app/cases/${f.caseId}/tasks/${f.taskId}`} aria-label={`${t('record')}：${f.personName} ${stepLabel(lang, f.step)}`}>
            {t('record')}
          </Link>
        ) : (
          <Tone tone="green">{t('fuCompleted')}</Tone>
        )}
      </div>
    </li>
  );
}

export function FollowUpsPage() {
  const { t, lang } = useI18n();
  const today = shanghaiToday();
  const [mode, setMode] = useState<'day' | 'week'>('week');
  const [anchor, setAnchor] = useState(today);
  const [status, setStatus] = useState<'open' | 'completed' | 'all'>('open');
  const from = mode === 'day' ? anchor : mondayOf(anchor);
  const to = mode === 'day' ? anchor : addDays(from, 6);
  const { data, error, loading, reload } = useGet<{ items: Task[] }>(`/followups${qs({ from, to, status })}`);
  const showOverdue = status !== 'completed' && from <= today;
  const earlier = useGet<{ items: Task[] }>(showOverdue ? `/followups${qs({ to: addDays(from, -1), status: 'open' })}` : null);

  const days = useMemo(() => {
    const out: { day: string; items: Task[] }[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push({ day: d, items: (data?.items ?? []).filter((x) => x.dueDate === d) });
    return out;
  }, [data, from, to]);
  const step = mode === 'day' ? 1 : 7;
  const rangeLabel = mode === 'day' ? formatDate(from, lang) : `${formatDate(from, lang)} – ${formatDate(to, lang)}`;

  return (
    <>
      <PageHeader title={t('followUpsTitle')} intro={t('followUpsIntro')} />
      <div className="filters">
        <div className="filter-field">
          <span id="fu-mode" className="filter-label">
            {t('byDay')} / {t('byWeek')}
          </span>
          <Segmented
            aria-labelledby="fu-mode"
            value={mode}
            onChange={(v) => setMode(v as 'day' | 'week')}
            options={[
              { value: 'day', label: t('byDay') },
              { value: 'week', label: t('byWeek') },
            ]}
          />
        </div>
        <div className="filter-field">
          <label htmlFor="fu-status">{t('statusFilter')}</label>
          <Select
            id="fu-status"
            style={{ width: 130 }}
            value={status}
            onChange={setStatus}
            options={[
              { value: 'open', label: t('fuOpen') },
              { value: 'completed', label: t('fuCompleted') },
              { value: 'all', label: t('all') },
            ]}
          />
        </div>
        <Space wrap>
          <Button icon={<LeftOutlined aria-hidden />} onClick={() => setAnchor(addDays(anchor, -step))}>
            {t('prev')}
          </Button>
          <Button onClick={() => setAnchor(today)}>{t('today')}</Button>
          <Button onClick={() => setAnchor(addDays(anchor, step))}>
            {t('next')} <RightOutlined aria-hidden />
          </Button>
        </Space>
      </div>
      <h2 className="section-h" aria-live="polite">
        {rangeLabel}
      </h2>
      {showOverdue && earlier.data?.items.length ? (
        <section aria-labelledby="fu-overdue" className="day-block">
          <h3 id="fu-overdue" className="day-title overdue-text">
            {t('dueOverdue')}（{earlier.data.items.length}）
          </h3>
          <ul className="fu-list">
            {earlier.data.items.map((f) => (
              <Item key={f.taskId} f={f} />
            ))}
          </ul>
        </section>
      ) : null}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <EmptyState text={t('followUpsEmpty')} /> : null}
      {data && data.items.length
        ? days
            .filter((d) => d.items.length)
            .map((d) => (
              <section key={d.day} className="day-block" aria-labelledby={`day-${d.day}`}>
                <h3 id={`day-${d.day}`} className="day-title">
                  {formatDay(d.day, lang)}
                  {d.day === today ? <Tone tone="blue">{t('today')}</Tone> : null}
                </h3>
                <ul className="fu-list">
                  {d.items.map((f) => (
                    <Item key={f.taskId} f={f} />
                  ))}
                </ul>
              </section>
            ))
        : null}
    </>
  );
}
