/**
 * What every channel job goes through, whatever the channel:
 *   claim (ledger row → `sending`, attempt n) → interrupted previous attempt? → task still open?
 *   → channel configured, recipient active, address, consent → quiet hours → per-number limit
 *   → render (masked where the channel is not private) → send → finish (attempt row + status).
 * Transient failures are retried by BullMQ with exponential back-off; the last one, or a
 * permanent failure, leaves the delivery `dead` (the dead-letter list).
 */
import { createHash } from 'node:crypto';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { Channel, OutgoingMessage, PermanentDeliveryError, ThrottledError } from './channels/channel';
import { Claimed, DeliveryStore, Finish } from './delivery-store';
import { maskEmail, maskPhone, nextAllowedTime, Rate } from './rules';
import { render } from './templates';
import { AttemptOutcome, ChannelJob, TASK_REMINDER_TYPES } from './types';

export interface ChannelWorkerOptions {
  quietStart: string;
  quietEnd: string;
  smsPerNumber: Rate | null;
  /** For the per-number counters. */
  redis: Redis | null;
  now?: () => Date;
}

export type ProcessResult = { outcome: AttemptOutcome | 'duplicate' };

/** Stable per message and channel: the same on every attempt, after a crash, and on admin retry. */
export function idempotencyKey(jobKey: string, channel: string): string {
  return `n${createHash('sha256').update(`${jobKey}|${channel}`).digest('hex').slice(0, 32)}`;
}

function maskedAddress(channel: string, address: string): string | null {
  if (channel === 'email') return maskEmail(address);
  if (channel === 'in_app') return null;
  if (address === 'group') return 'group';
  return maskPhone(address);
}

class Deferred extends Error {
  constructor(readonly until: Date, readonly outcome: AttemptOutcome, readonly reason: string) {
    super(reason);
  }
}

export class ChannelProcessor {
  constructor(
    private readonly channel: Channel,
    private readonly store: DeliveryStore,
    private readonly opts: ChannelWorkerOptions,
  ) {}

  async process(job: Job<ChannelJob>, token?: string): Promise<ProcessResult> {
    const c = await this.store.claim(job.data.deliveryId);
    if (!c) return { outcome: 'duplicate' }; // already sent / skipped / dead-lettered
    if (c.prevStatus === 'sending') {
      await this.store.logInterrupted(c);
      if (!this.channel.resendInDoubt) {
        return this.end(c, {
          outcome: 'in-doubt',
          status: 'dead',
          error: 'the previous attempt was cut off while sending and this channel cannot drop a repeat; not resent automatically — check the group and retry from the dead-letter list if it is missing',
        });
      }
    }
    try {
      const skip = this.skipReason(c);
      if (skip) return this.end(c, { outcome: skip[0], status: 'skipped', error: skip[1] });
      const recipient = { kind: c.recipientKind, id: c.recipientId, name: c.name, phone: c.phone, email: c.email, locale: c.locale };
      const address = this.channel.address(recipient);
      if (!address) return this.end(c, { outcome: 'skipped-no-address', status: 'skipped', error: `no ${this.channel.name} address on record` });
      const masked = maskedAddress(this.channel.name, address);
      await this.checkHold(c, address);

      const { title, body } = render(c.type, c.vars, { locale: c.locale, private: this.channel.private });
      const msg: OutgoingMessage = {
        jobKey: c.jobKey,
        idempotencyKey: idempotencyKey(c.jobKey, c.channel),
        type: c.type,
        title,
        body,
        recipient,
        address,
        caseId: c.caseId,
        taskId: c.taskId,
        vars: c.vars,
      };
      try {
        await this.channel.send(msg);
      } catch (err) {
        if (err instanceof ThrottledError) throw new Deferred(new Date(this.now().getTime() + err.retryAfterMs), 'deferred-rate-limit', err.message);
        const message = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof PermanentDeliveryError;
        const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        await this.store.finish(c, { outcome: last ? 'dead' : 'failed', status: last ? 'dead' : 'failed', error: message, address: masked });
        if (permanent) throw new UnrecoverableError(message);
        throw err instanceof Error ? err : new Error(message);
      }
      return this.end(c, { outcome: 'delivered', status: 'sent', address: masked });
    } catch (err) {
      if (!(err instanceof Deferred)) throw err;
      // Held back (quiet hours, per-number limit, provider throttling): back to `queued` with the
      // time it may go, and the job waits in BullMQ's delayed set without using up an attempt.
      await this.store.finish(c, { outcome: err.outcome, status: 'queued', error: err.reason, notBefore: err.until });
      await job.moveToDelayed(err.until.getTime(), token);
      throw new DelayedError();
    }
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private async end(c: Claimed, f: Finish): Promise<ProcessResult> {
    await this.store.finish(c, f);
    return { outcome: f.outcome };
  }

  private skipReason(c: Claimed): [AttemptOutcome, string] | null {
    if (TASK_REMINDER_TYPES.has(c.type) && c.taskId && c.taskStatus !== 'open') {
      return ['skipped-closed', `task ${c.taskId} is ${c.taskStatus ?? 'gone'}`];
    }
    if (!this.channel.enabled()) return ['skipped-not-configured', `channel ${this.channel.name} is not configured`];
    if (!c.active) return ['skipped-no-address', 'the recipient is inactive or no longer exists'];
    if (this.channel.name === 'sms' && c.recipientKind === 'person' && !c.smsConsent) {
      return ['skipped-no-consent', 'no recorded SMS consent for this resident'];
    }
    return null;
  }

  /** Throws Deferred while quiet hours (SMS to residents) or the per-number SMS limit hold the message. */
  private async checkHold(c: Claimed, address: string): Promise<void> {
    if (this.channel.name !== 'sms') return;
    const now = this.now();
    if (c.recipientKind === 'person') {
      const allowed = nextAllowedTime(now, this.opts.quietStart, this.opts.quietEnd);
      if (allowed.getTime() > now.getTime()) {
        throw new Deferred(allowed, 'deferred-quiet-hours', `quiet hours ${this.opts.quietStart}–${this.opts.quietEnd}: held until ${allowed.toISOString()}`);
      }
    }
    const limit = this.opts.smsPerNumber;
    if (limit && this.opts.redis) {
      const window = Math.floor(now.getTime() / limit.durationMs);
      const key = `dpf:notify:sms-number:${createHash('sha256').update(address).digest('hex').slice(0, 24)}:${window}`;
      const res = await this.opts.redis.pipeline().set(key, 0, 'PX', limit.durationMs + 1000, 'NX').incr(key).exec();
      const n = Number(res?.[1]?.[1] ?? 0);
      if (n > limit.max) {
        const until = new Date((window + 1) * limit.durationMs);
        throw new Deferred(until, 'deferred-rate-limit', `more than ${limit.max} SMS to this number within ${limit.durationMs / 1000}s: held until ${until.toISOString()}`);
      }
    }
  }
}
