// /reseaux/nouveau and /reseaux/:id/modifier: a network's name, description, territory
// (départements and/or communes) and, at creation, its structures (those the author manages
// join at once, the others are invited by e-mail).
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import type { ApiError } from "../../api/client";
import { chercherStructures, creerReseau, lireReseau, modifierReseau, type StructureTrouvee } from "../../api/reseaux";
import { listDepartements } from "../../api/statistiques";
import { Combobox } from "../../components/Combobox";
import { AccessDenied } from "../../components/AccessDenied";
import { CommunePicker, communeText } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

interface TerritoireChoisi { cle: string; nom: string }

export default function ReseauFormPage() {
  const { id } = useParams();
  const edition = id !== undefined;
  useTitle(edition ? "Modifier le réseau" : "Créer un réseau local");
  const navigate = useNavigate();
  const departements = useAsync(() => listDepartements(), []);
  const existant = useAsync(() => (edition ? lireReseau(id!) : Promise.resolve(null)), [id]);
  const [nom, setNom] = useState("");
  const [description, setDescription] = useState("");
  const [territoires, setTerritoires] = useState<TerritoireChoisi[]>([]);
  const [structures, setStructures] = useState<StructureTrouvee[]>([]);
  const [departement, setDepartement] = useState("");
  const [cleCommune, setCleCommune] = useState(0);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  useEffect(() => {
    const r = existant.data;
    if (!r) return;
    setNom(r.nom);
    setDescription(r.description);
    setTerritoires(r.territoires.map(t => ({ cle: `${t.niveau}:${t.code}`, nom: t.nom })));
  }, [existant.data]);

  if (existant.error) return <LoadError error={existant.error} what="ce réseau" page />;
  if (edition && !existant.data) return <PageLoading label="Chargement du réseau…" />;
  // Only its animators (and administrators) edit a network: the server refuses the others too.
  if (edition && existant.data && !existant.data.droits.animer) return <AccessDenied />;
  const ajouterTerritoire = (t: TerritoireChoisi) => setTerritoires(ts => (ts.some(x => x.cle === t.cle) ? ts : [...ts, t]));
  const champ = (k: string) => erreur?.fields?.[k];

  const soumettre = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    setEnvoi(true);
    try {
      const corps = { nom, description, territoires: territoires.map(t => t.cle) };
      const r = edition ? await modifierReseau(Number(id), corps) : await creerReseau({ ...corps, structures: structures.map(s => s.id) });
      navigate(`/reseaux/${r.id}`);
    } catch (err) {
      setErreur(err as ApiError);
      setEnvoi(false);
    }
  };

  return (
    <div className="fr-container fr-my-4w">
      <h1>{edition ? "Modifier le réseau" : "Créer un réseau local"}</h1>
      <ErrorAlert error={erreur} title={edition ? "Le réseau n'a pas été modifié" : "Le réseau n'a pas été créé"} as="h2" />
      <form onSubmit={soumettre} noValidate>
        <Input
          label="Nom du réseau"
          hintText="120 caractères au plus."
          nativeInputProps={{ name: "nom", value: nom, onChange: e => setNom(e.target.value), required: true, maxLength: 120 }}
          state={champ("nom") ? "error" : "default"}
          stateRelatedMessage={champ("nom")}
        />
        <Input
          label="Description"
          hintText="Facultative, 2 000 caractères au plus."
          textArea
          nativeTextAreaProps={{ name: "description", value: description, onChange: e => setDescription(e.target.value), rows: 4 }}
          state={champ("description") ? "error" : "default"}
          stateRelatedMessage={champ("description")}
        />
        <fieldset className="fr-fieldset" aria-labelledby="territoire-legende">
          <legend id="territoire-legende" className="fr-fieldset__legend">
            Territoire : un ou plusieurs départements et communes
          </legend>
          <div className="fr-fieldset__element">
            <ul className="coop-reseaux-territoires" aria-label="Territoires choisis" data-testid="territoires">
              {territoires.length === 0 && <li>Aucun territoire choisi.</li>}
              {territoires.map(t => (
                <li key={t.cle}>
                  <Tag dismissible nativeButtonProps={{ onClick: () => setTerritoires(ts => ts.filter(x => x.cle !== t.cle)), title: `Retirer ${t.nom}` }}>
                    {t.nom}
                  </Tag>
                </li>
              ))}
            </ul>
            {champ("territoires") && <p className="fr-error-text">{champ("territoires")}</p>}
          </div>
          <div className="fr-fieldset__element">
            <Select
              label="Ajouter un département"
              nativeSelectProps={{
                name: "departement",
                value: departement,
                onChange: e => {
                  const code = e.target.value;
                  setDepartement("");
                  const d = departements.data?.items.find(x => x.code === code);
                  if (d) ajouterTerritoire({ cle: `departement:${d.code}`, nom: `${d.nom} (${d.code})` });
                }
              }}
            >
              <option value="">Choisir un département</option>
              {(departements.data?.items ?? []).map(d => (
                <option key={d.code} value={d.code}>
                  {d.code} – {d.nom}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-fieldset__element">
            <CommunePicker
              key={cleCommune}
              label="Ajouter une commune"
              name="commune"
              value=""
              onChange={(code, c) => {
                if (!code || !c) return;
                ajouterTerritoire({ cle: `commune:${code}`, nom: communeText(c) });
                setCleCommune(k => k + 1);
              }}
            />
          </div>
        </fieldset>
        {!edition && (
          <fieldset className="fr-fieldset" aria-labelledby="structures-legende">
            <legend id="structures-legende" className="fr-fieldset__legend">
              Structures membres
              <span className="fr-hint-text">
                Les structures que vous gérez rejoignent le réseau ; les autres reçoivent une invitation par e-mail, à accepter dans Coop.
              </span>
            </legend>
            <div className="fr-fieldset__element">
              <ul className="coop-reseaux-territoires" aria-label="Structures choisies" data-testid="structures-choisies">
                {structures.map(s => (
                  <li key={s.id}>
                    <Tag dismissible nativeButtonProps={{ onClick: () => setStructures(xs => xs.filter(x => x.id !== s.id)), title: `Retirer ${s.nom}` }}>
                      {s.nom}
                    </Tag>
                  </li>
                ))}
              </ul>
              {champ("structures") && <p className="fr-error-text">{champ("structures")}</p>}
              <StructureReseauPicker key={structures.length} onChoisir={s => setStructures(xs => (xs.some(x => x.id === s.id) ? xs : [...xs, s]))} />
            </div>
          </fieldset>
        )}
        <Button type="submit" disabled={envoi}>
          {edition ? "Enregistrer" : "Créer le réseau"}
        </Button>
      </form>
    </div>
  );
}

export function StructureReseauPicker({ onChoisir, label = "Ajouter une structure" }: { onChoisir: (s: StructureTrouvee) => void; label?: string }) {
  return (
    <Combobox<StructureTrouvee>
      label={label}
      hintText="Saisissez le nom de la structure, puis choisissez dans la liste."
      name="structure"
      noun="structure"
      nounPlural="structures"
      feminine
      minChars={1}
      selectedText={null}
      search={async (q, signal) => (await chercherStructures(q, signal)).items}
      getKey={s => String(s.id)}
      getText={s => (s.commune ? `${s.nom} – ${s.commune}` : s.nom)}
      onSelect={s => s && onChoisir(s)}
    />
  );
}
