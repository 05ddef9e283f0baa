// /reseaux/departement/:code: « Mon réseau », the automatic network of a département (every
// structure, lieu and mediator of it), like the national tool's.
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";
import { useState } from "react";
import { useParams } from "react-router";
import { annuaireDepartement } from "../../api/reseaux";
import { useTitle } from "../../lib/useTitle";
import { Annuaire, CarteReseau } from "./Annuaire";
import "./reseaux.css";

export default function MonReseauPage() {
  const { code = "" } = useParams();
  useTitle(`Mon réseau · ${code}`);
  const [onglet, setOnglet] = useState("annuaire");
  return (
    <div className="fr-container fr-my-4w">
      <h1>Mon réseau · département {code}</h1>
      <p>Toutes les structures du département, leurs médiateurs, coordinateurs et gestionnaires, et leurs lieux.</p>
      <Tabs
        selectedTabId={onglet}
        onTabChange={setOnglet}
        tabs={[
          { tabId: "annuaire", label: "Annuaire" },
          { tabId: "carte", label: "Carte" }
        ]}
      >
        {onglet === "annuaire" ? (
          <Annuaire cle={`departement-${code}`} charger={q => annuaireDepartement(code, q)} />
        ) : (
          <CarteReseau filtre={`departement=${encodeURIComponent(code)}`} titre={`Carte des lieux du département ${code}`} />
        )}
      </Tabs>
    </div>
  );
}
