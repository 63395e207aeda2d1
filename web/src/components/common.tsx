/** Shared building blocks: page header (title + focus), loading / error / empty states, tags. */
import { Alert, Button, Empty, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api';
import { bilingual, useI18n } from '../i18n';

export function PageHeader({ title, intro, extra }: { title: string; intro?: ReactNode; extra?: ReactNode }) {
  const { t } = useI18n();
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
  }, [title, t]);
  useEffect(() => {
    // New page: move focus to its heading so screen readers announce where the user is.
    h.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page-header">
      <div className="page-header-row">
        <Typography.Title level={1} className="page-title" tabIndex={-1} ref={h as any}>
          {title}
        </Typography.Title>
        {extra ? <div className="page-header-extra">{extra}</div> : null}
      </div>
      {intro ? <Typography.Paragraph className="page-intro">{intro}</Typography.Paragraph> : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state-box" role="status" aria-live="polite">
      <Spin />
      <span className="state-text">{label ?? t('loading')}</span>
    </div>
  );
}

export function errorMessage(err: unknown, lang: 'zh-CN' | 'en', networkText: string): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return networkText;
    return bilingual(err.message, lang);
  }
  return err instanceof Error ? err.message : String(err);
}

/** A refusal or failure, with the server's reason and code, announced to screen readers. */
export function ErrorAlert({ error, onRetry, style }: { error: unknown; onRetry?: () => void; style?: CSSProperties }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError && error.status ? `${error.status} ${error.code}` : null;
  const details =
    error instanceof ApiError && Array.isArray(error.details) && error.details.every((d) => typeof d === 'string') ? (error.details as string[]) : null;
  const problems =
    error instanceof ApiError && Array.isArray(error.details) && error.details.every((d) => d && typeof d === 'object' && 'message' in (d as any))
      ? (error.details as { path?: string; message: string }[])
      : null;
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      style={{ marginBottom: 16, ...style }}
      title={t('serverRefused')}
      description={
        <>
          <div>{errorMessage(error, lang, t('networkError'))}</div>
          {details && details.length > 1 ? (
            <ul>
              {details.map((d) => (
                <li key={d}>{bilingual(d, lang)}</li>
              ))}
            </ul>
          ) : null}
          {problems ? (
            <ul>
              {problems.map((d, i) => (
                <li key={i}>
                  {d.path ? <code>{d.path}</code> : null} {bilingual(d.message, lang)}
                </li>
              ))}
            </ul>
          ) : null}
          {code ? <div className="muted small">{code}</div> : null}
        </>
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Result
      status="error"
      title={<span role="alert">{t('errorTitle')}</span>}
      subTitle={errorMessage(error, lang, t('networkError'))}
      extra={
        <Space wrap>
          {onRetry ? <Button onClick={onRetry}>{t('retry')}</Button> : null}
          <Link to="/app">{t('goHome')}</Link>
        </Space>
      }
    />
  );
}

export function EmptyState({ text, action }: { text: string; action?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span className="empty-text">{text}</span>}>
      {action}
    </Empty>
  );
}

/**
 * Tags with text colours that meet WCAG AA contrast on their background (antd's preset tag
 * colours are lighter than 4.5:1 for green, orange and gold).
 */
const TONES: Record<string, CSSProperties> = {
  red: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  blue: { color: '#003eb3', background: '#e6f4ff', borderColor: '#91caff' },
  grey: { color: '#262626', background: '#f5f5f5', borderColor: '#d9d9d9' },
  purple: { color: '#391085', background: '#f9f0ff', borderColor: '#d3adf7' },
};
export function Tone({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <span className="tone-tag" style={TONES[tone]}>
      {children}
    </span>
  );
}
