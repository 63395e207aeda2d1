import { createTransport, Transporter } from 'nodemailer';
import { Channel, OutgoingMessage, PermanentDeliveryError, Recipient, SendResult } from './channel';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * E-mail over SMTP (nodemailer; SMTP_URL e.g. smtps://user:pass@mail.example.cn:465). Private
 * (full names, links). The Message-ID is derived from the idempotency key, so a resend after a
 * crash carries the same Message-ID and mail stores/clients collapse it into one message.
 * SMTP 5xx replies are permanent (dead-lettered at once); 4xx and connection errors are retried.
 */
export class EmailChannel implements Channel {
  readonly name = 'email' as const;
  readonly private = true;
  readonly resendInDoubt = true;
  private transport?: Transporter;

  constructor(private readonly url: string | undefined, private readonly from: string) {}

  enabled(): boolean {
    return !!this.url;
  }

  address(r: Recipient): string | null {
    return r.email && EMAIL.test(r.email) ? r.email : null;
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    this.transport ??= createTransport({ url: this.url!, pool: true, maxConnections: 2, connectionTimeout: 10_000, socketTimeout: 20_000 } as any);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: m.address,
        subject: m.title,
        text: m.body,
        messageId: `<${m.idempotencyKey}@dpf-caseflow>`,
        headers: { 'X-DPF-Notification': m.idempotencyKey },
      });
      return { providerId: info.messageId };
    } catch (err) {
      const code = Number((err as any)?.responseCode);
      const msg = `SMTP ${Number.isFinite(code) ? code : ''} ${(err as Error)?.message ?? err}`.trim();
      if (code >= 500 && code < 600) throw new PermanentDeliveryError(msg);
      throw new Error(msg);
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}
