import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import type { RoleName } from "../api/types";
import { AccessDenied } from "../components/AccessDenied";
import { PageLoading } from "../components/PageLoading";
import { useSession } from "./AuthContext";

/** Protected pages: logged-out visitors go to /connexion, which brings them back after log-in. */
export function RequireAuth() {
  const { me, loggedOut } = useSession();
  const location = useLocation();
  if (me === undefined) return <PageLoading />;
  if (me === null) return <Navigate to="/connexion" replace state={loggedOut ? null : { from: location }} />;
  return <Outlet />;
}

/** Pages for some roles only: others see an access-denied message. */
export function RequireRole({ roles, children }: { roles: RoleName[]; children?: ReactNode }) {
  const { me } = useSession();
  if (!me) return null;
  if (!me.roles.some(r => roles.includes(r.role))) return <AccessDenied />;
  return children ? <>{children}</> : <Outlet />;
}
