import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { NotificationMessage } from "../api/types";
import { useSession } from "../auth/AuthContext";

export interface AppNotification extends NotificationMessage {
  id: number;
  read: boolean;
}

/** Another user of the one /ws socket (the discussion's real time): told of every open and message. */
export interface SocketListener {
  /** The socket is open (first time or after a reconnect); `send` writes a JSON text frame. */
  onOpen?: (send: (message: unknown) => void) => void;
  /** Every JSON message of the server, parsed. */
  onMessage?: (message: Record<string, unknown>) => void;
  onClose?: () => void;
}

interface NotificationsState {
  items: AppNotification[];
  unread: number;
  toasts: AppNotification[];
  connected: boolean;
  markAllRead: () => void;
  dismissToast: (id: number) => void;
  /** Listen to the socket (returns the unsubscribe function). */
  subscribe: (listener: SocketListener) => () => void;
}

const Ctx = createContext<NotificationsState | null>(null);

const MAX_ITEMS = 50;
const TOAST_MS = 10_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

export function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}

function parse(data: unknown): NotificationMessage | null {
  if (typeof data !== "string") return null;
  try {
    const msg = JSON.parse(data) as Partial<NotificationMessage>;
    if (msg && msg.type === "notification" && typeof msg.message === "string") {
      return {
        type: "notification",
        kind: msg.kind ?? "role_attribue",
        message: msg.message,
        at: typeof msg.at === "string" ? msg.at : new Date().toISOString()
      } as NotificationMessage;
    }
  } catch {
    /* not JSON: ignore */
  }
  return null;
}

/**
 * Live notifications: one WebSocket to /ws while a user is logged in, reopened with exponential
 * backoff (1 s → 30 s, with jitter) when it drops. A role change refreshes the session so the menu
 * follows without a reload.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { me, refresh } = useSession();
  const userId = me?.id ?? null;
  const [items, setItems] = useState<AppNotification[]>([]);
  const [toasts, setToasts] = useState<AppNotification[]>([]);
  const [connected, setConnected] = useState(false);
  const nextId = useRef(1);
  const listeners = useRef(new Set<SocketListener>());
  const sendRef = useRef<((message: unknown) => void) | null>(null);

  const subscribe = useCallback((listener: SocketListener) => {
    listeners.current.add(listener);
    // Already open: the newcomer is told at once.
    if (sendRef.current) listener.onOpen?.(sendRef.current);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  const dismissToast = useCallback((id: number) => {
    setToasts(prev => prev.filter(t => t.id !== id));
  }, []);

  useEffect(() => {
    setItems([]);
    setToasts([]);
    if (userId === null) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const toastTimers = new Set<ReturnType<typeof setTimeout>>();

    const connect = () => {
      if (stopped) return;
      try {
        socket = new WebSocket(wsUrl());
      } catch {
        schedule();
        return;
      }
      const current = socket;
      socket.onopen = () => {
        attempt = 0;
        setConnected(true);
        const send = (message: unknown) => {
          if (current.readyState === WebSocket.OPEN) current.send(JSON.stringify(message));
        };
        sendRef.current = send;
        for (const l of [...listeners.current]) l.onOpen?.(send);
      };
      socket.onmessage = event => {
        if (typeof event.data === "string" && listeners.current.size > 0) {
          let raw: unknown = null;
          try {
            raw = JSON.parse(event.data);
          } catch {
            raw = null;
          }
          if (raw && typeof raw === "object" && (raw as { type?: unknown }).type !== "notification") {
            for (const l of [...listeners.current]) l.onMessage?.(raw as Record<string, unknown>);
            return;
          }
        }
        const msg = parse(event.data);
        if (!msg) return;
        const n: AppNotification = { ...msg, id: nextId.current++, read: false };
        setItems(prev => [n, ...prev].slice(0, MAX_ITEMS));
        setToasts(prev => [n, ...prev].slice(0, 3));
        const t = setTimeout(() => {
          toastTimers.delete(t);
          setToasts(prev => prev.filter(x => x.id !== n.id));
        }, TOAST_MS);
        toastTimers.add(t);
        if (msg.kind === "role_attribue" || msg.kind === "role_retire") void refreshRef.current();
      };
      socket.onclose = event => {
        setConnected(false);
        socket = null;
        sendRef.current = null;
        for (const l of [...listeners.current]) l.onClose?.();
        // 1000 "session closed": logged out elsewhere, password changed, account disabled. Asking
        // the session again sends the user to /connexion when it is over (this effect then stops).
        if (event.code === 1000 || event.code === 1008 || attempt > 0) void refreshRef.current();
        schedule();
      };
      socket.onerror = () => {
        /* onclose follows */
      };
    };

    const schedule = () => {
      if (stopped) return;
      const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
      attempt++;
      timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      toastTimers.forEach(clearTimeout);
      if (socket) {
        socket.onclose = null;
        socket.close(1000);
      }
      sendRef.current = null;
      for (const l of [...listeners.current]) l.onClose?.();
      setConnected(false);
    };
  }, [userId]);

  const markAllRead = useCallback(() => {
    setItems(prev => (prev.some(n => !n.read) ? prev.map(n => ({ ...n, read: true })) : prev));
  }, []);

  const value = useMemo(
    () => ({
      items,
      unread: items.filter(n => !n.read).length,
      toasts,
      connected,
      markAllRead,
      dismissToast,
      subscribe
    }),
    [items, toasts, connected, markAllRead, dismissToast, subscribe]
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNotifications(): NotificationsState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useNotifications must be used inside <NotificationsProvider>");
  return ctx;
}
