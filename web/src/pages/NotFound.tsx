import { Button, Result } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';

export function NotFoundPage({ standalone }: { standalone?: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${t('notFoundTitle')} · ${t('appName')}`;
  }, [t]);
  const body = (
    <Result
      status="404"
      title={<h1 className="result-title">{t('notFoundTitle')}</h1>}
      subTitle={t('notFoundBody')}
      extra={
        <Button type="primary" onClick={() => navigate('/app')}>
          {t('goHome')}
        </Button>
      }
    />
  );
  return standalone ? <main id="main">{body}</main> : body;
}

export function ForbiddenPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('forbiddenTitle')} · ${t('appName')}`;
  }, [t]);
  return (
    <main id="main">
      <Result
        status="403"
        title={<h1 className="result-title">{t('forbiddenTitle')}</h1>}
        subTitle={t('forbiddenBody')}
        extra={<Link to="/app">{t('goHome')}</Link>}
      />
    </main>
  );
}
