import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import type { ChannelName } from '../types';
import type { Channel } from './channel';
import { DingtalkChannel } from './dingtalk.channel';
import { EmailChannel } from './email.channel';
import { InAppChannel } from './in-app.channel';
import { SmsChannel } from './sms.channel';
import { WecomChannel } from './wecom.channel';

export * from './channel';

/** Every channel, configured from the environment (a channel without its endpoint is disabled). */
export function buildChannels(config: AppConfig, ds: DataSource, publisher: Redis | null): Record<ChannelName, Channel> {
  return {
    in_app: new InAppChannel(ds, publisher),
    email: new EmailChannel(config.SMTP_URL, config.SMTP_FROM),
    sms: new SmsChannel(config.SMS_GATEWAY_URL, config.SMS_GATEWAY_SECRET),
    wecom: new WecomChannel(config.WECOM_WEBHOOK_URL),
    dingtalk: new DingtalkChannel(config.DINGTALK_WEBHOOK_URL, config.DINGTALK_SECRET),
  };
}
