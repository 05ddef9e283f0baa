import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Card } from "@codegouvfr/react-dsfr/Card";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { createContext, useContext } from "react";
import { duree, type CleFacette, type Facette, type Referentiel, type RessourceCarte, type RessourceListe } from "../../api/ressources";
import { formatDate } from "../../lib/format";

/** The vocabulary of GET /api/ressources/referentiel, loaded once by the pages. */
export const ReferentielContext = createContext<Referentiel | null>(null);
export const useReferentiel = () => useContext(ReferentielContext);

type Liste = "thematiques" | "publics" | "formats" | "niveaux" | "licences" | "visibilites";
export function libelle(ref: Referentiel | null, liste: Liste, code: string): string {
  return ref?.[liste].find(c => c.code === code)?.libelle ?? code;
}

export const VISIBILITE: Record<string, string> = { public: "Publique", equipe: "Mon équipe et mon réseau", prive: "Privée" };

/** A resource in a list: preview image (first page of its PDF, or its image), key facts. */
export function CarteRessource({ r, titreAs = "h3" }: { r: RessourceCarte; titreAs?: "h2" | "h3" | "h4" }) {
  const ref = useReferentiel();
  const faits = [libelle(ref, "formats", r.format), libelle(ref, "niveaux", r.niveau), duree(r.duree_minutes)].filter(Boolean).join(" · ");
  const image = r.apercu_url ? (
    <img src={r.apercu_url} alt="" loading="lazy" className="fr-responsive-img" />
  ) : (
    <div className="coop-ress__sans-apercu" aria-hidden="true">
      <span className={fr.cx("fr-icon-file-text-line", "fr-icon--lg")} />
    </div>
  );
  return (
    <Card
      title={r.titre}
      titleAs={titreAs}
      enlargeLink
      linkProps={{ to: `/ressources/${r.id}` }}
      imageComponent={image}
      desc={r.resume || undefined}
      start={
        <ul className={fr.cx("fr-badges-group")}>
          {r.statut === "brouillon" && (
            <li>
              <Badge small severity="warning">Brouillon</Badge>
            </li>
          )}
          {r.masquee && (
            <li>
              <Badge small severity="error">Masquée</Badge>
            </li>
          )}
          {r.thematiques.slice(0, 2).map(t => (
            <li key={t}>
              <Badge small noIcon severity="info">
                {libelle(ref, "thematiques", t)}
              </Badge>
            </li>
          ))}
        </ul>
      }
      detail={faits}
      end={
        <p className={fr.cx("fr-text--xs", "fr-mb-0")}>
          {r.auteur.nom}
          {r.structure ? ` · ${r.structure.nom}` : ""} · {formatDate(r.publie_le ?? r.modifie_le)}
          <br />
          {r.compteurs.utiles} utile{r.compteurs.utiles > 1 ? "s" : ""} · {r.compteurs.telechargements} téléchargement
          {r.compteurs.telechargements > 1 ? "s" : ""}
        </p>
      }
      size="small"
    />
  );
}

export function Cartes({ items, label, titreAs }: { items: RessourceCarte[]; label: string; titreAs?: "h2" | "h3" | "h4" }) {
  return (
    <ul className="coop-ress__cartes" aria-label={label}>
      {items.map(r => (
        <li key={r.id}>
          <CarteRessource r={r} titreAs={titreAs} />
        </li>
      ))}
    </ul>
  );
}

export const FACETTES: { cle: CleFacette; titre: string }[] = [
  { cle: "thematique", titre: "Thématique" },
  { cle: "public", titre: "Public" },
  { cle: "format", titre: "Format" },
  { cle: "niveau", titre: "Niveau" },
  { cle: "licence", titre: "Licence" }
];

/** The facets with their counts, as DSFR checkboxes; a checked value with 0 results stays shown. */
export function Facettes({
  facettes,
  choisis,
  onChange
}: {
  facettes: RessourceListe["facettes"] | undefined;
  choisis: Record<CleFacette, string[]>;
  onChange: (cle: CleFacette, valeurs: string[]) => void;
}) {
  return (
    <div className="coop-ress__facettes">
      {FACETTES.map(({ cle, titre }) => {
        const liste: Facette[] = [...(facettes?.[cle] ?? [])];
        for (const c of choisis[cle]) if (!liste.some(f => f.code === c)) liste.push({ code: c, libelle: c, nombre: 0 });
        const visibles = liste.filter(f => f.nombre > 0 || choisis[cle].includes(f.code));
        if (!visibles.length) return null;
        return (
          <Checkbox
            key={cle}
            legend={titre}
            small
            options={visibles.map(f => ({
              label: `${f.libelle} (${f.nombre})`,
              nativeInputProps: {
                name: `facette-${cle}`,
                value: f.code,
                checked: choisis[cle].includes(f.code),
                onChange: e =>
                  onChange(cle, e.currentTarget.checked ? [...choisis[cle], f.code] : choisis[cle].filter(x => x !== f.code))
              }
            }))}
          />
        );
      })}
    </div>
  );
}
