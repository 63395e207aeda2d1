/**
 * The yearly report (issue 7, part 2): the figures a federation puts in its annual work summary,
 * computed on the server from the cases (GET /reports/yearly), grouped by programme, for a year
 * and an org unit in the user's scope. Each figure opens the list of cases behind it
 * (GET /reports/yearly/drilldown); the whole report downloads as Excel or CSV
 * (GET /reports/yearly.xlsx / .csv, fetched with the bearer token and saved as a file).
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { downloadFile, qs } from '../api';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { formatDate, formatDateTime, shanghaiToday } from '../format';
import { useGet } from '../hooks';
import { useI18n, type Lang } from '../i18n';
import { programmeLabel } from '../labels';
import { orgOption, useOrgTree } from '../orgs';
import { useSession } from '../session';

export interface FigureValue {
  id: string;
  key: string;
  label: string;
  labelEn: string;
  unit: string;
  kind: 'cases' | 'people' | 'sum' | 'rate';
  value: number | null;
  cases: number;
  numerator?: number;
  denominator?: number;
  note?: string;
  noteEn?: string;
}

export interface YearlyReport {
  year: number;
  orgUnit: { code: string; name: string; level: string };
  generatedAt: string;
  programmes: { programme: string; label: string; labelEn: string; figures: FigureValue[] }[];
}

interface DrilldownItem {
  caseId: string;
  caseNo: string;
  personId: string;
  orgUnitCode: string;
  orgUnitName: string | null;
  at: string | null;
  amount?: number | null;
  inNumerator?: boolean | null;
}

interface Drilldown {
  figure: { id: string; label: string; labelEn: string; unit: string; kind: FigureValue['kind']; note: string | null; noteEn?: string | null };
  year: number;
  orgUnit: { code: string; name: string };
  totals: Record<string, number | null>;
  truncated: boolean;
  items: DrilldownItem[];
}

/** Years offered: this year and the five before it (the api accepts 2000–2100). */
const YEARS_BACK = 5;

const UNIT_EN: Record<string, string> = { 例: 'cases', 人: 'people', 元: 'yuan', '%': '%' };

export function formatFigure(value: number | null, unit: string, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  if (unit === '元') return value.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (unit === '%') return value.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return value.toLocaleString(locale);
}

const unitText = (unit: string, lang: Lang) => (lang === 'en' ? (UNIT_EN[unit] ?? unit) : unit);

function FigureTile({ f, onOpen }: { f: FigureValue; onOpen(): void }) {
  const { t, lang, pick } = useI18n();
  const label = pick(f.label, f.labelEn);
  return (
    <button type="button" className="figure-tile" onClick={onOpen} data-figure={f.id}>
      <span className="figure-label">{label}</span>
      <span className="figure-value">
        {formatFigure(f.value, f.unit, lang)}
        {f.value === null ? null : <span className="figure-unit"> {unitText(f.unit, lang)}</span>}
      </span>
      <span className="figure-meta">
        {f.kind === 'rate' && f.denominator !== undefined
          ? t('figureRateOf', { n: f.numerator ?? 0, d: f.denominator })
          : t('figureCases', { n: f.cases })}
      </span>
      {f.note ? <span className="figure-note">{lang === 'en' ? (f.noteEn ?? f.note) : f.note}</span> : null}
      <span className="sr-only">{t('figureOpen')}</span>
    </button>
  );
}

function DrilldownDrawer({ figure, year, orgUnitCode, onClose }: { figure: FigureValue | null; year: number; orgUnitCode: string | undefined; onClose(): void }) {
  const { t, lang, pick } = useI18n();
  const url = figure ? `/reports/yearly/drilldown${qs({ figure: figure.id, year, orgUnitCode })}` : null;
  const { data, error, loading, reload } = useGet<Drilldown>(url);
  const shown = data && figure && data.figure.id === figure.id ? data : null;
  const kind = figure?.kind;
  return (
    <Drawer
      open={!!figure}
      onClose={onClose}
      size={760}
      title={figure ? t('drilldownTitle', { figure: pick(figure.label, figure.labelEn), year }) : ''}
      closable={{ 'aria-label': t('close') }}
      destroyOnHidden
      className="drilldown-drawer"
    >
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      {loading && !shown ? <Loading /> : null}
      {shown ? (
        <>
          <p className="drilldown-totals" aria-live="polite">
            {t('drilldownTotals', { cases: shown.totals.cases ?? 0, people: shown.totals.people ?? 0, org: shown.orgUnit.name })}
            {kind === 'sum' && shown.totals.amount !== undefined ? ` · ${t('drilldownAmount', { amount: formatFigure(shown.totals.amount ?? 0, '元', lang) })}` : null}
            {kind === 'rate' ? ` · ${t('drilldownRate', { n: shown.totals.numerator ?? 0, d: shown.totals.denominator ?? 0, rate: formatFigure(shown.totals.rate ?? null, '%', lang) })}` : null}
          </p>
          {shown.figure.note ? <p className="muted small">{lang === 'en' ? (shown.figure.noteEn ?? shown.figure.note) : shown.figure.note}</p> : null}
          {shown.truncated ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('drilldownTruncated', { n: shown.items.length })} /> : null}
          <Table<DrilldownItem>
            rowKey="caseId"
            size="small"
            dataSource={shown.items}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 600 }}
            locale={{ emptyText: <EmptyState text={t('drilldownEmpty')} /> }}
            columns={[
              { title: t('caseNo'), dataIndex: 'caseNo', width: 160, render: (_, r) => <Link to={`/app/cases/${r.caseId}`}>{r.caseNo}</Link> },
              { title: t('orgUnit'), dataIndex: 'orgUnitName', render: (v, r) => v ?? r.orgUnitCode },
              { title: t('drilldownAt'), dataIndex: 'at', width: 190, render: (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v, lang) : formatDateTime(v, lang)) },
              ...(kind === 'sum'
                ? [{ title: t('amount'), dataIndex: 'amount', width: 140, align: 'right' as const, render: (v: number | null) => formatFigure(v ?? null, '元', lang) }]
                : []),
              ...(kind === 'rate'
                ? [{ title: t('drilldownInNumerator'), dataIndex: 'inNumerator', width: 120, render: (v: boolean | null) => (v ? <Tone tone="green">{t('yes')}</Tone> : <Tone tone="grey">{t('no')}</Tone>) }]
                : []),
            ]}
          />
        </>
      ) : null}
    </Drawer>
  );
}

export function YearlyReportPage() {
  const { t, lang, pick } = useI18n();
  const { message } = App.useApp();
  const { user } = useSession();
  const thisYear = Number(shanghaiToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [orgUnitCode, setOrgUnitCode] = useState<string | undefined>(user?.orgUnitCode);
  const { flat, error: orgError } = useOrgTree();
  const report = useGet<YearlyReport>(`/reports/yearly${qs({ year, orgUnitCode })}`);
  const [figure, setFigure] = useState<FigureValue | null>(null);
  const [downloading, setDownloading] = useState<'xlsx' | 'csv' | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const years = useMemo(() => Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i), [thisYear]);
  const data = report.data && report.data.year === year && (!orgUnitCode || report.data.orgUnit.code === orgUnitCode) ? report.data : null;

  const download = async (ext: 'xlsx' | 'csv') => {
    setDownloading(ext);
    setDownloadError(null);
    try {
      const r = await downloadFile(`/reports/yearly.${ext}${qs({ year, orgUnitCode })}`, `yearly-report-${orgUnitCode ?? ''}-${year}.${ext}`);
      message.success(t('downloadDone', { file: r.filename }));
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <>
      <PageHeader title={t('reportTitle')} intro={t('reportIntro')} />
      <div className="filters" role="group" aria-label={t('reportFilters')}>
        <div className="filter-field">
          <label htmlFor="report-year">{t('year')}</label>
          <Select id="report-year" style={{ width: 120 }} value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: String(y) }))} />
        </div>
        <div className="filter-field">
          <label htmlFor="report-org">{t('orgUnit')}</label>
          <Select
            id="report-org"
            style={{ width: 280, maxWidth: '100%' }}
            showSearch={{ optionFilterProp: 'label' }}
            value={orgUnitCode}
            onChange={setOrgUnitCode}
            loading={!flat.length && !orgError}
            options={flat.length ? flat.map(orgOption) : user ? [{ value: user.orgUnitCode, label: user.orgName ?? user.orgUnitCode }] : []}
          />
        </div>
        <Space wrap>
          <Button icon={<DownloadOutlined aria-hidden />} loading={downloading === 'xlsx'} disabled={!!downloading} onClick={() => void download('xlsx')}>
            {t('downloadXlsx')}
          </Button>
          <Button icon={<DownloadOutlined aria-hidden />} loading={downloading === 'csv'} disabled={!!downloading} onClick={() => void download('csv')}>
            {t('downloadCsv')}
          </Button>
        </Space>
      </div>
      {downloadError ? <ErrorAlert error={downloadError} /> : null}
      {report.error ? <ErrorAlert error={report.error} onRetry={report.reload} /> : null}
      {report.loading && !data ? <Loading /> : null}
      {data ? (
        <div className="report-live">
          <Typography.Paragraph className="muted small">
            {t('reportScope', { org: data.orgUnit.name, code: data.orgUnit.code, year: data.year, at: formatDateTime(data.generatedAt, lang) })}
          </Typography.Paragraph>
          {data.programmes.map((p) => (
            <Card key={p.programme} size="small" className="report-programme" title={<h2 className="card-h">{p.label && p.label !== p.programme ? pick(p.label, p.labelEn) : programmeLabel(lang, p.programme)}</h2>} style={{ marginBottom: 16 }}>
              {p.figures.length ? (
                <div className="figure-grid">
                  {p.figures.map((f) => (
                    <FigureTile key={f.id} f={f} onOpen={() => setFigure(f)} />
                  ))}
                </div>
              ) : (
                <EmptyState text={t('empty')} />
              )}
            </Card>
          ))}
        </div>
      ) : null}
      <DrilldownDrawer figure={figure} year={year} orgUnitCode={orgUnitCode} onClose={() => setFigure(null)} />
    </>
  );
}
