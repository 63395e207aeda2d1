/**
 * Dates are always shown in Asia/Shanghai (the platform's time zone, whatever the browser's),
 * in Chinese formats (2026年11月23日 14:05) or, in English, 23 Nov 2026 14:05.
 */
import type { Lang } from './i18n';

const TZ = 'Asia/Shanghai';
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, opts: Intl.DateTimeFormatOptions) {
  const key = lang + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TZ, ...opts });
    cache.set(key, f);
  }
  return f;
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };
const DATE_EN: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** An instant (ISO string) as date and time in Asia/Shanghai. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${fmt(lang, lang === 'en' ? DATE_EN : DATE).format(d)} ${fmt(lang, TIME).format(d)}`;
}

/** A calendar day: 'YYYY-MM-DD' (already a Shanghai date) or an instant. */
export function formatDate(v: string | null | undefined, lang: Lang): string {
  if (!v) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T12:00:00+08:00`) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return fmt(lang, lang === 'en' ? DATE_EN : DATE).format(d);
}

/** Short day with weekday, for the follow-up calendar: 11月23日 周一 / Mon 23 Nov. */
export function formatDay(day: string, lang: Lang): string {
  const d = new Date(`${day}T12:00:00+08:00`);
  return fmt(lang, { month: lang === 'en' ? 'short' : 'long', day: 'numeric', weekday: 'short' }).format(d);
}

/** Today as 'YYYY-MM-DD' in Asia/Shanghai. */
export function shanghaiToday(now = new Date()): string {
  const parts = Object.fromEntries(
    fmt('en', { year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Monday of the week containing `day` (Chinese weeks start on Monday). */
export function mondayOf(day: string): string {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((wd + 6) % 7));
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86_400_000);
}

const YUAN = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** An amount in yuan, always in the Chinese format (¥14,500.00), whatever the interface language. */
export function formatYuan(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? YUAN.format(v) : '—';
}
