import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { listSujets, rechercher, type RechercheFiltres } from "../../api/discussion";
import type { Canal, MessageTrouve, Sujet } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExtraitMessage } from "./Mentions";
import { PersonnePicker } from "./PersonnePicker";
import { nomCanal, pluriel } from "./outils";

const CLES = ["q", "canal", "auteur", "sujet", "du", "au"] as const;

export function Recherche({ canaux, moiId }: { canaux: Canal[]; moiId: number | null }) {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Record<(typeof CLES)[number], string>>(() => Object.fromEntries(CLES.map(k => [k, params.get(k) ?? ""])) as never);
  const [auteurNom, setAuteurNom] = useState<string | null>(params.get("auteur_nom"));
  const [sujets, setSujets] = useState<Sujet[]>([]);
  // total: counted exactly up to 1,000 by the server; total_exact false beyond (« plus de 1 000 »).
  const [resultats, setResultats] = useState<{ items: MessageTrouve[]; total: number; total_exact: boolean } | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [encours, setEncours] = useState(false);
  const q = params.get("q") ?? "";

  useEffect(() => {
    if (!form.canal) {
      setSujets([]);
      return;
    }
    listSujets(Number(form.canal))
      .then(r => setSujets(r.items))
      .catch(() => setSujets([]));
  }, [form.canal]);

  // The search of the URL (shareable, kept by « précédent »).
  useEffect(() => {
    if (!q.trim()) {
      setResultats(null);
      return;
    }
    const ctrl = new AbortController();
    const f: RechercheFiltres = { q };
    for (const k of CLES) if (k !== "q" && params.get(k)) f[k] = params.get(k)!;
    setEncours(true);
    setErreur(null);
    rechercher(f, ctrl.signal)
      .then(setResultats)
      .catch(e => isApiError(e) && setErreur(e))
      .finally(() => setEncours(false));
    return () => ctrl.abort();
  }, [params, q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.q.trim()) {
      setErreur(new ApiError(400, "validation", "Saisissez les mots à rechercher.", { q: "Saisissez les mots à rechercher." }));
      return;
    }
    const p = new URLSearchParams();
    for (const k of CLES) if (form[k]) p.set(k, form[k]);
    if (form.auteur && auteurNom) p.set("auteur_nom", auteurNom);
    setParams(p);
  };

  const suivants = async () => {
    if (!resultats?.items.length) return;
    const f: RechercheFiltres = { q, avant: resultats.items[resultats.items.length - 1].id };
    for (const k of CLES) if (k !== "q" && params.get(k)) f[k] = params.get(k)!;
    try {
      const r = await rechercher(f);
      setResultats(p => (p ? { ...p, items: [...p.items, ...r.items] } : r));
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };

  const nomDe = (id: number) => {
    const c = canaux.find(x => x.id === id);
    return c ? nomCanal(c, moiId) : undefined;
  };
  const champ = (k: (typeof CLES)[number]) => ({
    value: form[k],
    name: k,
    onChange: (e: { target: { value: string } }) => setForm(f => ({ ...f, [k]: e.target.value, ...(k === "canal" ? { sujet: "" } : {}) }))
  });

  return (
    <section aria-labelledby="recherche-titre" className="coop-discussion__colonne coop-discussion__outil-contenu">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="recherche-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          Rechercher dans les discussions
        </h2>
      </div>
      <form onSubmit={submit} role="search" aria-label="Rechercher des messages" noValidate className="coop-discussion__recherche">
        <Input
          label="Mots recherchés"
          hintText="Sans tenir compte des accents ni des variantes (« formation » trouve « formations », « formé »)."
          state={erreur?.fields.q ? "error" : "default"}
          stateRelatedMessage={erreur?.fields.q}
          nativeInputProps={{ ...champ("q"), type: "search" }}
        />
        <details open={!!(form.canal || form.auteur || form.du || form.au)}>
          <summary className="fr-text--sm fr-mb-1w">Filtres</summary>
          <div className="coop-discussion__filtres">
            <Select label="Canal" nativeSelectProps={champ("canal")}>
              <option value="">Tous mes canaux</option>
              {canaux.map(c => (
                <option key={c.id} value={c.id}>
                  {nomCanal(c, moiId)}
                </option>
              ))}
            </Select>
            <Select label="Sujet" disabled={!form.canal} nativeSelectProps={champ("sujet")}>
              <option value="">{form.canal ? "Tous les sujets" : "Choisissez d'abord un canal"}</option>
              {sujets.map(s => (
                <option key={s.id} value={s.id}>
                  {s.titre}
                </option>
              ))}
            </Select>
            <PersonnePicker
              label="Auteur"
              name="auteur"
              garder
              texteInitial={auteurNom}
              onChange={p => {
                setForm(f => ({ ...f, auteur: p ? String(p.id) : "" }));
                setAuteurNom(p?.nom ?? null);
              }}
            />
            <Input label="Du" nativeInputProps={{ ...champ("du"), type: "date" }} />
            <Input label="Au" nativeInputProps={{ ...champ("au"), type: "date" }} />
          </div>
        </details>
        <Button type="submit" iconId="fr-icon-search-line" size="small">
          Rechercher
        </Button>
      </form>
      {erreur && !erreur.fields.q && <ErrorAlert error={erreur} title="La recherche a échoué" as="h3" className="fr-mt-2w" />}
      <div aria-live="polite" className="fr-mt-2w">
        {encours && <p className="fr-text--sm">Recherche en cours…</p>}
        {resultats && !encours && (
          <p className="fr-text--sm fr-text--bold" data-testid="recherche-total">
            {resultats.total === 0
              ? "Aucun message trouvé."
              : resultats.total_exact
                ? `${pluriel(resultats.total, "message trouvé", "messages trouvés")}.`
                : `Plus de ${resultats.total.toLocaleString("fr-FR")} messages trouvés : précisez la recherche ou ajoutez un filtre.`}
          </p>
        )}
      </div>
      {resultats && resultats.items.length > 0 && (
        <>
          <ul className="coop-discussion__resultats" aria-label="Messages trouvés">
            {resultats.items.map(m => (
              <ExtraitMessage key={m.id} m={m} html={m.extrait} canal={m.canal?.nom ?? nomDe(m.canal_id)} sujet={m.sujet_titre} />
            ))}
          </ul>
          {(resultats.items.length < resultats.total || !resultats.total_exact) && (
            <Button type="button" size="small" priority="secondary" onClick={() => void suivants()}>
              Résultats suivants
            </Button>
          )}
        </>
      )}
    </section>
  );
}
