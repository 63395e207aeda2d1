import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api';
import { LanguageSwitch } from '../components/AppShell';
import { errorMessage } from '../components/common';
import { useI18n } from '../i18n';
import { homeFor } from '../nav';
import { noticeText, useSession, type SignInNotice } from '../session';

export function SignInPage() {
  const { t, lang } = useI18n();
  const { user, signIn, notice: sessionNotice } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { notice?: SignInNotice; from?: string };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [needOtp, setNeedOtp] = useState(false);
  const h = useRef<HTMLHeadingElement>(null);
  const notice = noticeText(state.notice ?? sessionNotice ?? undefined, t, lang);

  useEffect(() => {
    document.title = `${t('signInTitle')} · ${t('appName')}`;
  }, [t]);
  useEffect(() => {
    h.current?.focus();
  }, []);

  if (user && !busy) return <Navigate to={homeFor(user.role)} replace />;

  const onFinish = async (v: { username: string; password: string; otp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.username.trim(), v.password, v.otp);
      const from = state.from && state.from.startsWith('/app') && !state.from.startsWith('/app/signin') ? state.from : null;
      navigate(from ?? '/app', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'OTP_REQUIRED') setNeedOtp(true);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-wrap">
      <main className="signin-card" id="main">
        <Card>
          <div className="signin-top">
            <span className="brand-text">{t('appName')}</span>
            <LanguageSwitch />
          </div>
          <Typography.Title level={1} className="page-title" tabIndex={-1} ref={h as any}>
            {t('signInTitle')}
          </Typography.Title>
          <Typography.Paragraph className="page-intro">{t('signInIntro')}</Typography.Paragraph>
          {notice ? (
            <Alert role="status" type={(state.notice ?? sessionNotice)?.kind === 'info' ? 'info' : 'warning'} showIcon title={notice} style={{ marginBottom: 16 }} />
          ) : null}
          {error ? (
            <Alert role="alert" type="error" showIcon title={errorMessage(error, lang, t('networkError'))} style={{ marginBottom: 16 }} />
          ) : null}
          <Form layout="vertical" onFinish={onFinish} requiredMark={false} disabled={busy}>
            <Form.Item label={t('username')} name="username" rules={[{ required: true, message: t('required') + '：' + t('username') }]}>
              <Input autoComplete="username" autoCapitalize="none" spellCheck={false} size="large" />
            </Form.Item>
            <Form.Item label={t('password')} name="password" rules={[{ required: true, message: t('required') + '：' + t('password') }]}>
              <Input.Password autoComplete="current-password" size="large" />
            </Form.Item>
            {needOtp ? (
              <Form.Item label={t('otp')} name="otp" extra={t('otpHint')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('otp') }]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" autoFocus />
              </Form.Item>
            ) : null}
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>
              {busy ? t('signingIn') : t('signIn')}
            </Button>
          </Form>
        </Card>
      </main>
    </div>
  );
}
