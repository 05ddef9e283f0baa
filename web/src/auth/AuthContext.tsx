import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { isApiError, setUnauthorizedHandler } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Me } from "../api/types";
import { viderDonneesUtilisateur } from "../horsligne/cache";
import { synchroniser } from "../horsligne/envoi";

interface Session {
  /** undefined while the first GET /api/me is in flight, null when logged out. */
  me: Me | null | undefined;
  /** True after an explicit log-out, until the next log-in. */
  loggedOut: boolean;
  setMe: (me: Me | null) => void;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null | undefined>(undefined);
  const [loggedOut, setLoggedOut] = useState(false);
  const setMe = useCallback((next: Me | null) => {
    setMeState(next);
    if (next) setLoggedOut(false);
  }, []);
  const navigate = useNavigate();

  const refresh = useCallback(async () => {
    try {
      setMeState(await endpoints.getMe());
    } catch (e) {
      if (isApiError(e) && e.status === 401) setMeState(null);
      else {
        // Server unreachable: behave as logged out; the log-in form will show the error.
        console.error(e);
        setMeState(prev => prev ?? null);
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    // A protected call answered 401 (session expired, logged out elsewhere): forget the user;
    // <RequireAuth> then sends them to /connexion, remembering where they were.
    setUnauthorizedHandler(() => setMeState(null));
    return () => setUnauthorizedHandler(null);
  }, []);

  const logout = useCallback(async () => {
    // The CRAs waiting on this device are sent first when the network allows (5 s at most);
    // those that cannot be stay on the device for this account's next log-in.
    await Promise.race([synchroniser().catch(() => undefined), new Promise(r => setTimeout(r, 5000))]);
    try {
      await endpoints.logout();
    } catch (e) {
      console.error(e);
    }
    // The offline copies of this account's data (service worker cache) go with the session.
    await viderDonneesUtilisateur();
    // <RequireAuth> of the page being left redirects to /connexion as soon as `me` is null;
    // `loggedOut` tells it (and the log-in page) that this was on purpose.
    setLoggedOut(true);
    setMeState(null);
    navigate("/connexion", { replace: true });
  }, [navigate]);

  const value = useMemo(
    () => ({ me, loggedOut, setMe, refresh, logout }),
    [me, loggedOut, setMe, refresh, logout]
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession must be used inside <AuthProvider>");
  return ctx;
}

/** The logged-in user, for pages rendered inside <RequireAuth>. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error("useMe used outside <RequireAuth>");
  return me;
}
