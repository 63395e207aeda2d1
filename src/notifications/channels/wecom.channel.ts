import { Channel, OutgoingMessage, PermanentDeliveryError, Recipient, SendResult, ThrottledError } from './channel';
import { postJson } from './http';
import { normalisePhone } from './sms.channel';

/**
 * WeCom (企业微信) group robot: POST {"msgtype":"text","text":{"content":…,"mentioned_mobile_list":[…]}}
 * to https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (WECOM_WEBHOOK_URL, key included).
 * Replies {"errcode":0,"errmsg":"ok"}; 45009 = over the robot's 20 messages/minute.
 * The group is shared, so names are masked and the recipient is @-mentioned by mobile number.
 */
export class WecomChannel implements Channel {
  readonly name = 'wecom' as const;
  readonly private = false;
  readonly resendInDoubt = false;

  constructor(private readonly url: string | undefined) {}

  enabled(): boolean {
    return !!this.url;
  }

  /** The group; the recipient's mobile (if any) is only for the @-mention. */
  address(r: Recipient): string | null {
    return normalisePhone(r.phone) ?? 'group';
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const text: Record<string, unknown> = { content: `${m.title}\n${m.body}` };
    if (m.address !== 'group') text.mentioned_mobile_list = [m.address];
    const reply = await postJson(this.url!, JSON.stringify({ msgtype: 'text', text }));
    return robotReply(reply, [45009], [93000, 40008, 40058, 300005]);
  }
}

/** errcode 0 = sent; `throttled` codes retry later; `permanent` codes dead-letter; others retry. */
export function robotReply(reply: any, throttled: number[], permanent: number[]): SendResult {
  const code = Number(reply?.errcode ?? -1);
  if (code === 0) return {};
  const msg = `robot errcode ${code}: ${String(reply?.errmsg ?? '').slice(0, 200)}`;
  if (throttled.includes(code)) throw new ThrottledError(msg);
  if (permanent.includes(code)) throw new PermanentDeliveryError(msg);
  throw new Error(msg);
}
