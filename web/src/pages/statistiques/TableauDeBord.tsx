/**
 * The figures of one statistics answer (GET /api/statistiques or a public share): key figures,
 * evolution, every breakdown with its chart and its data table, territories, coordination. Used by
 * the statistics page and the public share page.
 */
import { useEffect } from "react";
import { type StatistiquesLigne, type StatistiquesTableau } from "../../api/statistiques";
import { formatDate } from "../../lib/format";
import {
  REPARTITIONS,
  formatHeures,
  formatMois,
  formatNombre,
  ligneLibelle,
  type RepartitionInfo
} from "../../lib/statistiques";
import { Graphique } from "./Graphique";
import { CarteStatistiques } from "./CarteStatistiques";
import { MESURE_LIBELLE, TableDsfr, TableauRepartition, TableauTriable } from "./TableauDonnees";

/** The period of an answer: du and au are null when not given. */
export function periodeText(du: string | null, au: string | null): string {
  if (du && au) return `du ${formatDate(du)} au ${formatDate(au)}`;
  if (du) return `depuis le ${formatDate(du)}`;
  if (au) return `jusqu'au ${formatDate(au)}`;
  return "toutes les dates";
}

function Chiffre({ id, valeur, libelle, detail }: { id: string; valeur: string; libelle: string; detail?: React.ReactNode }) {
  return (
    <li>
      <div className="coop-chiffre">
        <p className="coop-chiffre__valeur" data-testid={`chiffre-${id}`}>
          {valeur}
        </p>
        <p className="coop-chiffre__libelle">{libelle}</p>
        {detail && <div className="coop-chiffre__detail">{detail}</div>}
      </div>
    </li>
  );
}

function ChiffresCles({ t, periode }: { t: StatistiquesTableau["totaux"]; periode: string }) {
  return (
    <section aria-labelledby="titre-chiffres" className="fr-mb-2w">
      <h2 id="titre-chiffres" className="fr-h6 fr-mb-1w coop-titre-chiffres">
        Chiffres clés <span className="coop-periode" data-testid="periode">{periode}</span>
      </h2>
      <ul className="coop-chiffres">
        <Chiffre id="activites" valeur={formatNombre(t.activites)} libelle="Activités" detail={<p className="fr-text--sm fr-mb-0">dont <span data-testid="chiffre-individuels">{formatNombre(t.individuels)}</span> accompagnements individuels</p>} />
        <Chiffre id="accompagnements" valeur={formatNombre(t.accompagnements)} libelle="Accompagnements" />
        <Chiffre
          id="beneficiaires"
          valeur={formatNombre(t.beneficiaires)}
          libelle="Bénéficiaires"
          detail={
            <ul className="fr-text--sm fr-mb-0 coop-chiffre__liste">
              <li><span data-testid="chiffre-nouveaux">{formatNombre(t.nouveaux)}</span> nouveaux</li>
              <li><span data-testid="chiffre-suivis">{formatNombre(t.suivis)}</span> suivis</li>
              <li><span data-testid="chiffre-anonymes">{formatNombre(t.anonymes)}</span> anonymes</li>
            </ul>
          }
        />
        <Chiffre
          id="ateliers"
          valeur={formatNombre(t.ateliers)}
          libelle="Ateliers collectifs"
          detail={<p className="fr-text--sm fr-mb-0"><span data-testid="chiffre-participants">{formatNombre(t.participants_ateliers)}</span> participants</p>}
        />
        <Chiffre id="duree" valeur={formatHeures(t.duree_totale_minutes)} libelle="Temps total d'accompagnement" />
      </ul>
    </section>
  );
}

/** A breakdown: its chart (unless it is a table-only one) and its data table. */
function Repartition({ info, lignes }: { info: RepartitionInfo; lignes: StatistiquesLigne[] }) {
  const titreId = `titre-rep-${info.cle}`;
  const labels = lignes.map(ligneLibelle);
  const values = lignes.map(l => l.valeur);
  return (
    <section aria-labelledby={titreId} className="coop-repartition fr-mb-4w" data-repartition={info.cle}>
      <h3 id={titreId} className="fr-h5">{info.titre}</h3>
      {lignes.length === 0 ? (
        <p className="fr-text--sm">Aucune donnée pour cette répartition.</p>
      ) : (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Graphique
              type={info.graphique === "anneau" ? "anneau" : "barres-horizontales"}
              labels={labels}
              values={values}
              serie={MESURE_LIBELLE[info.mesure]}
              description={`Graphique : ${info.titre}. Ses données sont dans le tableau qui suit.`}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <TableauRepartition id={info.cle} caption={info.titre} lignes={lignes} mesure={info.mesure} />
          </div>
        </div>
      )}
    </section>
  );
}

/** A time series as a table: one row per month or day. */
function TableauSerie({ id, caption, colonne, lignes }: { id: string; caption: string; colonne: string; lignes: { cle: string; libelle: string; valeur: number }[] }) {
  return (
    <TableDsfr>
      <table data-testid={`table-${id}`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{colonne}</th>
            <th scope="col" className="coop-num">Accompagnements</th>
          </tr>
        </thead>
        <tbody>
          {lignes.map(l => (
            <tr key={l.cle} data-cle={l.cle}>
              <th scope="row">{l.libelle}</th>
              <td className="coop-num">{formatNombre(l.valeur)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableDsfr>
  );
}

function Evolution({ tableau }: { tableau: StatistiquesTableau }) {
  const mois = tableau.par_mois;
  const jours = tableau.par_jour;
  return (
    <section aria-labelledby="titre-evolution" className="fr-mb-4w">
      <h2 id="titre-evolution" className="fr-h6 fr-mb-0">Évolution des accompagnements</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-7">
          <h3 className="coop-sous-titre" id="titre-par-mois">Par mois (12 mois)</h3>
          <Graphique
            type="barres"
            labels={mois.map(m => formatMois(m.mois, false))}
            values={mois.map(m => m.accompagnements)}
            serie="Accompagnements"
            hauteur={230}
            description="Graphique : accompagnements par mois sur 12 mois. Ses données sont dans le tableau qui suit."
          />
        </div>
        <div className="fr-col-12 fr-col-md-5">
          <TableauSerie
            id="par-mois"
            caption="Accompagnements par mois"
            colonne="Mois"
            lignes={mois.map(m => ({ cle: m.mois, libelle: formatMois(m.mois), valeur: m.accompagnements }))}
          />
        </div>
      </div>
      <h3 className="fr-h6 fr-mt-3w">Par jour, sur la période</h3>
      {jours.length === 0 ? (
        <p className="fr-text--sm">Aucun accompagnement sur la période.</p>
      ) : (
        <>
          <Graphique
            type={jours.length > 62 ? "ligne" : "barres"}
            labels={jours.map(j => formatDate(j.jour))}
            values={jours.map(j => j.accompagnements)}
            serie="Accompagnements"
            hauteur={220}
            description="Graphique : accompagnements par jour sur la période (jours avec au moins un accompagnement). Ses données sont dans le tableau « Voir les données par jour »."
          />
          <details className="coop-details fr-mt-1w" data-imprimer>
            <summary>Voir les données par jour ({jours.length} jours)</summary>
            <TableauSerie
              id="par-jour"
              caption="Accompagnements par jour (jours avec au moins un accompagnement)"
              colonne="Jour"
              lignes={jours.map(j => ({ cle: j.jour, libelle: formatDate(j.jour), valeur: j.accompagnements }))}
            />
          </details>
        </>
      )}
    </section>
  );
}

function Territoires({ tableau, carte }: { tableau: StatistiquesTableau; carte: boolean }) {
  const communes = tableau.repartitions.communes;
  const departements = tableau.repartitions.departements;
  return (
    <section aria-labelledby="titre-territoires" className="fr-mb-4w">
      <h2 id="titre-territoires" className="fr-h4">Territoires et lieux</h2>
      <p className="fr-text--sm">
        Commune d'une activité : celle de son lieu d'activité, sinon celle indiquée dans le compte rendu.
      </p>
      {carte && <CarteStatistiques departements={departements} communes={communes} />}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-lg-6">
          <h3 className="fr-h6">Par département</h3>
          <TableauTriable id="departements" caption="Accompagnements par département" colonne="Département" lignes={departements} mesure="activites" />
        </div>
        <div className="fr-col-12 fr-col-lg-6">
          <h3 className="fr-h6">Par commune</h3>
          <TableauTriable id="communes" caption="Accompagnements par commune" colonne="Commune" lignes={communes} mesure="activites" />
        </div>
        <div className="fr-col-12 fr-col-lg-6">
          <h3 className="fr-h6">Par lieu d'activité</h3>
          <TableauTriable id="lieux" caption="Accompagnements par lieu d'activité" colonne="Lieu d'activité" lignes={tableau.repartitions.lieux} mesure="activites" />
        </div>
        <div className="fr-col-12 fr-col-lg-6">
          <h3 className="fr-h6">Par commune de résidence</h3>
          <TableauTriable
            id="communes_residence"
            caption="Bénéficiaires par commune de résidence"
            colonne="Commune de résidence"
            lignes={tableau.repartitions.communes_residence}
            mesure="beneficiaires"
          />
        </div>
      </div>
    </section>
  );
}

/** Orientations recorded on individual CRAs through the orientation wizard: top lieux, per service. */
function Orientations({ tableau }: { tableau: StatistiquesTableau }) {
  const lieux = tableau.repartitions.orientations_lieux ?? [];
  const services = tableau.repartitions.orientations_services ?? [];
  const total = lieux.reduce((s, l) => s + l.valeur, 0);
  return (
    <section aria-labelledby="titre-orientations" className="fr-mb-4w" data-testid="orientations">
      <h2 id="titre-orientations" className="fr-h4">Orientations</h2>
      <p className="fr-text--sm">
        Accompagnements individuels dont la personne a été orientée vers un lieu avec l'assistant d'orientation
        {total ? ` : ${formatNombre(total)} sur la période.` : " : aucune sur la période."}
      </p>
      {total > 0 && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-lg-6">
            <h3 className="fr-h6">Lieux les plus proposés</h3>
            <TableauTriable id="orientations_lieux" caption="Orientations par lieu" colonne="Lieu" lignes={lieux} mesure="individuels" libelleValeur="Orientations" />
          </div>
          <div className="fr-col-12 fr-col-lg-6">
            <h3 className="fr-h6">Par service</h3>
            <TableauTriable id="orientations_services" caption="Orientations par service du lieu" colonne="Service" lignes={services} mesure="individuels" libelleValeur="Orientations" />
          </div>
        </div>
      )}
    </section>
  );
}

function Coordination({ lignes }: { lignes: StatistiquesTableau["coordination"] }) {
  return (
    <section aria-labelledby="titre-coordination" className="fr-mb-4w">
      <h2 id="titre-coordination" className="fr-h4">Activités de coordination</h2>
      <TableDsfr className="fr-table--sm coop-stats-table">
        <table data-testid="table-coordination">
                <caption>Activités de coordination sur la période</caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col" className="coop-num">Activités</th>
                    <th scope="col" className="coop-num">Durée totale</th>
                    <th scope="col" className="coop-num">Participants</th>
                  </tr>
                </thead>
                <tbody>
                  {lignes.map(c => (
                    <tr key={c.type} data-cle={c.type}>
                      <th scope="row">{c.libelle}</th>
                      <td className="coop-num">{formatNombre(c.activites)}</td>
                      <td className="coop-num">{formatHeures(c.duree_minutes)}</td>
                      <td className="coop-num">{formatNombre(c.participants)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
      </TableDsfr>
    </section>
  );
}

// carte: the map of accompagnements (logged-in pages only: it reads GET /api/lieux/zones).
export function TableauDeBord({ tableau, coordination, carte = false }: { tableau: StatistiquesTableau; coordination: boolean; carte?: boolean }) {
  // The period-by-day table opens for printing (its chart alone is not enough on paper).
  useEffect(() => {
    const opened: HTMLDetailsElement[] = [];
    const before = () => {
      for (const d of document.querySelectorAll<HTMLDetailsElement>("details[data-imprimer]:not([open])")) {
        d.open = true;
        opened.push(d);
      }
    };
    const after = () => {
      for (const d of opened.splice(0)) d.open = false;
    };
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);

  const vide = tableau.totaux.activites === 0;
  const coordinationActive = tableau.coordination.some(c => c.activites > 0);
  return (
    <div className="coop-tableau-de-bord" data-testid="tableau-de-bord">
      <ChiffresCles t={tableau.totaux} periode={`${tableau.perimetre.libelle} — ${periodeText(tableau.filtres.du, tableau.filtres.au)}`} />
      {vide && (
        <div className="fr-callout fr-mb-4w" data-testid="etat-vide">
          <h2 className="fr-callout__title fr-h5">Aucune activité pour ces critères</h2>
          <p className="fr-callout__text">
            Aucune activité ne correspond à la période et aux filtres choisis. Élargissez la période ou retirez des filtres.
          </p>
        </div>
      )}
      <Evolution tableau={tableau} />
      {!vide && (
        <>
          <section aria-labelledby="titre-repartitions" className="fr-mb-2w">
            <h2 id="titre-repartitions" className="fr-h4">Répartitions</h2>
            {REPARTITIONS.filter(r => r.graphique !== "tableau").map(r => (
              <Repartition key={r.cle} info={r} lignes={tableau.repartitions[r.cle] ?? []} />
            ))}
          </section>
          <Territoires tableau={tableau} carte={carte} />
          <Orientations tableau={tableau} />
        </>
      )}
      {(coordination || coordinationActive) && <Coordination lignes={tableau.coordination} />}
      <p className="fr-text--xs coop-calcul">Calculé en {tableau.calcul_ms.toLocaleString("fr-FR")} ms.</p>
    </div>
  );
}
