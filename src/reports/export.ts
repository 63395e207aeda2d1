/**
 * The yearly report as a file for the annual work summary: Excel (.xlsx, exceljs) and CSV (UTF-8
 * with BOM so Excel shows the Chinese headers), one row per figure.
 */
import { Workbook } from 'exceljs';
import type { YearlyReport } from './yearly-report.service';

export const EXPORT_HEADERS = ['年度', '单位编码', '单位名称', '项目', '指标', '数值', '计量单位', '病例数', '分子', '分母', '指标编号', '口径说明'] as const;

export function exportRows(r: YearlyReport): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const p of r.programmes) {
    for (const f of p.figures) {
      rows.push([
        r.year,
        r.orgUnit.code,
        r.orgUnit.name,
        p.label,
        f.label,
        f.value,
        f.unit,
        f.cases,
        f.numerator ?? null,
        f.denominator ?? null,
        f.id,
        f.note ?? '',
      ]);
    }
  }
  return rows;
}

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV cell, quoted as RFC 4180 wants. With `guardFormulas`, text that a spreadsheet would run
 * as a formula (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe
 * (OWASP "CSV injection"): for exports that carry text typed by others (e.g. a username tried at
 * sign-in). Numbers are never altered.
 */
export function csvCell(v: CsvValue, guardFormulas = false): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (guardFormulas && typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF line end. */
export function csvLine(row: readonly CsvValue[], guardFormulas = false): string {
  return `${row.map((v) => csvCell(v, guardFormulas)).join(',')}\r\n`;
}

/** Byte order mark first, so Excel reads the file as UTF-8 and shows the Chinese headers. */
export const CSV_BOM = '\uFEFF';

export function reportCsv(r: YearlyReport): string {
  return CSV_BOM + csvLine(EXPORT_HEADERS) + exportRows(r).map((row) => csvLine(row)).join('');
}

export async function reportXlsx(r: YearlyReport): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'DPF caseflow';
  wb.created = new Date(r.generatedAt);
  const ws = wb.addWorksheet('年度工作汇总');
  ws.addRow([`${r.orgUnit.name}（${r.orgUnit.code}）${r.year} 年度工作汇总`]).font = { bold: true, size: 14 };
  ws.addRow([`数据来源：个案办理记录，生成时间 ${r.generatedAt}`]);
  ws.addRow([]);
  const header = ws.addRow([...EXPORT_HEADERS]);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
  for (const row of exportRows(r)) {
    const added = ws.addRow(row);
    const unit = row[6];
    added.getCell(6).numFmt = unit === '元' ? '#,##0.00' : unit === '%' ? '0.0' : '#,##0';
  }
  const widths = [8, 12, 18, 14, 28, 14, 10, 10, 10, 10, 30, 30];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: 'frozen', ySplit: 4 }];
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}
