import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DomainError } from '../common/domain-error';
import { createRedis } from '../queues/redis';
import { IN_APP_PUBSUB, InAppEvent } from './channels/in-app.channel';

export const STREAM_TOKEN_TTL_SECONDS = 60;
const STREAM_AUDIENCE = 'dpf-notifications-stream';
const HEARTBEAT_MS = 25_000;

export interface StreamEvent {
  type?: string;
  data?: unknown;
  comment?: string;
  retry?: number;
}

/**
 * Live in-app notifications for the api's SSE endpoint. The worker (another process) publishes
 * each new in-app row on Redis pub/sub; this service holds one subscriber connection and fans the
 * events out to the open streams of that user.
 *
 * Stream tokens: EventSource cannot send an Authorization header, so the browser first asks for a
 * short-lived stream token (POST /notifications/stream-token, normal bearer auth) and opens
 * GET /notifications/stream?token=…. The token is signed by the same JwtService as access tokens
 * but with a key derived from JWT_SECRET and its own audience, valid 60 s and only for opening
 * the stream: it is not accepted as an access token, and an access token is not accepted in the URL
 * (URLs end up in proxy logs). An open stream stays open after the token expires (until the
 * client disconnects or the api restarts; EventSource then reconnects with a fresh token).
 */
@Injectable()
export class NotificationStreamService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = new Logger('NotificationStream');
  private sub?: Redis;
  private readonly listeners = new Map<string, Set<(e: InAppEvent) => void>>();
  private readonly open = new Set<{ complete(): void }>();
  private readonly streamKey: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {
    this.streamKey = createHmac('sha256', config.JWT_SECRET).update('notification-stream-token').digest('base64url');
  }

  /** The access tokens' JwtService (registered by AuthModule). */
  private jwt(): JwtService {
    return this.moduleRef.get(JwtService, { strict: false });
  }

  async issueToken(userId: string): Promise<{ token: string; expiresIn: number }> {
    const token = await this.jwt().signAsync(
      { sub: userId },
      { secret: this.streamKey, audience: STREAM_AUDIENCE, expiresIn: STREAM_TOKEN_TTL_SECONDS },
    );
    return { token, expiresIn: STREAM_TOKEN_TTL_SECONDS };
  }

  /**
   * The active user a stream token belongs to. Only stream tokens are accepted here: the session
   * checks of the access token (AuthGuard) ran when the stream token was issued.
   */
  async authenticate(queryToken: string | undefined): Promise<string> {
    let sub: string | undefined;
    try {
      if (queryToken) {
        sub = (await this.jwt().verifyAsync<{ sub: string }>(queryToken, { secret: this.streamKey, audience: STREAM_AUDIENCE })).sub;
      }
    } catch {
      sub = undefined;
    }
    if (!sub) {
      throw new DomainError(401, 'UNAUTHENTICATED', '消息推送连接凭证缺失或已失效，请刷新页面后重试 / open the stream with ?token= from POST /notifications/stream-token (valid 60 s)');
    }
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM staff_user WHERE id = $1 AND active`, [sub]);
    if (!rows.length) throw new DomainError(401, 'UNAUTHENTICATED', '该账号已停用 / the account is no longer active');
    return sub;
  }

  async unread(userId: string): Promise<number> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return n;
  }

  /** Events for one user: `unread` first, then `notification` per new row, a comment every 25 s. */
  stream(userId: string): Observable<StreamEvent> {
    return new Observable<StreamEvent>((subscriber) => {
      const listener = (e: InAppEvent) => subscriber.next({ type: 'notification', data: { unread: e.unread, notification: e.notification } });
      let set = this.listeners.get(userId);
      if (!set) this.listeners.set(userId, (set = new Set()));
      set.add(listener);
      const ready = this.subscribe();
      // Subscribed first, then counted: a notification arriving in between is not missed.
      ready
        .then(() => this.unread(userId))
        .then((unread) => subscriber.next({ type: 'unread', data: { unread }, retry: 5000 }))
        .catch(() => subscriber.next({ type: 'unread', data: { unread: null } }));
      const beat = setInterval(() => subscriber.next({ comment: 'keep-alive' }), HEARTBEAT_MS);
      beat.unref();
      this.open.add(subscriber);
      return () => {
        clearInterval(beat);
        this.open.delete(subscriber);
        set!.delete(listener);
        if (!set!.size) this.listeners.delete(userId);
      };
    });
  }

  /** Number of open streams (for tests and health). */
  openStreams(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private subscribing?: Promise<void>;
  private subscribe(): Promise<void> {
    this.subscribing ??= (async () => {
      this.sub = createRedis(this.config.REDIS_URL, { connectionName: 'dpf-caseflow-sse' });
      this.sub.on('error', () => undefined); // reconnects by itself; streams just go quiet meanwhile
      this.sub.on('message', (_channel: string, raw: string) => {
        let e: InAppEvent;
        try {
          e = JSON.parse(raw);
        } catch {
          return;
        }
        for (const l of this.listeners.get(e.userId) ?? []) l(e);
      });
      await this.sub.subscribe(IN_APP_PUBSUB);
      this.log.log('subscribed to live in-app notifications');
    })().catch((err) => {
      this.subscribing = undefined;
      this.sub?.disconnect();
      throw err;
    });
    return this.subscribing;
  }

  /** Ends open streams so the HTTP server can close (clients reconnect to another instance). */
  beforeApplicationShutdown(): void {
    for (const s of [...this.open]) s.complete();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sub && this.sub.status !== 'end') this.sub.disconnect();
  }
}
