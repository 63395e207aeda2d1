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

/**
 * The case workflows refuse in English (their validators); the common refusals in Chinese. The
 * code under the message (e.g. 422 INVALID_DECISION) stays as the server sent it.
 */
const REFUSALS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^amount must be between (\d+) and (\d+) yuan$/, (m) => `结算金额须在 ${m[1]} 至 ${m[2]} 元之间`],
  [/^amount \(yuan\) is required$/, () => '请填写结算金额（元）'],
  [/^a reason is required to (reject|return)$/, (m) => (m[1] === 'reject' ? '不同意须填写理由' : '退回须说明需要补充的内容')],
  [/^another person has claimed this task$/, () => '该任务已被他人认领'],
  [/^this task is not in your role or area$/, () => '该任务不属于您的角色或辖区'],
  [/^the case is closed$/, () => '该个案已结案'],
  [/^task \S+ is already (completed|cancelled)$/, () => '该任务已办结，请刷新页面查看最新状态'],
  [/^you already approved step (\S+) of this case; another person must approve (\S+)$/, (m) => `您已审批过本个案的 ${m[1]} 环节，${m[2]} 须由另一人审批`],
  [/^the new assignee has the wrong role or scope$/, () => '所选人员的角色或辖区与该任务不符'],
  [/^not your task to reassign$/, () => '您无权重新分派此任务'],
  [/^the case is still processing the previous step; try again in a moment$/, () => '个案正在处理上一步，请稍后重试'],
  // child rehabilitation and training (workflows/programs/child-rehab|training/workflow.ts)
  [/^item (\S+) is not approved for this child \(approved: (.*)\)$/, (m) => `该儿童未核定 ${m[1]} 项目（已核定：${m[2]}）`],
  [/^plannedMonths must be a whole number from 1 to (\d+)/, (m) => `计划训练月数须为 1 至 ${m[1]} 的整数`],
  [/^hours must be at most ([\d.]+)/, (m) => `课时最多可记录 ${m[1]}（课程总课时另加 10%）`],
  [/^the hours of this period can be recorded from its last day \((\S+)\) on/, (m) => `本期课时须在本期最后一天（${m[1]}）起记录；退学可随时记录`],
  [/^a certificate can only be recorded for a trainee who passed$/, () => '考核合格才能记录职业技能证书'],
  [/^startDate may be at most 60 days ahead$/, () => '开始日期最多在 60 天之后'],
  [/^supportAmount must be 0–(\d+) yuan$/, (m) => `扶持金额须在 0 至 ${m[1]} 元之间`],
  [/^employment for (\S+) can be confirmed from (\S+) on$/, (m) => `${m[2]} 起才能确认 ${m[1]} 回访的在岗情况`],
  [/^lostOn \(YYYY-MM-DD, from (\S+) to today\) is required/, (m) => `请填写离岗日期（${m[1]} 至今天）`],
  [/^the diagnosis of (\S+) expires on (\S+), before (\d+)$/, (m) => `${m[1]} 的诊断于 ${m[2]} 到期，早于 ${m[3]} 年`],
  [/^(\w+) \(.*\) is required( when .*)?$/, (m) => `缺少必填项：${m[1]}`],
  [/^(\w+) must be 0–2$/, (m) => `${m[1]} 须在 0 至 2 之间`],
];

export function errorMessage(err: unknown, lang: 'zh-CN' | 'en', networkText: string): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return networkText;
    if (lang !== 'en') {
      for (const [re, zh] of REFUSALS) {
        const m = re.exec(err.message);
        if (m) return `${zh(m)}（${err.message}）`;
      }
    }
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
