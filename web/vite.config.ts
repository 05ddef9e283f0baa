import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";

// The C++ server (`coop serve`) listens on 8080 by default; in development Vite serves the
// front end and forwards the API, the WebSocket and the metrics to it.
const backend = process.env.COOP_BACKEND ?? "http://127.0.0.1:8080";

// API answers the CRA form needs offline (offline entry, issue 9): the session, the CRA
// vocabulary, the tags, the lieux d'activité and the beneficiary searches. One user's data: the
// page empties this cache at log-out and when another account logs in (src/horsligne/cache.ts).
// Must stay self-contained: workbox copies the function into the service worker.
const donneesUtilisateur = ({ url, request, sameOrigin }: { url: URL; request: Request; sameOrigin: boolean }) =>
  sameOrigin &&
  request.method === "GET" &&
  (["/api/me", "/api/activites/referentiel", "/api/tags", "/api/lieux-activite"].includes(url.pathname) ||
    (url.pathname === "/api/beneficiaires" && url.searchParams.has("q")));

// Offline commune search (offline entry): the communes of each département as a static file,
// dist/communes/<département>.json, with the fields of GET /api/communes (Commune), built from the
// same @etalab/decoupage-administratif data as the server (communes and municipal arrondissements).
// The app keeps the files of the mediator's départements (src/horsligne/communes.ts).
function communesParDepartement(): Plugin {
  const data = (f: string) => JSON.parse(readFileSync(new URL(`./node_modules/@etalab/decoupage-administratif/data/${f}`, import.meta.url), "utf8"));
  return {
    name: "coop-communes-par-departement",
    apply: "build",
    generateBundle() {
      const departements = new Map<string, string>(data("departements.json").map((d: { code: string; nom: string }) => [d.code, d.nom]));
      const regions = new Map<string, string>(data("regions.json").map((r: { code: string; nom: string }) => [r.code, r.nom]));
      const parDep = new Map<string, unknown[]>();
      for (const c of data("communes.json")) {
        if (c.type !== "commune-actuelle" && c.type !== "arrondissement-municipal") continue;
        if (!c.departement) continue;
        const list = parDep.get(c.departement) ?? [];
        list.push({
          code: String(c.code).toUpperCase(),
          nom: c.nom,
          codes_postaux: c.codesPostaux ?? [],
          departement: c.departement,
          departement_nom: departements.get(c.departement) ?? null,
          region: c.region ?? "",
          region_nom: regions.get(c.region) ?? null,
          population: c.population ?? 0,
          type: c.type
        });
        parDep.set(c.departement, list);
      }
      for (const [dep, list] of parDep) this.emitFile({ type: "asset", fileName: `communes/${dep}.json`, source: JSON.stringify(list) });
    }
  };
}

export default defineConfig({
  plugins: [
    react(),
    communesParDepartement(),
    // Installable app and service worker (docs/architecture.md, « Offline entry »): workbox
    // precaches the app shell (index.html, the chunks, the DSFR CSS, fonts and icons used),
    // answers navigations with index.html, and keeps the form's API data network-first.
    VitePWA({
      injectRegister: false, // registered by src/horsligne/cache.ts (production builds only)
      filename: "sw.js",
      includeManifestIcons: true,
      manifest: {
        id: "/",
        name: "Coop – la plateforme des médiateurs numériques",
        short_name: "Coop",
        description: "Saisir et suivre les activités de médiation numérique, même sans connexion.",
        lang: "fr",
        dir: "ltr",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "any",
        theme_color: "#000091",
        background_color: "#ffffff",
        categories: ["productivity", "government"],
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" }
        ]
      },
      workbox: {
        globPatterns: ["index.html", "assets/*.{js,css,svg}", "dsfr/**/*.{css,svg,woff2,ico,png}", "icons/*.png", "robots.txt"],
        globIgnores: ["**/*.map"],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // index.html asks for /dsfr/dsfr.min.css?v=… and the icons' CSS ?hash=…: the precached files.
        ignoreURLParametersMatching: [/^v$/, /^hash$/],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/ws/, /^\/metrics/],
        // A new version installs in the background and serves the next load.
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: donneesUtilisateur,
            handler: "NetworkFirst",
            options: {
              cacheName: "coop-donnees-utilisateur",
              networkTimeoutSeconds: 10,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 200 }
            }
          },
          {
            // The communes of a département (public data, rebuilt with the app): kept once fetched.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /^\/communes\/[0-9AB]{2,3}\.json$/.test(url.pathname),
            handler: "StaleWhileRevalidate",
            options: { cacheName: "coop-communes-departements", cacheableResponse: { statuses: [200] }, expiration: { maxEntries: 20 } }
          },
          {
            // Public reference data (no user data): commune searches already made on this device.
            urlPattern: ({ url, request, sameOrigin }) => sameOrigin && request.method === "GET" && url.pathname.startsWith("/api/communes"),
            handler: "NetworkFirst",
            options: {
              cacheName: "coop-communes",
              networkTimeoutSeconds: 10,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 500 }
            }
          }
        ]
      }
    })
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/metrics": { target: backend, changeOrigin: false },
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true, changeOrigin: false }
    }
  }
});
