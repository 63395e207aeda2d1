/**
 * Unread notifications, live when the api has the SSE stream (POST /notifications/stream-token
 * for a 60-second stream token, then GET /notifications/stream?token=…, events `unread` and
 * `notification`), else polled every 30 s. EventSource cannot send an Authorization header, hence
 * the short-lived stream token; when the stream drops, a fresh token is fetched (the old one may
 * have expired). `version` bumps on every change so the notification page reloads its list.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';
import { useSession } from './session';

interface Notif {
  unread: number;
  live: boolean;
  version: number;
  refresh(): void;
}
const Ctx = createContext<Notif>({ unread: 0, live: false, version: 0, refresh: () => undefined });
const POLL_MS = 30_000;

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const [unread, setUnread] = useState(0);
  const [live, setLive] = useState(false);
  const [version, setVersion] = useState(0);
  const userRef = useRef(user);
  userRef.current = user;

  const refresh = useCallback(() => {
    if (!userRef.current) return;
    api<{ unread: number }>('/notifications?filter=unread&limit=1')
      .then((r) => {
        setUnread((old) => {
          if (old !== r.unread) setVersion((v) => v + 1);
          return r.unread;
        });
      })
      .catch(() => undefined);
  }, []);

  const userId = user?.id;
  useEffect(() => {
    if (!userId) return;
    let stopped = false;
    let es: EventSource | null = null;
    let timer: number | undefined;
    let retry: number | undefined;
    let failures = 0;
    const poll = () => {
      setLive(false);
      if (timer === undefined) timer = window.setInterval(refresh, POLL_MS);
    };
    const stopPolling = () => {
      if (timer !== undefined) window.clearInterval(timer);
      timer = undefined;
    };
    const onData = (ev: MessageEvent) => {
      try {
        const d = JSON.parse(ev.data);
        if (typeof d?.unread === 'number') setUnread(d.unread);
        else refresh();
      } catch {
        refresh();
      }
      setVersion((v) => v + 1);
    };
    const connect = async () => {
      if (stopped) return;
      if (typeof EventSource === 'undefined') return poll();
      let token: string;
      try {
        token = (await api<{ token: string }>('/notifications/stream-token', { method: 'POST', body: {} })).token;
      } catch (e) {
        poll();
        // No stream endpoint on this api (404): stay with polling. Otherwise try again later.
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 403))) retry = window.setTimeout(connect, 30_000);
        return;
      }
      if (stopped) return;
      es = new EventSource(`/notifications/stream?token=${encodeURIComponent(token)}`);
      es.onopen = () => {
        failures = 0;
        setLive(true);
        stopPolling();
      };
      es.addEventListener('unread', onData as EventListener);
      es.addEventListener('notification', onData as EventListener);
      es.onmessage = onData;
      es.onerror = () => {
        // The browser would reconnect with the same (soon expired) token: close, poll meanwhile, reconnect with a fresh one.
        es?.close();
        es = null;
        poll();
        failures++;
        retry = window.setTimeout(connect, Math.min(60_000, 2_000 * 2 ** Math.min(failures, 5)));
      };
    };
    refresh();
    void connect();
    return () => {
      stopped = true;
      es?.close();
      stopPolling();
      if (retry !== undefined) window.clearTimeout(retry);
    };
  }, [userId, refresh]);

  const value = useMemo(() => ({ unread, live, version, refresh }), [unread, live, version, refresh]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useNotifications = () => useContext(Ctx);
