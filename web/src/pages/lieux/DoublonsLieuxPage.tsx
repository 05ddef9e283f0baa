/**
 * Duplicate lieux (issue 12 point 2), admin only. /admin/lieux/doublons: the pairs the imports
 * propose (same SIRET/RNA, same commune, distance, similar names). /admin/lieux/doublons/:id: the
 * two lieux side by side, field by field; the admin picks the lieu kept and, per field, the value
 * kept (defaults from the server: the value given, the longer list, the more recent); « Fusionner »
 * merges (the other lieu is retired, its source keeps pointing to the one kept);
 * « Ce ne sont pas des doublons » dismisses the pair for good.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import {
  ecarterDoublon,
  fusionnerDoublon,
  lireDoublon,
  listerDoublons,
  type CoteFusion,
  type Lieu,
  type LieuDoublonDetail,
  type LieuDoublons,
  type LieuFusion
} from "../../api/lieux";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { NOMS_CHAMPS } from "./vocabulaire";
import "./lieux.css";

const inattendue = (e: unknown) => (isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));

function distance(m: number | null | undefined): string {
  if (m === null || m === undefined) return "position inconnue";
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1).replace(".", ",")} km`;
}

function Fil({ page }: { page: string }) {
  return (
    <Breadcrumb
      currentPageLabel={page}
      homeLinkProps={{ to: "/" }}
      segments={[
        { label: "Lieux", linkProps: { to: "/lieux" } },
        ...(page === "Doublons" ? [] : [{ label: "Doublons", linkProps: { to: "/admin/lieux/doublons" } }])
      ]}
    />
  );
}

type Paire = LieuDoublons["doublons"][number];

/** Pairs that share a lieu form a group (the same place from three sources or more). */
function groupes(paires: Paire[]): Paire[][] {
  const parent = new Map<number, number>();
  const racine = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const p of paires) {
    const a = racine(p.lieu.id);
    const b = racine(p.autre.id);
    if (a !== b) parent.set(a, b);
  }
  const par = new Map<number, Paire[]>();
  for (const p of paires) {
    const r = racine(p.lieu.id);
    par.set(r, [...(par.get(r) ?? []), p]);
  }
  return [...par.values()];
}

function CartePaire({ d }: { d: Paire }) {
  return (
    <li className="coop-lieux__carte">
      <h3 className="fr-h6 fr-mb-1w">
        {d.lieu.nom} et {d.autre.nom}
      </h3>
      <p className="fr-text--sm fr-mb-1w">
        {d.commune} · sources « {d.lieu.source_import} » et « {d.autre.source_import} » · {d.raisons}
      </p>
      <Link className="fr-link" to={`/admin/lieux/doublons/${d.id}`}>
        Comparer « {d.lieu.nom} » et « {d.autre.nom} »
      </Link>
    </li>
  );
}

function Liste() {
  useTitle("Doublons de lieux");
  const liste = useAsync(() => listerDoublons().then(r => r.doublons), []);
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <Fil page="Doublons" />
      <h1>Doublons de lieux</h1>
      <p>
        Les imports proposent deux lieux de sources différentes quand ils ont le même SIRET ou RNA à moins de 200 m, des noms
        très proches, ou des noms assez proches à moins de 100 m (même code postal). Comparez-les champ par champ, puis
        fusionnez-les ou écartez la proposition.
      </p>
      {liste.error ? (
        <LoadError error={liste.error} what="les doublons" />
      ) : !liste.data ? (
        <p role="status">Chargement des doublons…</p>
      ) : liste.data.length === 0 ? (
        <Alert severity="info" small description="Aucun doublon proposé." />
      ) : (
        <>
          <p role="status">
            {liste.data.length} paire{liste.data.length > 1 ? "s" : ""} à vérifier
          </p>
          <div data-testid="doublons-lieux">
            {groupes(liste.data).map((g, i) => {
              const lieux = new Set(g.flatMap(p => [p.lieu.id, p.autre.id]));
              return (
                <section key={g[0].id} aria-labelledby={`groupe-${i}`} className="fr-mb-3w">
                  <h2 id={`groupe-${i}`} className="fr-h5 fr-mb-1w">
                    {g.length > 1 ? `Groupe de ${lieux.size} lieux (${g.length} paires)` : `${g[0].lieu.nom} et ${g[0].autre.nom}`}
                  </h2>
                  {g.length > 1 && <p className="fr-text--sm">Fusionnez-les deux à deux : après chaque fusion, les paires restantes sont recalculées.</p>}
                  <ul className="coop-lieux__cartes">
                    {g.map(d => (
                      <CartePaire key={d.id} d={d} />
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}

const libelleCote = (d: LieuDoublonDetail, c: CoteFusion) => (c === "lieu" ? "A" : "B") + ` — ${d[c].champs.nom} (${d[c].source_import})`;

function valeur(l: Lieu, champ: string): string {
  const v = (l.champs as Record<string, unknown>)[champ];
  if (v === null || v === undefined || v === "") return "";
  return String(v).split("|").join(", ");
}

function Comparaison({ d }: { d: LieuDoublonDetail }) {
  useTitle(`Doublon : ${d.lieu.champs.nom} et ${d.autre.champs.nom}`);
  const [survivant, setSurvivant] = useState<CoteFusion>(d.survivant_propose);
  const [choix, setChoix] = useState<Record<string, CoteFusion>>(() => ({ ...d.choix_proposes }));
  const [confirmer, setConfirmer] = useState(false);
  const [occupe, setOccupe] = useState(false);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [fait, setFait] = useState<{ fusion: LieuFusion } | { ecarte: true } | null>(null);
  const resultat = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (fait) resultat.current?.focus();
  }, [fait]);
  const champs = Object.keys(d.choix_proposes);
  const differents = champs.filter(c => c !== "id" && valeur(d.lieu, c) !== valeur(d.autre, c));

  const fusionner = async () => {
    setOccupe(true);
    setErreur(null);
    try {
      const demandes: Record<string, CoteFusion> = {};
      for (const c of differents) demandes[c] = choix[c];
      setFait({ fusion: await fusionnerDoublon(d.id, survivant, demandes) });
    } catch (e) {
      setErreur(inattendue(e));
    } finally {
      setOccupe(false);
      setConfirmer(false);
    }
  };
  const ecarter = async () => {
    setOccupe(true);
    setErreur(null);
    try {
      await ecarterDoublon(d.id);
      setFait({ ecarte: true });
    } catch (e) {
      setErreur(inattendue(e));
    } finally {
      setOccupe(false);
    }
  };

  if (fait)
    return (
      <div ref={resultat} tabIndex={-1} data-testid="doublon-resultat">
        {"fusion" in fait ? (
          <Alert
            severity="success"
            title="Lieux fusionnés"
            description={
              <>
                « {fait.fusion.lieu.champs.nom} » est conservé ; l'autre fiche est retirée (sa source pointe désormais vers ce
                lieu, la fusion est inscrite dans l'historique). <Link to={`/lieux/${fait.fusion.lieu.id}`}>Voir le lieu conservé</Link>
              </>
            }
          />
        ) : (
          <Alert severity="info" title="Proposition écartée" description="Ces deux lieux ne seront plus proposés comme doublons." />
        )}
        <p className="fr-mt-2w">
          <Link className="fr-link" to="/admin/lieux/doublons">
            Revenir aux doublons
          </Link>
        </p>
      </div>
    );

  return (
    <>
      <p>
        Proposés parce que : {d.raisons} ({d.distance_m === null ? "position inconnue" : `distance ${distance(d.distance_m)}`}).
      </p>
      {d.motif && <Alert severity="warning" small description={d.motif} className="fr-mb-2w" />}
      <ErrorAlert error={erreur} title="L'opération a échoué" as="h2" />
      <RadioButtons
        legend="Lieu conservé"
        hintText="Il garde son identifiant dans sa source ; l'autre est retiré, sa source et son identifiant pointent vers le lieu conservé."
        name="survivant"
        orientation="horizontal"
        options={(["lieu", "autre"] as const).map(c => ({
          label: libelleCote(d, c),
          hintText: `n° ${d[c].id}, complétude ${d[c].completude} %${d[c].structure_id ? ", fiche d'une structure Coop" : ""}`,
          nativeInputProps: { value: c, checked: survivant === c, onChange: () => setSurvivant(c) }
        }))}
      />
      <div className={fr.cx("fr-table", "fr-table--sm")}>
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table className="coop-lieux__comparaison" data-testid="comparaison-lieux">
                <caption>
                  Valeurs de A et de B, champ par champ ({differents.length} différente{differents.length > 1 ? "s" : ""}) : choisissez
                  celle à garder
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Champ</th>
                    <th scope="col">A — {d.lieu.champs.nom}</th>
                    <th scope="col">B — {d.autre.champs.nom}</th>
                  </tr>
                </thead>
                <tbody>
                  {champs.map(c => {
                    const nom = NOMS_CHAMPS[c] ?? c;
                    const va = valeur(d.lieu, c);
                    const vb = valeur(d.autre, c);
                    const choisi = c === "id" ? survivant : choix[c];
                    if (c === "id" || va === vb)
                      return (
                        <tr key={c}>
                          <th scope="row">{nom}</th>
                          {(["lieu", "autre"] as const).map(k => (
                            <td key={k} className={choisi === k && c === "id" ? "coop-lieux__garde" : undefined}>
                              {(k === "lieu" ? va : vb) || <span className="coop-lieu__vide">—</span>}
                              {c === "id" && choisi === k && <span className="fr-sr-only"> (gardé : lieu conservé)</span>}
                            </td>
                          ))}
                        </tr>
                      );
                    return (
                      <tr key={c} data-champ={c}>
                        <th scope="row">{nom}</th>
                        {(["lieu", "autre"] as const).map(k => {
                          const v = k === "lieu" ? va : vb;
                          const id = `choix-${c}-${k}`;
                          return (
                            <td key={k} className={choisi === k ? "coop-lieux__garde" : undefined}>
                              <div className={fr.cx("fr-radio-group", "fr-radio-group--sm")}>
                                <input
                                  type="radio"
                                  id={id}
                                  name={`choix-${c}`}
                                  value={k}
                                  checked={choisi === k}
                                  onChange={() => setChoix(p => ({ ...p, [c]: k }))}
                                />
                                <label className="fr-label" htmlFor={id}>
                                  <span className="fr-sr-only">{nom} : garder la valeur de {k === "lieu" ? "A" : "B"}, </span>
                                  {v || "(vide)"}
                                </label>
                              </div>
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
      {confirmer ? (
        <div className="coop-lieu__actions" role="group" aria-label="Confirmer la fusion">
          <p className="fr-mb-1w">
            Fusionner dans « {d[survivant].champs.nom} » ? « {d[survivant === "lieu" ? "autre" : "lieu"].champs.nom} » sera retiré.
          </p>
          <Button type="button" disabled={occupe} onClick={fusionner} nativeButtonProps={{ autoFocus: true }}>
            Confirmer la fusion
          </Button>
          <Button type="button" priority="secondary" onClick={() => setConfirmer(false)}>
            Annuler
          </Button>
        </div>
      ) : (
        <div className="coop-lieu__actions">
          <Button type="button" iconId="fr-icon-git-merge-line" disabled={!d.fusionnable || occupe} onClick={() => setConfirmer(true)}>
            Fusionner
          </Button>
          {d.statut === "propose" && (
            <Button type="button" priority="secondary" disabled={occupe} onClick={ecarter}>
              Ce ne sont pas des doublons
            </Button>
          )}
        </div>
      )}
    </>
  );
}

function Detail({ id }: { id: string }) {
  const paire = useAsync(() => lireDoublon(id), [id]);
  useTitle("Doublon de lieux");
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <Fil page="Comparer deux lieux" />
      <h1>Comparer deux lieux</h1>
      {paire.error ? (
        <LoadError error={paire.error} what="cette proposition" />
      ) : !paire.data ? (
        <p role="status">Chargement des deux lieux…</p>
      ) : (
        <Comparaison d={paire.data} />
      )}
    </div>
  );
}

export default function DoublonsLieuxPage() {
  const { id } = useParams();
  return id ? <Detail id={id} /> : <Liste />;
}
