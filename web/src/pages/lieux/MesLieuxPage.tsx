/**
 * « Mes lieux d'activité » (/lieux/mes-lieux): the mediator's lieux d'activité, each with its
 * sheet in the standard (opened or created by POST /api/structures/{id}/lieu) to see or edit.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { listLieux } from "../../api/activites";
import { isApiError, type ApiError } from "../../api/client";
import { ficheDeStructure } from "../../api/lieux";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

/** A button that opens (creating it on first use) the lieu sheet of a structure. */
export function BoutonFicheLieu({ structureId, nom, modifier = true }: { structureId: number; nom: string; modifier?: boolean }) {
  const navigate = useNavigate();
  const [erreur, setErreur] = useState<ApiError | null>(null);
  return (
    <>
      <Button
        type="button"
        size="small"
        priority="secondary"
        iconId={modifier ? "fr-icon-edit-line" : "fr-icon-map-pin-2-line"}
        nativeButtonProps={{ "aria-describedby": undefined, "aria-label": `${modifier ? "Modifier la fiche lieu" : "Fiche lieu"} de ${nom}` }}
        onClick={async () => {
          try {
            const l = await ficheDeStructure(structureId);
            navigate(modifier ? `/lieux/${l.id}/modifier` : `/lieux/${l.id}`);
          } catch (e) {
            if (isApiError(e)) setErreur(e);
          }
        }}
      >
        {modifier ? "Modifier la fiche lieu" : "Fiche lieu"}
      </Button>
      <ErrorAlert error={erreur} title="La fiche n'a pas pu être ouverte" as="h3" className="fr-mt-1w" />
    </>
  );
}

export default function MesLieuxPage() {
  useTitle("Mes lieux d'activité");
  const lieux = useAsync(() => listLieux(), []);
  if (lieux.error) return <LoadError error={lieux.error} what="vos lieux d'activité" page />;
  if (!lieux.data) return <PageLoading label="Chargement de vos lieux d'activité…" />;
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <h1>Mes lieux d'activité</h1>
      <p>
        La fiche de chaque lieu au standard national : services, publics, modalités, horaires, accessibilité et « visible sur la carte ».{" "}
        <Link to="/inscription/parcours">Ajouter un lieu d'activité</Link>
      </p>
      {(() => {
        const aujourdhui = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Paris" });
        const enCours = lieux.data.items.filter(l => !l.fin || l.fin >= aujourdhui);
        const passes = lieux.data.items.filter(l => l.fin && l.fin < aujourdhui);
        return (
          <>
            {enCours.length === 0 ? (
              <p>Aucun lieu d'activité en cours.</p>
            ) : (
              <ul className="coop-lieux__cartes" aria-label="Mes lieux d'activité en cours" style={{ listStyle: "none", padding: 0 }}>
                {enCours.map(l => (
                  <li key={l.id} className="coop-lieux__carte">
                    <h2 className="fr-h6 fr-mb-1v">{l.nom}</h2>
                    <p className="fr-text--sm">{[l.adresse, l.commune_nom].filter(Boolean).join(", ")}</p>
                    <BoutonFicheLieu structureId={l.structure_id} nom={l.nom} />
                  </li>
                ))}
              </ul>
            )}
            {passes.length > 0 && (
              <>
                <h2 className="fr-h5 fr-mt-4w">Lieux d'activité terminés</h2>
                <ul>
                  {passes.map(l => (
                    <li key={l.id}>
                      {l.nom} — jusqu'au {new Date(`${l.fin}T12:00:00`).toLocaleDateString("fr-FR")}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        );
      })()}
    </div>
  );
}
