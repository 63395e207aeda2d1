import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Batcher } from '../batcher';
import { Channel, OutgoingMessage, Recipient, SendResult } from './channel';

/** Redis pub/sub channel from the worker's in-app channel to the api's SSE streams. */
export const IN_APP_PUBSUB = 'dpf:notifications:in-app';

/** What the worker publishes and the api forwards to the user's open streams. */
export interface InAppEvent {
  userId: string;
  unread: number;
  notification: {
    id: string;
    type: string;
    title: string;
    body: string;
    caseId: string | null;
    taskId: string | null;
    readAt: null;
    createdAt: string;
  };
}

/**
 * In-app: a `notification` row per user (unique dedupe key = the message's job key, so a resend
 * adds nothing), then a live push through Redis pub/sub to the api's SSE endpoint. The push is
 * best effort: a client that was not connected reads the row with GET /notifications.
 */
export class InAppChannel implements Channel {
  readonly name = 'in_app' as const;
  readonly private = true;
  readonly resendInDoubt = true;

  constructor(private readonly ds: DataSource, private readonly publisher: Redis | null) {}

  enabled(): boolean {
    return true;
  }

  address(r: Recipient): string | null {
    return r.kind === 'staff' ? r.id : null;
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    return this.inserts.push(m);
  }

  /** One INSERT for the in-app messages of concurrent jobs, then one pipelined PUBLISH round trip. */
  private readonly inserts = new Batcher<OutgoingMessage, SendResult>(async (items) => {
    const rows: { dedupe_key: string; id: string; created_at: Date; unread: number }[] = await this.ds.query(
      `WITH v AS (
         SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::varchar[], $5::text[], $6::uuid[], $7::varchar[])
           AS v(dedupe_key, user_id, type, title, body, case_id, task_id)
       ), ins AS (
         INSERT INTO notification (dedupe_key, user_id, type, title, body, case_id, task_id)
         SELECT * FROM v ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key, id, user_id, created_at
       )
       SELECT ins.dedupe_key, ins.id, ins.created_at,
              (SELECT count(*)::int FROM notification n WHERE n.user_id = ins.user_id AND n.read_at IS NULL)
                + row_number() OVER (PARTITION BY ins.user_id ORDER BY ins.dedupe_key)::int AS unread
       FROM ins`,
      [
        items.map((m) => m.jobKey),
        items.map((m) => m.recipient.id),
        items.map((m) => m.type),
        items.map((m) => m.title.slice(0, 200)),
        items.map((m) => m.body),
        items.map((m) => m.caseId),
        items.map((m) => m.taskId),
      ],
    );
    const byKey = new Map(rows.map((r) => [r.dedupe_key, r]));
    if (this.publisher && rows.length) {
      const pipe = this.publisher.pipeline();
      for (const m of items) {
        const row = byKey.get(m.jobKey);
        if (!row) continue; // already there (a resend): it was pushed the first time
        const event: InAppEvent = {
          userId: m.recipient.id,
          unread: row.unread,
          notification: { id: row.id, type: m.type, title: m.title, body: m.body, caseId: m.caseId, taskId: m.taskId, readAt: null, createdAt: new Date(row.created_at).toISOString() },
        };
        pipe.publish(IN_APP_PUBSUB, JSON.stringify(event));
      }
      await pipe.exec().catch(() => undefined); // best effort: the row is the record
    }
    return items.map((m) => ({ providerId: byKey.get(m.jobKey)?.id }));
  });
}
