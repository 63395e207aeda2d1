import { loadConfig } from '../../../src/config/config';
import { backoffDelays, maskEmail, maskName, maskPhone, nextAllowedTime, parseRateLimits, quietHoursDelay, DEFAULT_RATE_LIMITS } from '../../../src/notifications/rules';

const at = (iso: string) => new Date(iso);

describe('quiet hours (default 21:00–08:00 Asia/Shanghai)', () => {
  const next = (iso: string) => nextAllowedTime(at(iso), '21:00', '08:00').toISOString();

  test('an SMS due at 22:30 waits for 08:00 the next morning', () => {
    expect(next('2026-11-23T22:30:00+08:00')).toBe(at('2026-11-24T08:00:00+08:00').toISOString());
    expect(quietHoursDelay(at('2026-11-23T22:30:00+08:00'), '21:00', '08:00')).toBe(9.5 * 3_600_000);
  });
  test('after midnight it waits for 08:00 the same morning', () => {
    expect(next('2026-11-24T03:15:00+08:00')).toBe(at('2026-11-24T08:00:00+08:00').toISOString());
    expect(next('2026-11-24T07:59:59+08:00')).toBe(at('2026-11-24T08:00:00+08:00').toISOString());
  });
  test('the edges: 21:00 is quiet, 08:00 and 20:59 are not', () => {
    expect(next('2026-11-23T21:00:00+08:00')).toBe(at('2026-11-24T08:00:00+08:00').toISOString());
    expect(quietHoursDelay(at('2026-11-24T08:00:00+08:00'), '21:00', '08:00')).toBe(0);
    expect(quietHoursDelay(at('2026-11-23T20:59:59+08:00'), '21:00', '08:00')).toBe(0);
    expect(quietHoursDelay(at('2026-11-23T12:00:00+08:00'), '21:00', '08:00')).toBe(0);
  });
  test('it is Shanghai time whatever the server time zone: 14:00 UTC is 22:00 in Shanghai', () => {
    expect(next('2026-11-23T14:00:00Z')).toBe('2026-11-24T00:00:00.000Z'); // 08:00+08:00
  });
  test('across the year end, and a window that does not wrap midnight', () => {
    expect(next('2026-12-31T23:00:00+08:00')).toBe(at('2027-01-01T08:00:00+08:00').toISOString());
    expect(nextAllowedTime(at('2026-11-23T12:30:00+08:00'), '12:00', '14:00').toISOString()).toBe(at('2026-11-23T14:00:00+08:00').toISOString());
    expect(quietHoursDelay(at('2026-11-23T14:30:00+08:00'), '12:00', '14:00')).toBe(0);
  });
  test('equal start and end mean no quiet hours', () => {
    expect(quietHoursDelay(at('2026-11-23T23:00:00+08:00'), '00:00', '00:00')).toBe(0);
  });
  test('configuration defaults and validation', () => {
    const base = { DATABASE_URL: 'postgres://u:p@h/d', REDIS_URL: 'redis://h:1', TEMPORAL_ADDRESS: 'h:1', JWT_SECRET: 'x'.repeat(40) };
    const c = loadConfig(base);
    expect([c.NOTIFY_QUIET_START, c.NOTIFY_QUIET_END]).toEqual(['21:00', '08:00']);
    expect(() => loadConfig({ ...base, NOTIFY_QUIET_START: '9pm' })).toThrow(/NOTIFY_QUIET_START/);
    expect(() => loadConfig({ ...base, SMS_GATEWAY_URL: 'http://127.0.0.1:1/sms' })).toThrow(/SMS_GATEWAY_SECRET is required/);
    expect(() => loadConfig({ ...base, NOTIFY_RATE_LIMITS: 'sms=fast' })).toThrow(/NOTIFY_RATE_LIMITS/);
  });
});

describe('rate limits', () => {
  test('defaults: robots 20/min, SMS 100/s, 10 SMS per number per hour, in-app unlimited', () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS.wecom).toEqual({ max: 20, durationMs: 60_000 });
    expect(DEFAULT_RATE_LIMITS.in_app).toBeNull();
  });
  test('NOTIFY_RATE_LIMITS overrides named channels', () => {
    const r = parseRateLimits('sms=200/s, wecom=10/min,sms-number=3/10s,email=0/s');
    expect(r.sms).toEqual({ max: 200, durationMs: 1000 });
    expect(r.wecom).toEqual({ max: 10, durationMs: 60_000 });
    expect(r.smsPerNumber).toEqual({ max: 3, durationMs: 10_000 });
    expect(r.email).toBeNull();
    expect(r.dingtalk).toEqual(DEFAULT_RATE_LIMITS.dingtalk);
    expect(() => parseRateLimits('fax=1/s')).toThrow(/unknown channel/);
  });
  test('exponential back-off between attempts', () => {
    expect(backoffDelays(6, 5000)).toEqual([5000, 10000, 20000, 40000, 80000]);
  });
});

describe('masking where others may read (SMS, group robots)', () => {
  test('names', () => {
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('欧阳小明')).toBe('欧*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });
  test('phone numbers and e-mail addresses in the ledger', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskEmail('zhang.san@cdpf.example.cn')).toBe('z***@cdpf.example.cn');
  });
});
