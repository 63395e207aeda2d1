import { createHmac } from 'node:crypto';
import { Channel, OutgoingMessage, Recipient, SendResult } from './channel';
import { postJson } from './http';
import { normalisePhone } from './sms.channel';
import { robotReply } from './wecom.channel';

/** DingTalk's signature: base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`)), URL-encoded. */
export function dingtalkSign(secret: string, timestamp: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64'));
}

/** DINGTALK_WEBHOOK_URL (…/robot/send?access_token=…) plus `&timestamp=…&sign=…` when a secret is set. */
export function dingtalkUrl(base: string, secret: string | undefined, now = Date.now()): string {
  if (!secret) return base;
  return `${base}${base.includes('?') ? '&' : '?'}timestamp=${now}&sign=${dingtalkSign(secret, now)}`;
}

/**
 * DingTalk (钉钉) custom group robot: POST {"msgtype":"text","text":{"content":…},"at":{"atMobiles":[…]}}
 * with the `timestamp`/`sign` query parameters of the robot's signing secret (DINGTALK_SECRET).
 * Replies {"errcode":0,"errmsg":"ok"}; 130101 = sending too fast; 310000 = signature/keyword refused.
 */
export class DingtalkChannel implements Channel {
  readonly name = 'dingtalk' as const;
  readonly private = false;
  readonly resendInDoubt = false;

  constructor(private readonly url: string | undefined, private readonly secret: string | undefined) {}

  enabled(): boolean {
    return !!this.url;
  }

  address(r: Recipient): string | null {
    return normalisePhone(r.phone) ?? 'group';
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const mobiles = m.address !== 'group' ? [m.address] : [];
    const body = { msgtype: 'text', text: { content: `${m.title}\n${m.body}` }, at: { atMobiles: mobiles, isAtAll: false } };
    const reply = await postJson(dingtalkUrl(this.url!, this.secret), JSON.stringify(body));
    return robotReply(reply, [130101], [310000, 300001, 400102]);
  }
}
