/**
 * Which channels a staff member gets for each notification type. In-app is always on (it is the
 * record); a preference adds e-mail, SMS or a group robot. Without a stored preference: in-app
 * only, and the daily digest also by e-mail. Residents have no preferences: they get the visit
 * reminder by SMS, and only with recorded consent.
 */
import { CHANNELS, ChannelName, DELIVERY_TYPES, DeliveryType } from './types';

export type Preferences = Partial<Record<DeliveryType, ChannelName[]>>;

export const DEFAULT_PREFERENCES: Preferences = { daily_digest: ['email'] };

/** Types a staff member can set (the resident's visit reminder is not theirs). */
export const STAFF_TYPES: DeliveryType[] = DELIVERY_TYPES.filter((t) => t !== 'visit_reminder');

export function channelsFor(type: DeliveryType, prefs: Preferences | null | undefined): ChannelName[] {
  if (type === 'visit_reminder') return ['sms'];
  const chosen = prefs?.[type] ?? DEFAULT_PREFERENCES[type] ?? [];
  const out: ChannelName[] = ['in_app'];
  for (const c of chosen) if (CHANNELS.includes(c) && !out.includes(c)) out.push(c);
  return out;
}

/** Validates a preference document from the API; returns an error message or null. */
export function checkPreferences(doc: unknown): string | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return '通知渠道设置格式不正确 / channels must be an object { type: [channel…] }';
  for (const [type, list] of Object.entries(doc as Record<string, unknown>)) {
    if (!STAFF_TYPES.includes(type as DeliveryType)) return `未知的通知类型 ${type}（可选：${STAFF_TYPES.join('、')}） / unknown notification type ${type} (one of ${STAFF_TYPES.join(', ')})`;
    if (!Array.isArray(list)) return `${type} 的通知渠道须为列表 / channels for ${type} must be a list`;
    for (const c of list) if (!CHANNELS.includes(c as ChannelName)) return `${type} 的通知渠道 ${String(c)} 无法识别（可选：${CHANNELS.join('、')}） / unknown channel ${String(c)} for ${type} (one of ${CHANNELS.join(', ')})`;
  }
  return null;
}
