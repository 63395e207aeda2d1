import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { Page } from './types';

/** Keyset pages: first page on every change of `url`, then "load more" with the server's cursor. */
export function useKeyset<T>(url: string | null) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loaded, setLoaded] = useState(false);
  const gen = useRef(0);

  const fetchPage = useCallback(
    async (after: string | null, reset: boolean) => {
      if (!url) return;
      const my = ++gen.current;
      setLoading(true);
      setError(null);
      try {
        const sep = url.includes('?') ? '&' : '?';
        const page = await api<Page<T>>(after ? `${url}${sep}cursor=${encodeURIComponent(after)}` : url);
        if (my !== gen.current) return;
        setItems((old) => (reset ? page.items : [...old, ...page.items]));
        setCursor(page.nextCursor);
        setLoaded(true);
      } catch (e) {
        if (my === gen.current) setError(e);
      } finally {
        if (my === gen.current) setLoading(false);
      }
    },
    [url],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    setLoaded(false);
    void fetchPage(null, true);
  }, [fetchPage]);

  return {
    items,
    loading,
    error,
    loaded,
    hasMore: !!cursor,
    loadMore: () => void fetchPage(cursor, false),
    reload: () => void fetchPage(null, true),
  };
}

/** One GET, reloadable. */
export function useGet<T>(url: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!!url);
  const gen = useRef(0);
  const load = useCallback(async () => {
    if (!url) return;
    const my = ++gen.current;
    setLoading(true);
    setError(null);
    try {
      const d = await api<T>(url);
      if (my === gen.current) setData(d);
    } catch (e) {
      if (my === gen.current) setError(e);
    } finally {
      if (my === gen.current) setLoading(false);
    }
  }, [url]);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, loading, reload: load, setData };
}
