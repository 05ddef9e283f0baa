// The directory of a network (or of « Mon réseau »: a département), its map and the search
// within it: shared by /reseaux/:id and /reseaux/departement/:code.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, type ApiError } from "../../api/client";
import type { ReseauAnnuaire } from "../../api/reseaux";
import { LoadError } from "../../components/LoadError";
import { CarteLieuxLazy, type CompteZone, type PointLieu } from "../lieux/carte";

const ROLES: Record<string, string> = { mediateur: "Médiateur", coordinateur: "Coordinateur", gestionnaire: "Gestionnaire" };

export function Annuaire({ charger, cle }: { charger: (q: string) => Promise<ReseauAnnuaire>; cle: string }) {
  const [q, setQ] = useState("");
  const [cherche, setCherche] = useState("");
  const [donnees, setDonnees] = useState<ReseauAnnuaire | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  useEffect(() => {
    let annule = false;
    setErreur(null);
    charger(cherche).then(d => !annule && setDonnees(d), e => !annule && setErreur(e as ApiError));
    return () => {
      annule = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cle, cherche]);
  const soumettre = (e: FormEvent) => {
    e.preventDefault();
    setCherche(q.trim());
  };
  return (
    <section aria-labelledby={`annuaire-${cle}`}>
      <h2 id={`annuaire-${cle}`}>Annuaire</h2>
      <form role="search" onSubmit={soumettre} className="fr-mb-3w">
        <Input
          label="Chercher dans l'annuaire"
          hintText="Une structure, une personne, un lieu, une commune, un service."
          nativeInputProps={{ type: "search", name: "q", value: q, onChange: e => setQ(e.target.value), maxLength: 200 }}
        />
        <Button type="submit" priority="secondary" iconId="fr-icon-search-line">
          Chercher
        </Button>
      </form>
      {erreur ? (
        <LoadError error={erreur} what="l'annuaire" />
      ) : !donnees ? (
        <p>Chargement de l'annuaire…</p>
      ) : (
        <div data-testid="annuaire">
          <p className="fr-text--sm" aria-live="polite">
            {donnees.structures.length} structure(s), {donnees.personnes.length} personne(s), {donnees.lieux.length} lieu(x)
            {cherche ? ` pour « ${cherche} »` : ""}.
          </p>
          <h3>Structures</h3>
          {donnees.structures.length === 0 ? (
            <p>Aucune structure.</p>
          ) : (
            <ul data-testid="annuaire-structures">
              {donnees.structures.map(s => (
                <li key={s.id}>
                  <strong>{s.nom}</strong>
                  {s.commune ? ` – ${s.commune}` : ""}
                  {s.adresse ? `, ${s.adresse}` : ""}
                </li>
              ))}
            </ul>
          )}
          {donnees.animateurs.length > 0 && (
            <>
              <h3>Animation du réseau</h3>
              <ul>
                {donnees.animateurs.map(a => (
                  <li key={a.user_id}>
                    {a.prenom} {a.nom} ({a.role === "createur" ? "créateur" : "co-animateur"})
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>Acteurs</h3>
          {donnees.personnes.length === 0 ? (
            <p>Aucune personne.</p>
          ) : (
            <ul className="coop-reseaux-personnes" data-testid="annuaire-personnes">
              {donnees.personnes.map(p => (
                <li key={`${p.user_id}-${p.structure_id}-${p.role}`}>
                  <strong>
                    {p.prenom} {p.nom}
                  </strong>
                  <br />
                  {ROLES[p.role] ?? p.role} · {p.structure_nom}
                  {p.contact_visible ? (
                    <>
                      <br />
                      {p.email && <a href={`mailto:${p.email}`}>{p.email}</a>}
                      {p.telephone && (
                        <>
                          <br />
                          <a href={`tel:${p.telephone}`}>{p.telephone}</a>
                        </>
                      )}
                    </>
                  ) : (
                    <>
                      <br />
                      <span className="fr-text--xs">Coordonnées non partagées</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          <h3>Lieux</h3>
          {donnees.lieux.length === 0 ? (
            <p>Aucun lieu.</p>
          ) : (
            <ul data-testid="annuaire-lieux">
              {donnees.lieux.map(l => (
                <li key={l.id}>
                  <Link to={`/lieux/${l.id}`}>{l.nom}</Link> – {l.adresse ? `${l.adresse}, ` : ""}
                  {l.code_postal} {l.commune}
                  {l.services.length > 0 && <span className="fr-text--xs"> · {l.services.join(", ")}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

interface Points { total: number; points: PointLieu[]; par_region: CompteZone[]; par_departement: CompteZone[] }

/** The map of the lieux of a network (`reseau=ID`) or of a département (`departement=CODE`). */
export function CarteReseau({ filtre, titre }: { filtre: string; titre: string }) {
  const [donnees, setDonnees] = useState<Points | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  useEffect(() => {
    let annule = false;
    api.get<Points>(`/api/lieux/points?${filtre}`).then(d => !annule && setDonnees(d), e => !annule && setErreur(e as ApiError));
    return () => {
      annule = true;
    };
  }, [filtre]);
  return (
    <section aria-labelledby="carte-reseau">
      <h2 id="carte-reseau">Carte</h2>
      {erreur ? (
        <LoadError error={erreur} what="la carte" />
      ) : !donnees ? (
        <p>Chargement de la carte…</p>
      ) : (
        <>
          <p data-testid="carte-reseau-total" data-total={donnees.total}>
            {donnees.total} {donnees.total > 1 ? "lieux sur la carte" : "lieu sur la carte"}
          </p>
          <CarteLieuxLazy points={donnees.points} regions={donnees.par_region} departements={donnees.par_departement} titre={titre} idBase="reseau" />
        </>
      )}
    </section>
  );
}
