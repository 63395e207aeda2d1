import { createHmac } from 'node:crypto';
import { Channel, OutgoingMessage, PermanentDeliveryError, Recipient, SendResult, ThrottledError } from './channel';
import { postJson } from './http';

export const SMS_SIGN_NAME = '残联';
export const SMS_SIGNATURE_HEADER = 'x-dpf-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the shared secret>` */
export function smsSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Mainland mobile numbers, with or without +86. */
export function normalisePhone(phone: string | null | undefined): string | null {
  const p = (phone ?? '').replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(p) ? p : null;
}

/** Error codes of the provider reply that mean "never going to work" / "slow down". */
const PERMANENT = /MOBILE_NUMBER_ILLEGAL|INVALID_PARAMETERS|SIGNATURE|TEMPLATE_ILLEGAL|BLACK_KEY|InvalidAccessKeyId|Forbidden/i;
const THROTTLED = /LIMIT_CONTROL|Throttling|AMOUNT_NOT_ENOUGH_TEMP/i;

/**
 * SMS through an HTTP gateway. The request is the JSON form of the common provider SendSms call
 * (Aliyun-style field names: PhoneNumbers, SignName, TemplateCode, TemplateParam, OutId) plus the
 * rendered `Content` for gateways that send free text; `OutId` is the idempotency key, also sent
 * as `Idempotency-Key`, and the raw body is signed: header `X-DPF-Signature: sha256=<hex HMAC>`
 * with SMS_GATEWAY_SECRET. The gateway answers `{ "Code": "OK", "BizId": "…" }`.
 */
export class SmsChannel implements Channel {
  readonly name = 'sms' as const;
  readonly private = false;
  readonly resendInDoubt = true;

  constructor(private readonly url: string | undefined, private readonly secret: string | undefined) {}

  enabled(): boolean {
    return !!this.url && !!this.secret;
  }

  address(r: Recipient): string | null {
    return normalisePhone(r.phone);
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const params: Record<string, string> = {};
    for (const k of ['caseNo', 'step', 'dueDate', 'outcome']) if (m.vars[k] !== undefined) params[k] = String(m.vars[k]);
    const rawBody = JSON.stringify({
      PhoneNumbers: m.address,
      SignName: SMS_SIGN_NAME,
      TemplateCode: `DPF_${m.type.toUpperCase()}`,
      TemplateParam: JSON.stringify(params),
      Content: m.body,
      OutId: m.idempotencyKey,
      Timestamp: new Date().toISOString(),
    });
    const reply = await postJson(this.url!, rawBody, {
      [SMS_SIGNATURE_HEADER]: smsSignature(this.secret!, rawBody),
      'idempotency-key': m.idempotencyKey,
    });
    const code = String(reply?.Code ?? '');
    if (code === 'OK') return { providerId: reply.BizId ? String(reply.BizId) : undefined };
    const msg = `gateway ${code || 'no code'}: ${String(reply?.Message ?? '').slice(0, 200)}`;
    if (THROTTLED.test(code)) throw new ThrottledError(msg);
    if (PERMANENT.test(code)) throw new PermanentDeliveryError(msg);
    throw new Error(msg);
  }
}
