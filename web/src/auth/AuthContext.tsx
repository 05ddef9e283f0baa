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

// A log-out that could not reach the server (offline): the session cookie is HttpOnly, only the
// server ends it. Until it has, the app behaves as logged out (it does not open the account from
// the offline copy of /api/me) and tells the server as soon as the network is back.
const DECONNEXION_EN_ATTENTE = "coop-deconnexion-en-attente";
const deconnexionEnAttente = () => {
  try {
    return localStorage.getItem(DECONNEXION_EN_ATTENTE) === "1";
  } catch {
    return false;
  }
};
const noterDeconnexion = (enAttente: boolean) => {
  try {
    if (enAttente) localStorage.setItem(DECONNEXION_EN_ATTENTE, "1");
    else localStorage.removeItem(DECONNEXION_EN_ATTENTE);
  } catch {
    /* no storage */
  }
};
/** Ends the session on the server; false when the server could not be reached. */
async function deconnecterServeur(): Promise<boolean> {
  try {
    await endpoints.logout();
  } catch (e) {
    if (isApiError(e) && e.status === 0) return false;
    if (!isApiError(e) || e.status >= 500) console.error(e);
  }
  return true;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null | undefined>(undefined);
  const [loggedOut, setLoggedOut] = useState(false);
  const setMe = useCallback((next: Me | null) => {
    setMeState(next);
    if (next) {
      setLoggedOut(false);
      noterDeconnexion(false);
    }
  }, []);
  const navigate = useNavigate();

  const refresh = useCallback(async () => {
    if (deconnexionEnAttente()) {
      if (await deconnecterServeur()) noterDeconnexion(false);
      setMeState(null);
      return;
    }
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
    const online = () => {
      if (deconnexionEnAttente()) void deconnecterServeur().then(ok => ok && noterDeconnexion(false));
    };
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, []);

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
    if (!(await deconnecterServeur())) noterDeconnexion(true);
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
