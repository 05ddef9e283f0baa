// The statistics' map (issue 12, point 6): accompagnements by département (the answer's
// `repartitions.departements`) and by région (their sum, through the référentiel's
// département → région), on the same map component as the lieux (pages/lieux/carte).
// Then by commune (from zoom 8): the answer's `repartitions.communes` — the dashboard's 100 largest
// lines (the rest is folded into « _autres ») — at the positions of GET /api/lieux/zones?communes=
// (features/lieux/positions: GeoNames, else the centre of the commune's lieux); a commune without
// a position is only in the « Par commune » table.
import { useEffect, useState } from "react";
import { listDepartements, listRegions } from "../../api/statistiques";
import type { StatistiquesLigne } from "../../api/statistiques";
import { api } from "../../api/client";
import { CarteLieuxLazy, type CompteZone } from "../lieux/carte";

type Placee = CompteZone & { latitude: number; longitude: number };

export function CarteStatistiques({ departements, communes }: { departements: StatistiquesLigne[]; communes: StatistiquesLigne[] }) {
  const [placees, setPlacees] = useState<Placee[]>([]);
  const codesCommunes = communes
    .filter(l => l.cle !== "" && l.cle !== "_autres" && l.valeur > 0)
    .map(l => l.cle)
    .join(",");
  useEffect(() => {
    let annule = false;
    if (!codesCommunes) {
      setPlacees([]);
      return;
    }
    api
      .get<{ communes: { code: string; latitude: number; longitude: number }[] }>("/api/lieux/zones", { query: { communes: codesCommunes } })
      .then(z => {
        if (annule) return;
        const pos = new Map(z.communes.map(c => [c.code, c]));
        setPlacees(
          communes
            .filter(l => pos.has(l.cle) && l.valeur > 0)
            .map(l => ({ code: l.cle, nom: l.libelle || l.cle, nombre: l.valeur, latitude: pos.get(l.cle)!.latitude, longitude: pos.get(l.cle)!.longitude }))
        );
      }, () => undefined);
    return () => {
      annule = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [codesCommunes]);
  const [ref, setRef] = useState<Map<string, { nom: string; region: string }> | null>(null);
  const [regionsNoms, setRegionsNoms] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let annule = false;
    listDepartements().then(d => !annule && setRef(new Map(d.items.map(x => [x.code, { nom: x.nom, region: x.region }]))), () => undefined);
    listRegions().then(r => !annule && setRegionsNoms(new Map(r.items.map(x => [x.code, x.nom]))), () => undefined);
    return () => {
      annule = true;
    };
  }, []);
  if (!ref) return null;
  const deps: CompteZone[] = [];
  const parRegion = new Map<string, number>();
  for (const l of departements) {
    const d = ref.get(l.cle);
    if (!d || l.valeur <= 0) continue;
    deps.push({ code: l.cle, nom: d.nom, region: d.region, nombre: l.valeur });
    parRegion.set(d.region, (parRegion.get(d.region) ?? 0) + l.valeur);
  }
  const regions: CompteZone[] = [...parRegion].map(([code, nombre]) => ({ code, nom: regionsNoms.get(code) ?? code, nombre }));
  return (
    <div className="fr-mb-4w" data-testid="carte-statistiques">
      <h3 className="fr-h6">Sur la carte</h3>
      <p className="fr-text--sm">
        Accompagnements par région, par département puis par commune (zoomez ou choisissez une zone). Les communes sans
        position connue ne figurent que dans le tableau « Par commune ».
      </p>
      <CarteLieuxLazy
        points={[]}
        regions={regions}
        departements={deps}
        communes={placees}
        unite={["accompagnement", "accompagnements"]}
        titre="Carte des accompagnements"
        idBase="carte-statistiques"
      />
    </div>
  );
}
