import { createHmac } from 'node:crypto';
import { dingtalkSign, dingtalkUrl } from '../../../src/notifications/channels/dingtalk.channel';
import { normalisePhone, smsSignature } from '../../../src/notifications/channels/sms.channel';
import { idempotencyKey } from '../../../src/notifications/channel-worker';
import { channelsFor, checkPreferences } from '../../../src/notifications/preferences';

test('SMS gateway signature: HMAC-SHA256 of the raw body, hex', () => {
  const body = '{"PhoneNumbers":"13800000000"}';
  expect(smsSignature('s3cret-s3cret-s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret-s3cret-s3cret').update(body).digest('hex')}`);
});

test('DingTalk signature: base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, URL-encoded', () => {
  const secret = 'SECexample0123456789';
  const ts = 1_700_000_000_000;
  const expected = encodeURIComponent(createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'));
  expect(dingtalkSign(secret, ts)).toBe(expected);
  expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, ts)).toBe(
    `https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=${ts}&sign=${expected}`,
  );
  expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', undefined, ts)).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
});

test('mainland mobile numbers', () => {
  expect(normalisePhone('+86 138-1234-5678')).toBe('13812345678');
  expect(normalisePhone('010-12345678')).toBeNull();
});

test('the idempotency key is stable per message and channel', () => {
  expect(idempotencyKey('remind:c-t3:0:u1', 'sms')).toBe(idempotencyKey('remind:c-t3:0:u1', 'sms'));
  expect(idempotencyKey('remind:c-t3:0:u1', 'sms')).not.toBe(idempotencyKey('remind:c-t3:0:u1', 'email'));
  expect(idempotencyKey('remind:c-t3:0:u1', 'sms')).toMatch(/^n[0-9a-f]{32}$/);
});

test('preferences: in-app always, chosen channels added, residents get SMS only', () => {
  expect(channelsFor('task_assigned', null)).toEqual(['in_app']);
  expect(channelsFor('daily_digest', null)).toEqual(['in_app', 'email']);
  expect(channelsFor('task_escalated', { task_escalated: ['sms', 'wecom', 'sms'] })).toEqual(['in_app', 'sms', 'wecom']);
  expect(channelsFor('visit_reminder', { visit_reminder: ['email'] } as any)).toEqual(['sms']);
  expect(checkPreferences({ task_escalated: ['sms'] })).toBeNull();
  expect(checkPreferences({ task_escalated: ['fax'] })).toMatch(/^task_escalated 的通知渠道 fax 无法识别.* \/ unknown channel fax for task_escalated/);
  expect(checkPreferences({ visit_reminder: ['sms'] })).toMatch(/unknown notification type/);
});
