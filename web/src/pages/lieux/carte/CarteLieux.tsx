/**
 * The map of lieux (issue 12, point 6): MapLibre GL with clustering by supercluster, drill-down
 * France → région → département with counts, then clusters and points, and a list beside the map
 * kept in sync with the visible area (the list is the accessible alternative).
 *
 * - Zoom < ZOOM_DEPARTEMENTS: one bubble per région (count: `regions[].nombre`);
 *   then one per département (`departements[].nombre`); from ZOOM_POINTS: supercluster's clusters
 *   and single points, computed here from `points`. Without points (statistics), départements stay.
 * - Bubble positions: GET /api/lieux/zones (centroid of each zone's positioned lieux, computed by
 *   the server). A zone without any positioned lieu has no bubble; it is still in the list.
 * - Markers are <button>s (Tab reaches them, Enter zooms or opens the popup); Escape closes the
 *   popup and gives focus back to its marker. A « Passer la carte » link jumps to the list.
 * - Base map: GET /api/config/carte's style URL, else an offline style built here (a plain
 *   background, no tiles: no request leaves the server).
 *
 * Default export (loaded as a chunk of its own: MapLibre is big) — import it through ./index.
 */
import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
// MapLibre starts its workers from a module next to its own file, which Vite does not emit from
// a dependency: the worker is given as an asset of the build (same origin, no blob: needed).
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import Supercluster from "supercluster";
import { api } from "../../../api/client";
import "./carte.css";

export type PointLieu = [number, number, number]; // [id, latitude, longitude]
export interface CompteZone { code: string; nom: string; nombre: number; region?: string }
interface Position { code: string; nom: string; latitude: number; longitude: number; region?: string }
interface Zones { departements: Position[]; regions: Position[] }
interface Detail { nom: string; commune: string; code_postal?: string; adresse?: string }

export interface CarteLieuxProps {
  /** Every match with a position: [id, latitude, longitude]. Empty: régions and départements only. */
  points: PointLieu[];
  regions: CompteZone[];
  departements: CompteZone[];
  /** Without points: counts per commune with their positions, the last level (statistics). */
  communes?: (CompteZone & { latitude: number; longitude: number })[];
  /** What is counted, singular and plural: « lieu » / « lieux », « accompagnement » / « accompagnements ». */
  unite?: [string, string];
  /** Accessible name of the map. */
  titre?: string;
  /** Id prefix (several maps on one page). */
  idBase?: string;
  /** A lieu's link; default `/lieux/:id`. */
  lienLieu?: (id: number) => string;
}

export const ZOOM_DEPARTEMENTS = 5.5;
export const ZOOM_POINTS = 8;
const VUE_FRANCE: [[number, number], [number, number]] = [[-5.2, 41.3], [9.6, 51.2]];
const LISTE_MAX = 20;

/** The offline base map: a plain background, no source, no glyphs, no sprite (no request at all). */
maplibregl.setWorkerUrl(workerUrl);

export const STYLE_HORS_LIGNE: maplibregl.StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: "fond", type: "background", paint: { "background-color": "#e3ecf5" } }]
};

let zonesPromesse: Promise<Zones> | null = null;
let configPromesse: Promise<{ style_url: string | null }> | null = null;
const details = new Map<number, Promise<Detail>>();
function detail(id: number): Promise<Detail> {
  let p = details.get(id);
  if (!p) {
    // GET /api/lieux/{id} (schema Lieu): the standard's fields are under `champs`.
    p = api.get<{ champs: Detail }>(`/api/lieux/${id}`).then(l => ({
      nom: l.champs.nom,
      commune: l.champs.commune,
      code_postal: l.champs.code_postal,
      adresse: l.champs.adresse
    }));
    p.catch(() => details.delete(id));
    details.set(id, p);
  }
  return p;
}

type Niveau = "regions" | "departements" | "communes" | "points";
interface Bulle {
  cle: string;
  lat: number;
  lon: number;
  nombre: number;
  libelle: string;
  type: "region" | "departement" | "commune" | "cluster" | "point";
  id?: number; // point: lieu id; cluster: cluster id
}

function pluriel(n: number, unite: [string, string]) {
  return `${n.toLocaleString("fr-FR")} ${n > 1 ? unite[1] : unite[0]}`;
}
function reduit() {
  return typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
}

export default function CarteLieux({
  points,
  regions,
  departements,
  communes = [],
  unite = ["lieu", "lieux"],
  titre = "Carte des lieux",
  idBase = "carte-lieux",
  lienLieu = id => `/lieux/${id}`
}: CarteLieuxProps) {
  const navigate = useNavigate();
  const conteneur = useRef<HTMLDivElement>(null);
  const carte = useRef<maplibregl.Map | null>(null);
  const marqueurs = useRef<maplibregl.Marker[]>([]);
  const popup = useRef<maplibregl.Popup | null>(null);
  const [zones, setZones] = useState<Zones | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [prete, setPrete] = useState(false);
  const [vue, setVue] = useState<{ zoom: number; bounds: maplibregl.LngLatBounds | null; centre: [number, number] }>({
    zoom: 0,
    bounds: null,
    centre: [2.5, 46.5]
  });
  const [noms, setNoms] = useState<Record<number, Detail>>({});

  const index = useMemo(() => {
    const sc = new Supercluster<{ id: number }>({ radius: 50, maxZoom: 16 });
    sc.load(points.map(([id, lat, lon]) => ({ type: "Feature", properties: { id }, geometry: { type: "Point", coordinates: [lon, lat] } })));
    return sc;
  }, [points]);

  // Zones' positions and the style: once per page.
  useEffect(() => {
    zonesPromesse ??= api.get<Zones>("/api/lieux/zones");
    zonesPromesse.then(setZones, () => {
      zonesPromesse = null;
      setErreur("Les positions des régions et départements n'ont pas pu être chargées.");
    });
  }, []);

  // The map itself.
  useEffect(() => {
    if (!conteneur.current) return;
    let annule = false;
    configPromesse ??= api.get<{ style_url: string | null }>("/api/config/carte").catch(() => ({ style_url: null }));
    configPromesse.then(cfg => {
      if (annule || !conteneur.current) return;
      const m = new maplibregl.Map({
        container: conteneur.current,
        style: cfg.style_url ?? STYLE_HORS_LIGNE,
        bounds: VUE_FRANCE,
        attributionControl: cfg.style_url ? { compact: true } : false,
        keyboard: true,
        cooperativeGestures: false
      });
      m.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
      const maj = () => {
        const c = m.getCenter();
        setVue({ zoom: m.getZoom(), bounds: m.getBounds(), centre: [c.lng, c.lat] });
      };
      m.on("load", () => {
        setPrete(true);
        maj();
      });
      m.on("moveend", maj);
      carte.current = m;
    });
    return () => {
      annule = true;
      carte.current?.remove();
      carte.current = null;
    };
  }, []);

  const niveau: Niveau =
    vue.zoom < ZOOM_DEPARTEMENTS
      ? "regions"
      : vue.zoom >= ZOOM_POINTS && points.length > 0
        ? "points"
        : vue.zoom >= ZOOM_POINTS && communes.length > 0
          ? "communes"
          : "departements";

  // The bubbles of the current level (all of them for zones, the visible ones for points).
  const bulles: Bulle[] = useMemo(() => {
    if (!vue.bounds) return [];
    if (niveau === "communes")
      return communes
        .filter(c => c.nombre > 0)
        .map(c => ({ cle: `communes-${c.code}`, lat: c.latitude, lon: c.longitude, nombre: c.nombre, libelle: c.nom, type: "commune" as const }));
    if (niveau === "regions" || niveau === "departements") {
      const comptes = niveau === "regions" ? regions : departements;
      const pos = new Map((niveau === "regions" ? zones?.regions : zones?.departements)?.map(z => [z.code, z]) ?? []);
      return comptes
        .filter(c => c.nombre > 0 && pos.has(c.code))
        .map(c => {
          const p = pos.get(c.code)!;
          return {
            cle: `${niveau}-${c.code}`,
            lat: p.latitude,
            lon: p.longitude,
            nombre: c.nombre,
            libelle: c.nom,
            type: niveau === "regions" ? ("region" as const) : ("departement" as const)
          };
        });
    }
    const b = vue.bounds;
    return index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.floor(vue.zoom)).map(f => {
      const [lon, lat] = f.geometry.coordinates;
      const props = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; id?: number };
      if (props.cluster)
        return { cle: `c-${props.cluster_id}`, lat, lon, nombre: props.point_count ?? 0, libelle: "Groupe", type: "cluster" as const, id: props.cluster_id };
      return { cle: `p-${props.id}`, lat, lon, nombre: 1, libelle: "", type: "point" as const, id: props.id };
    });
  }, [vue, niveau, regions, departements, zones, index]);

  // Visible points (the list): those inside the bounds, nearest to the centre first.
  const visibles = useMemo(() => {
    const b = vue.bounds;
    if (!b) return [] as PointLieu[];
    const [cx, cy] = vue.centre;
    return points
      .filter(([, lat, lon]) => b.contains([lon, lat]))
      .sort((p, q) => (p[2] - cx) ** 2 + (p[1] - cy) ** 2 - ((q[2] - cx) ** 2 + (q[1] - cy) ** 2));
  }, [points, vue]);
  // Zones counted but without a position (no positioned lieu there): listed, not drawn.
  const sansPosition = useMemo(() => {
    if (!zones || niveau === "points" || niveau === "communes") return [] as CompteZone[];
    const pos = new Set((niveau === "regions" ? zones.regions : zones.departements).map(z => z.code));
    return (niveau === "regions" ? regions : departements).filter(c => c.nombre > 0 && !pos.has(c.code));
  }, [zones, niveau, regions, departements]);
  const estZone = (t: Bulle["type"]) => t === "region" || t === "departement" || t === "commune";
  const zonesVisibles = bulles.filter(z => estZone(z.type) && vue.bounds?.contains([z.lon, z.lat]));
  const totalVisible =
    niveau === "points" || points.length > 0 ? visibles.length : zonesVisibles.reduce((s, z) => s + z.nombre, 0);

  // Names of the listed lieux.
  useEffect(() => {
    if (niveau !== "points") return;
    let annule = false;
    for (const [id] of visibles.slice(0, LISTE_MAX)) {
      if (noms[id]) continue;
      detail(id).then(d => !annule && setNoms(n => ({ ...n, [id]: d })), () => undefined);
    }
    return () => {
      annule = true;
    };
  }, [visibles, niveau, noms]);

  function allerA(lon: number, lat: number, zoom: number) {
    const m = carte.current;
    if (!m) return;
    m.easeTo({ center: [lon, lat], zoom, duration: reduit() ? 0 : 600 });
  }

  function ouvrirPopup(id: number, lat: number, lon: number, retour?: HTMLElement) {
    const m = carte.current;
    if (!m) return;
    popup.current?.remove();
    const div = document.createElement("div");
    div.className = "carte-lieux__popup";
    const titreP = document.createElement("p");
    titreP.className = "fr-text--bold fr-mb-1v";
    titreP.textContent = noms[id]?.nom ?? "Chargement…";
    const adresse = document.createElement("p");
    adresse.className = "fr-text--sm fr-mb-1v";
    const lien = document.createElement("a");
    lien.className = "fr-link fr-text--sm";
    lien.href = lienLieu(id);
    lien.textContent = "Voir la fiche du lieu";
    lien.addEventListener("click", e => {
      e.preventDefault();
      navigate(lienLieu(id));
    });
    div.append(titreP, adresse, lien);
    detail(id).then(d => {
      titreP.textContent = d.nom;
      adresse.textContent = [d.adresse, [d.code_postal, d.commune].filter(Boolean).join(" ")].filter(Boolean).join(", ");
      lien.setAttribute("aria-label", `Voir la fiche du lieu ${d.nom}`);
    }, () => (titreP.textContent = "Lieu introuvable"));
    const p = new maplibregl.Popup({ offset: 14, closeButton: true, closeOnClick: true, focusAfterOpen: true, maxWidth: "280px" })
      .setLngLat([lon, lat])
      .setDOMContent(div)
      .addTo(m);
    p.getElement().setAttribute("role", "dialog");
    p.getElement().setAttribute("aria-label", "Lieu sélectionné");
    p.getElement().querySelector(".maplibregl-popup-close-button")?.setAttribute("aria-label", "Fermer");
    p.on("close", () => {
      if (popup.current === p) popup.current = null;
      retour?.focus();
    });
    popup.current = p;
  }

  function activer(b: Bulle, el?: HTMLElement) {
    if (b.type === "region") allerA(b.lon, b.lat, ZOOM_DEPARTEMENTS + 0.8);
    else if (b.type === "departement") {
      if (points.length > 0 || communes.length > 0) allerA(b.lon, b.lat, ZOOM_POINTS + 0.5);
      else allerA(b.lon, b.lat, Math.max(vue.zoom, ZOOM_DEPARTEMENTS + 1.5));
    } else if (b.type === "commune") allerA(b.lon, b.lat, Math.max(vue.zoom + 1, ZOOM_POINTS + 1.5));
    else if (b.type === "cluster" && b.id !== undefined) allerA(b.lon, b.lat, Math.min(index.getClusterExpansionZoom(b.id), 17));
    else if (b.type === "point" && b.id !== undefined) ouvrirPopup(b.id, b.lat, b.lon, el);
  }

  // The markers: re-created when the bubbles change.
  useEffect(() => {
    const m = carte.current;
    if (!m || !prete) return;
    for (const mk of marqueurs.current) mk.remove();
    marqueurs.current = bulles.map(b => {
      const el = document.createElement("button");
      el.type = "button";
      el.className = `carte-lieux__bulle carte-lieux__bulle--${b.type}`;
      el.dataset.cle = b.cle;
      el.dataset.nombre = String(b.nombre);
      if (b.type === "point") {
        const nom = b.id !== undefined ? noms[b.id]?.nom : undefined;
        el.setAttribute("aria-label", nom ? `Lieu : ${nom}` : "Lieu : ouvrir sa présentation");
      } else {
        el.textContent = b.nombre.toLocaleString("fr-FR");
        const quoi = b.type === "cluster" ? "Groupe de" : b.libelle + " :";
        el.setAttribute("aria-label", `${quoi} ${pluriel(b.nombre, unite)}, zoomer`);
        const taille = Math.round(28 + Math.min(24, Math.log10(b.nombre + 1) * 10));
        el.style.width = el.style.height = `${taille}px`;
      }
      el.title = b.type === "point" ? "Lieu" : `${b.libelle} : ${pluriel(b.nombre, unite)}`;
      el.addEventListener("click", e => {
        e.stopPropagation();
        activer(b, el);
      });
      let element: HTMLElement = el;
      if (estZone(b.type)) {
        // The zone's name under its bubble (the offline base map has no place names); outside the
        // button so that its accessible name still contains its visible text.
        element = document.createElement("div");
        element.className = "carte-lieux__marqueur";
        const nom = document.createElement("span");
        nom.className = "carte-lieux__nom-zone";
        nom.setAttribute("aria-hidden", "true");
        nom.textContent = b.libelle;
        element.append(el, nom);
      }
      return new maplibregl.Marker({ element }).setLngLat([b.lon, b.lat]).addTo(m);
    });
    // Which view the markers are of (browser tests wait for it after a zoom).
    if (conteneur.current) conteneur.current.dataset.marqueursZoom = m.getZoom().toFixed(2);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulles, prete]);

  // Escape closes the popup.
  useEffect(() => {
    const el = conteneur.current?.parentElement;
    if (!el) return;
    const k = (e: KeyboardEvent) => {
      if (e.key === "Escape" && popup.current) {
        e.preventDefault();
        popup.current.remove();
      }
    };
    el.addEventListener("keydown", k);
    return () => el.removeEventListener("keydown", k);
  }, []);

  const titreNiveau =
    niveau === "regions" ? "Régions" : niveau === "departements" ? "Départements" : niveau === "communes" ? "Communes" : unite[1].charAt(0).toUpperCase() + unite[1].slice(1);

  return (
    <div className="carte-lieux">
      <a className="fr-link carte-lieux__passer" href={`#${idBase}-liste`}>
        Passer la carte
      </a>
      <div className="carte-lieux__grille">
        <div className="carte-lieux__carte-cadre" role="region" aria-label={`${titre} (zones et lieux sous forme de boutons ; la liste qui suit en est l'équivalent)`}>
          <div ref={conteneur} className="carte-lieux__carte" data-testid={`${idBase}-carte`} data-niveau={niveau} data-zoom={vue.zoom.toFixed(2)} />
          <div className="carte-lieux__actions">
            <button
              type="button"
              className="fr-btn fr-btn--sm fr-btn--tertiary"
              onClick={() => carte.current?.fitBounds(VUE_FRANCE, { duration: reduit() ? 0 : 600 })}
            >
              Toute la France
            </button>
          </div>
        </div>
        <section className="carte-lieux__liste" id={`${idBase}-liste`} tabIndex={-1} aria-labelledby={`${idBase}-liste-titre`}>
          <h2 className="fr-h6 fr-mb-1w" id={`${idBase}-liste-titre`}>
            Dans la zone affichée
          </h2>
          {erreur && <p className="fr-error-text">{erreur}</p>}
          <p className="fr-text--sm fr-mb-1w" aria-live="polite" data-testid={`${idBase}-compte`}>
            {prete ? `${pluriel(totalVisible, unite)} · ${titreNiveau.toLowerCase()}` : "Chargement de la carte…"}
          </p>
          {niveau !== "points" ? (
            <ul className="carte-lieux__items" data-testid={`${idBase}-zones`}>
              {zonesVisibles.map(z => (
                <li key={z.cle}>
                  <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" onClick={() => activer(z)}>
                    {z.libelle} — {pluriel(z.nombre, unite)}
                  </button>
                </li>
              ))}
              {prete && zonesVisibles.length === 0 && <li>Aucune zone dans la partie affichée.</li>}
            </ul>
          ) : null}
          {niveau !== "points" && sansPosition.length > 0 && (
            <>
              <h3 className="fr-text--sm fr-text--bold fr-mt-2w fr-mb-1v">Sans position sur la carte</h3>
              <ul className="carte-lieux__items" data-testid={`${idBase}-sans-position`}>
                {sansPosition.map(z => (
                  <li key={z.code}>
                    {z.nom} — {pluriel(z.nombre, unite)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {niveau === "points" && (
            <>
              <ul className="carte-lieux__items" data-testid={`${idBase}-lieux`}>
                {visibles.slice(0, LISTE_MAX).map(([id, lat, lon]) => (
                  <li key={id} data-id={id}>
                    <a
                      className="fr-link"
                      href={lienLieu(id)}
                      onClick={e => {
                        e.preventDefault();
                        navigate(lienLieu(id));
                      }}
                    >
                      {noms[id]?.nom ?? `Lieu n° ${id}`}
                    </a>
                    {noms[id] && <span className="fr-text--xs carte-lieux__commune"> {noms[id].commune}</span>}{" "}
                    <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-icon-map-pin-2-line fr-btn--icon-left" onClick={() => ouvrirPopup(id, lat, lon)}>
                      Sur la carte
                    </button>
                  </li>
                ))}
                {visibles.length === 0 && <li>Aucun {unite[0]} dans la partie affichée.</li>}
              </ul>
              {visibles.length > LISTE_MAX && (
                <p className="fr-text--sm">
                  {LISTE_MAX} premiers sur {visibles.length}, les plus proches du centre : zoomez pour voir les autres.
                </p>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}
