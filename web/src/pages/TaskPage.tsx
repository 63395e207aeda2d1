/** One task's form on its own page: the follow-up visit form, laid out for a phone (375 px). */
import { Alert, Button, Card, Result, Space } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api';
import { ErrorAlert, Loading, PageHeader } from '../components/common';
import { RecordForm } from '../components/RecordForm';
import { DueCell } from '../components/TaskBits';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { stepLabel } from '../labels';
import { useSession } from '../session';
import type { CaseDetail } from '../types';
import { mayAct } from './CaseDetail';

export function TaskPage() {
  const { caseId, taskId } = useParams();
  const { t, lang } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const { data, error, reload } = useGet<CaseDetail>(`/cases/${caseId}`);

  if (error instanceof ApiError && [400, 403, 404].includes(error.status)) {
    return (
      <>
        <PageHeader title={t('caseNotFoundTitle')} />
        <Result status="404" title={<span role="alert">{t('caseNotFoundBody')}</span>} extra={<Button onClick={() => navigate('/app')}>{t('goHome')}</Button>} />
      </>
    );
  }
  if (error && !data) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data || !user) return <Loading />;
  const task = data.tasks.find((x) => x.taskId === taskId);
  const title = task?.kind === 'followup' ? t('visitTitle') : t('taskForm', { step: stepLabel(lang, task?.step ?? '') });
  return (
    <>
      <PageHeader title={title} intro={t('visitIntro', { caseNo: data.case.caseNo, person: data.person.name, step: stepLabel(lang, task?.step ?? '—') })} />
      {!task ? (
        <Alert type="warning" showIcon title={t('noOpenTasks')} />
      ) : (
        <Card size="small" style={{ maxWidth: 640 }}>
          <p>
            {t('dueDate')}：<DueCell task={task} />
          </p>
          {task.status !== 'open' ? (
            <Alert type="success" showIcon title={t('recordSubmitted')} />
          ) : mayAct(user, task) ? (
            <RecordForm caseId={data.case.caseId} task={task} onDone={() => navigate(task.kind === 'followup' ? '/app/followups' : `/app/cases/${data.case.caseId}`)} />
          ) : (
            <Alert type="info" showIcon title={t('notYourTask')} />
          )}
        </Card>
      )}
      <Space style={{ marginTop: 16 }} wrap>
        <Link to={`/app/cases/${data.case.caseId}`}>{t('viewCase')}</Link>
        <Link to="/app/followups">{t('navFollowUps')}</Link>
      </Space>
    </>
  );
}
