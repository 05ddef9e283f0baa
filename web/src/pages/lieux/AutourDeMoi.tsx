import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";

// « Autour de moi » of the lieux search and of the orientation wizard: the browser's position
// into the URL (`autour=lat,lon`, replacing a commune; 30 km unless a radius is chosen), the
// note that it is on (with « retirer »), and the French reason when there is no position.
export function AutourDeMoi({
  autour,
  changer
}: {
  autour: string | null;
  changer: (maj: (p: URLSearchParams) => void) => void;
}) {
  const [geoErreur, setGeoErreur] = useState<string | null>(null);

  const localiser = () => {
    setGeoErreur(null);
    if (!("geolocation" in navigator)) {
      setGeoErreur("Votre navigateur ne donne pas sa position : choisissez une commune.");
      return;
    }
    navigator.geolocation.getCurrentPosition(
      pos =>
        changer(n => {
          n.set("autour", `${pos.coords.latitude.toFixed(5)},${pos.coords.longitude.toFixed(5)}`);
          n.delete("depuis_commune");
          n.delete("commune");
          if (!n.get("rayon_km")) n.set("rayon_km", "30");
        }),
      e =>
        setGeoErreur(
          e.code === e.PERMISSION_DENIED
            ? "Vous n'avez pas autorisé la localisation : choisissez une commune."
            : "Votre position n'a pas pu être déterminée : choisissez une commune."
        ),
      { timeout: 10000, maximumAge: 300000 }
    );
  };

  return (
    <div>
      <Button type="button" priority="secondary" iconId="fr-icon-map-pin-2-line" onClick={localiser}>
        Autour de moi
      </Button>
      {autour && (
        <p className="fr-text--sm fr-mb-0 fr-mt-1v" data-testid="autour">
          Autour de votre position{" "}
          <button type="button" className="fr-link fr-link--sm" onClick={() => changer(n => n.delete("autour"))}>
            (retirer)
          </button>
        </p>
      )}
      {geoErreur && (
        <p className="fr-error-text" role="alert">
          {geoErreur}
        </p>
      )}
    </div>
  );
}
