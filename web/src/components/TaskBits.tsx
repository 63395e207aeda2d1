import { useI18n } from '../i18n';
import { formatDate, shanghaiToday } from '../format';
import type { Task } from '../types';
import { Tone } from './common';

/** Due date with "overdue" in words (not only red) and "due today". */
export function DueCell({ task }: { task: Pick<Task, 'dueDate' | 'overdue' | 'status'> }) {
  const { t, lang } = useI18n();
  const today = shanghaiToday();
  const overdue = task.status === 'open' && task.overdue;
  return (
    <span>
      <span className={overdue ? 'overdue-text' : undefined}>{formatDate(task.dueDate, lang)}</span>{' '}
      {overdue ? <Tone tone="red">{t('overdue')}</Tone> : task.status === 'open' && task.dueDate === today ? <Tone tone="orange">{t('dueTodayTag')}</Tone> : null}
    </span>
  );
}
