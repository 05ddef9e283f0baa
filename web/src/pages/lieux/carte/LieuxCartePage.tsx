// /lieux/carte: the map of the lieux matching the URL's filters (the same parameters as
// GET /api/lieux, so the search page can link here with its query string).
import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { api, type ApiError } from "../../../api/client";
import { LoadError } from "../../../components/LoadError";
import { useTitle } from "../../../lib/useTitle";
import { CarteLieuxLazy, type CompteZone, type PointLieu } from "./index";

interface Points { total: number; points: PointLieu[]; par_region: CompteZone[]; par_departement: CompteZone[] }

export default function LieuxCartePage() {
  useTitle("Carte des lieux");
  const { search } = useLocation();
  const [donnees, setDonnees] = useState<Points | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  useEffect(() => {
    let annule = false;
    setErreur(null);
    const params = new URLSearchParams(search);
    params.delete("page");
    params.delete("par_page");
    const qs = params.toString();
    api.get<Points>(`/api/lieux/points${qs ? `?${qs}` : ""}`).then(d => !annule && setDonnees(d), (e: ApiError) => !annule && setErreur(e));
    return () => {
      annule = true;
    };
  }, [search]);
  return (
    <div className="fr-container fr-my-4w">
      <h1>Carte des lieux</h1>
      <p>
        <Link className="fr-link fr-icon-list-unordered fr-link--icon-left" to={`/lieux${search}`}>
          Voir ces lieux en liste et modifier les filtres
        </Link>
      </p>
      {erreur ? (
        <LoadError error={erreur} />
      ) : !donnees ? (
        <p>Chargement des lieux…</p>
      ) : (
        <>
          <p data-testid="carte-total" data-total={donnees.total}>
            {donnees.total.toLocaleString("fr-FR")} {donnees.total > 1 ? "lieux trouvés" : "lieu trouvé"}
            {donnees.points.length < donnees.total &&
              ` (${(donnees.total - donnees.points.length).toLocaleString("fr-FR")} sans position, absents de la carte)`}
          </p>
          <CarteLieuxLazy points={donnees.points} regions={donnees.par_region} departements={donnees.par_departement} />
        </>
      )}
    </div>
  );
}
