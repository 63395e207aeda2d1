/**
 * One interface for every delivery channel. A channel turns a rendered message into a delivery
 * to one recipient address; the pipeline around it (ledger, attempts log, retries, limits,
 * quiet hours, state checks) is the same for all (see channel-worker.ts).
 */
import type { ChannelName, DeliveryType, RecipientKind } from '../types';

export interface Recipient {
  kind: RecipientKind;
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
}

export interface OutgoingMessage {
  /** The message's job key (business key + recipient), e.g. `remind:<taskId>:0:<userId>`. */
  jobKey: string;
  /**
   * Stable per (message, channel): the same on every retry and after a crash. Channels that can
   * carry it (SMS `OutId`, e-mail Message-ID, in-app dedupe key) let the receiver drop a resend.
   */
  idempotencyKey: string;
  type: DeliveryType;
  title: string;
  body: string;
  recipient: Recipient;
  /** Address this channel sends to (phone, e-mail…) as returned by `address()`. */
  address: string;
  caseId: string | null;
  taskId: string | null;
  vars: Record<string, unknown>;
}

export interface SendResult {
  /** Provider's id for the message, if any (kept in the attempt log). */
  providerId?: string;
}

export interface Channel {
  readonly name: ChannelName;
  /** Read only by the recipient (in-app, e-mail): full names; otherwise names are masked. */
  readonly private: boolean;
  /**
   * Whether an attempt cut off mid-send (process killed) may be sent again: true where the
   * receiver drops a repeat of `idempotencyKey`. Group robots have no such key, so an in-doubt
   * robot message is not resent automatically (it goes to the dead-letter list to check).
   */
  readonly resendInDoubt: boolean;
  /** Configured (endpoint set)? An unconfigured channel is skipped with `skipped-not-configured`. */
  enabled(): boolean;
  /** The address for this recipient, or null (skipped with `skipped-no-address`). */
  address(r: Recipient): string | null;
  send(msg: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/** A failure that retrying cannot fix (bad address, rejected signature…): dead-lettered at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** The provider asked us to slow down: retried after `retryAfterMs` without counting as a failure. */
export class ThrottledError extends Error {
  constructor(message: string, readonly retryAfterMs = 60_000) {
    super(message);
    this.name = 'ThrottledError';
  }
}
