// The map of lieux as a lazily-loaded chunk (MapLibre is big): embed <CarteLieuxLazy …/>.
import { lazy, Suspense } from "react";
import type { CarteLieuxProps } from "./CarteLieux";

const CarteLieux = lazy(() => import("./CarteLieux"));

export function CarteLieuxLazy(props: CarteLieuxProps) {
  return (
    <Suspense fallback={<p className="fr-text--sm">Chargement de la carte…</p>}>
      <CarteLieux {...props} />
    </Suspense>
  );
}
export type { CarteLieuxProps, CompteZone, PointLieu } from "./CarteLieux";
