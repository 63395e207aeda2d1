/**
 * Pure delivery rules (no I/O, unit-tested): quiet hours, rate-limit settings, masking.
 * Times are Asia/Shanghai wall-clock: China has one fixed offset (UTC+8) and no DST.
 */
import type { ChannelName } from './types';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Minutes after midnight of an 'HH:MM' string. */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`expected HH:MM, got ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * When a message that is due at `now` may go out, given quiet hours [start, end) in Asia/Shanghai
 * (a window that may wrap midnight, e.g. 21:00–08:00). Returns `now` itself outside quiet hours,
 * else the next `end` instant. start === end means no quiet hours.
 */
export function nextAllowedTime(now: Date, quietStart: string, quietEnd: string): Date {
  const start = minutesOf(quietStart);
  const end = minutesOf(quietEnd);
  if (start === end) return now;
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS; // Shanghai midnight, in "local ms"
  const minute = (local - dayStart) / 60_000;
  const quiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!quiet) return now;
  // The end of this quiet window: today's `end` if still ahead, else tomorrow's.
  let endLocal = dayStart + end * 60_000;
  if (endLocal <= local) endLocal += DAY_MS;
  return new Date(endLocal - SHANGHAI_OFFSET_MS);
}

/** Delay in ms until a message due at `now` may be sent (0 outside quiet hours). */
export function quietHoursDelay(now: Date, quietStart: string, quietEnd: string): number {
  return nextAllowedTime(now, quietStart, quietEnd).getTime() - now.getTime();
}

export interface Rate {
  max: number;
  durationMs: number;
}
/** Per-channel limits (BullMQ limiter on each channel queue) and the per-phone-number SMS limit. */
export type RateLimits = Record<ChannelName, Rate | null> & { smsPerNumber: Rate | null };

/**
 * Defaults: SMS gateways accept about a hundred requests a second per account; WeCom and DingTalk group
 * robots document 20 messages a minute per robot; a phone number gets at most 10 SMS an hour.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  in_app: null,
  email: { max: 10, durationMs: 1000 },
  sms: { max: 100, durationMs: 1000 },
  wecom: { max: 20, durationMs: 60_000 },
  dingtalk: { max: 20, durationMs: 60_000 },
  smsPerNumber: { max: 10, durationMs: 3_600_000 },
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const NAMES: Record<string, keyof RateLimits> = {
  in_app: 'in_app',
  'in-app': 'in_app',
  email: 'email',
  sms: 'sms',
  wecom: 'wecom',
  dingtalk: 'dingtalk',
  'sms-number': 'smsPerNumber',
  sms_number: 'smsPerNumber',
};

/**
 * Parses `NOTIFY_RATE_LIMITS`, e.g. `sms=50/s,wecom=20/min,sms-number=10/h` (also `100/10s`);
 * unnamed channels keep their defaults; `0/...` removes a limit.
 */
export function parseRateLimits(spec: string | undefined): RateLimits {
  const out: RateLimits = { ...DEFAULT_RATE_LIMITS };
  if (!spec?.trim()) return out;
  for (const part of spec.split(',')) {
    const m = /^\s*([a-z_-]+)\s*=\s*(\d+)\s*\/\s*(\d*)\s*(ms|s|min|h)\s*$/.exec(part);
    if (!m) throw new RangeError(`bad rate limit ${JSON.stringify(part)} (expected e.g. sms=50/s)`);
    const name = NAMES[m[1]];
    if (!name) throw new RangeError(`unknown channel ${JSON.stringify(m[1])} in rate limits`);
    const max = Number(m[2]);
    const durationMs = (m[3] ? Number(m[3]) : 1) * UNIT_MS[m[4]];
    out[name] = max === 0 ? null : { max, durationMs };
  }
  return out;
}

/**
 * A name as shown where others may read the message (SMS, group robots): first and last
 * character around one `*`, which also hides the length (张小三 → 张*三, 欧阳小明 → 欧*明). A
 * two-character name keeps only its first character (张三 → 张*): showing both would hide nothing.
 */
export function maskName(name: string | null | undefined): string {
  const chars = [...(name ?? '').trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}*${chars[chars.length - 1]}`;
}

/** 138****5678 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const p = phone.replace(/\s+/g, '');
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
}

/** z***@example.cn */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Exponential back-off (BullMQ's): base, 2·base, 4·base… before attempts 2, 3, 4… */
export function backoffDelays(attempts: number, baseMs: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => baseMs * 2 ** i);
}
