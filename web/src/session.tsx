/**
 * The signed-in session. Access tokens live 15 minutes; the server also ends a session after
 * 15 minutes without requests and 8 hours after sign-in. The client therefore:
 *  - refreshes the token before it expires while the user is active (pointer, keys, touch);
 *  - warns two minutes before the idle limit (WCAG 2.2.1: the user can extend with one action),
 *    and signs out locally at the limit with a message: background polling does not count as
 *    activity here, even though it keeps the server session alive;
 *  - on any 401 returns to sign-in with the server's reason, and comes back to the same page.
 * The token is kept in sessionStorage (this tab only, gone when the tab closes) so that a reload
 * does not sign the user out; it is never put in a cookie.
 */
import { Button, Modal } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, configureApi } from './api';
import { bilingual, useI18n, type MsgKey } from './i18n';
import type { User } from './types';

const STORE = 'dpf.session';
export const IDLE_LIMIT_MS = 15 * 60_000;
const WARN_BEFORE_MS = 2 * 60_000;
const REFRESH_BEFORE_MS = 2 * 60_000;

interface Stored {
  token: string;
  expiresAt: number;
  user: User;
}

export interface SignInNotice {
  key?: MsgKey;
  text?: string;
  kind: 'info' | 'warning';
}

interface SessionApi {
  user: User | null;
  token: string | null;
  /** Why the last session ended (shown on the sign-in page). */
  notice: SignInNotice | null;
  signIn(username: string, password: string, otp?: string): Promise<void>;
  signOut(): Promise<void>;
}

const Ctx = createContext<SessionApi | null>(null);

function load(): Stored | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Stored | null;
    return s && s.token && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [session, setSession] = useState<Stored | null>(load);
  const ref = useRef<Stored | null>(session);
  ref.current = session;
  const lastActivity = useRef(Date.now());
  const refreshing = useRef(false);
  const [warnLeft, setWarnLeft] = useState<number | null>(null);
  // Kept here rather than only in the router state: the route guard may redirect to sign-in in the
  // same render that clears the session, and its navigation would drop that state.
  const [notice, setNotice] = useState<SignInNotice | null>(null);
  const here = useRef(location.pathname + location.search);
  here.current = location.pathname + location.search;

  const store = useCallback((s: Stored | null) => {
    if (s) sessionStorage.setItem(STORE, JSON.stringify(s));
    else sessionStorage.removeItem(STORE);
    ref.current = s;
    setSession(s);
  }, []);

  const end = useCallback(
    (notice: SignInNotice) => {
      if (!ref.current) return;
      setNotice(notice);
      store(null);
      setWarnLeft(null);
      const from = here.current.startsWith('/app/signin') ? undefined : here.current;
      navigate('/app/signin', { replace: true, state: { notice, from } });
    },
    [navigate, store],
  );

  // Set during render (not in an effect): the pages' first requests run in child effects, which
  // React runs before this provider's effects, and they must already carry the token.
  const endRef = useRef(end);
  endRef.current = end;
  configureApi({
    token: () => ref.current?.token ?? null,
    unauthenticated: (err: ApiError) =>
      endRef.current(err.code === 'MFA_ENROLL_REQUIRED' ? { key: 'mfaRequiredNotice', kind: 'warning' } : { text: err.message, key: 'sessionExpired', kind: 'warning' }),
    served: () => undefined,
  });

  const refresh = useCallback(async () => {
    const s = ref.current;
    if (!s || refreshing.current) return;
    refreshing.current = true;
    try {
      const r = await api<{ accessToken: string; expiresIn: number }>('/auth/refresh', { method: 'POST', body: {} });
      if (ref.current) store({ ...ref.current, token: r.accessToken, expiresAt: Date.now() + r.expiresIn * 1000 });
    } catch {
      /* a 401 has already ended the session; anything else: try again on the next tick */
    } finally {
      refreshing.current = false;
    }
  }, [store]);

  // User activity (not background requests) keeps the session.
  useEffect(() => {
    const mark = () => {
      lastActivity.current = Date.now();
    };
    const evs = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    evs.forEach((e) => window.addEventListener(e, mark, { passive: true, capture: true }));
    return () => evs.forEach((e) => window.removeEventListener(e, mark, { capture: true }));
  }, []);

  useEffect(() => {
    if (!session) return;
    const tick = () => {
      const s = ref.current;
      if (!s) return;
      const now = Date.now();
      const idle = now - lastActivity.current;
      if (idle >= IDLE_LIMIT_MS) {
        void api('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
        end({ key: 'sessionIdle', kind: 'warning' });
        return;
      }
      if (idle >= IDLE_LIMIT_MS - WARN_BEFORE_MS) {
        setWarnLeft(Math.ceil((IDLE_LIMIT_MS - idle) / 1000));
        return;
      }
      setWarnLeft(null);
      if (s.expiresAt - now < REFRESH_BEFORE_MS) void refresh();
      else if (s.expiresAt <= now) end({ key: 'sessionExpired', kind: 'warning' });
    };
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
  }, [session !== null, end, refresh]); // eslint-disable-line react-hooks/exhaustive-deps

  // On start with a stored token: make sure it still names a live session, and reload the user.
  useEffect(() => {
    if (!ref.current) return;
    api<User>('/auth/me')
      .then((me) => ref.current && store({ ...ref.current, user: { ...ref.current.user, ...me } }))
      .catch(() => undefined);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const signIn = useCallback(
    async (username: string, password: string, otp?: string) => {
      const r = await api<{ accessToken: string; expiresIn: number; user: User }>('/auth/login', {
        method: 'POST',
        body: { username, password, ...(otp ? { otp } : {}) },
        auth: false,
      });
      lastActivity.current = Date.now();
      setNotice(null);
      store({ token: r.accessToken, expiresAt: Date.now() + r.expiresIn * 1000, user: r.user });
    },
    [store],
  );

  const signOut = useCallback(async () => {
    await api('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
    setNotice({ key: 'signedOut', kind: 'info' });
    store(null);
    navigate('/app/signin', { replace: true, state: { notice: { key: 'signedOut', kind: 'info' } } });
  }, [navigate, store]);

  const value = useMemo<SessionApi>(
    () => ({ user: session?.user ?? null, token: session?.token ?? null, notice, signIn, signOut }),
    [session, notice, signIn, signOut],
  );

  return (
    <Ctx.Provider value={value}>
      {children}
      <Modal
        open={warnLeft !== null}
        title={t('idleWarnTitle')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={[
          <Button key="out" onClick={() => void signOut()}>
            {t('signOut')}
          </Button>,
          <Button
            key="stay"
            type="primary"
            autoFocus
            onClick={() => {
              lastActivity.current = Date.now();
              setWarnLeft(null);
              void refresh();
            }}
          >
            {t('staySignedIn')}
          </Button>,
        ]}
      >
        <p role="timer" aria-live="off">
          {t('idleWarnBody', { seconds: warnLeft ?? 0 })}
        </p>
        <p className="sr-only" aria-live="assertive">
          {warnLeft !== null && warnLeft % 30 === 0 ? t('idleWarnBody', { seconds: warnLeft }) : ''}
        </p>
      </Modal>
    </Ctx.Provider>
  );
}

export function useSession(): SessionApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function noticeText(n: SignInNotice | undefined, t: (k: MsgKey) => string, lang: 'zh-CN' | 'en'): string | null {
  if (!n) return null;
  if (n.text) return bilingual(n.text, lang);
  return n.key ? t(n.key) : null;
}
