// The statistics' map (issue 12, point 6): accompagnements by département (the answer's
// `repartitions.departements`) and by région (their sum, through the référentiel's
// département → région), on the same map component as the lieux (pages/lieux/carte).
// By commune: not on the map yet — communes have no position in Coop for now; the « Par commune »
// table below the map gives those figures.
import { useEffect, useState } from "react";
import { listDepartements, listRegions } from "../../api/statistiques";
import type { StatistiquesLigne } from "../../api/statistiques";
import { CarteLieuxLazy, type CompteZone } from "../lieux/carte";

export function CarteStatistiques({ departements }: { departements: StatistiquesLigne[] }) {
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
        Accompagnements par région puis par département (zoomez ou choisissez une zone). Les communes n'ont pas encore de
        position dans Coop : leurs chiffres sont dans le tableau « Par commune ».
      </p>
      <CarteLieuxLazy
        points={[]}
        regions={regions}
        departements={deps}
        unite={["accompagnement", "accompagnements"]}
        titre="Carte des accompagnements"
        idBase="carte-statistiques"
      />
    </div>
  );
}
