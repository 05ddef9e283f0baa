/**
 * Files of the editor: a drop zone (drag and drop, or the file picker), one upload per file with
 * its progress bar (XMLHttpRequest upload events), and clear French errors — too large or of a
 * type the library does not take — checked here first, then by the server (type sniffed from
 * the content).
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useId, useRef, useState, type DragEvent } from "react";
import { deposerFichier, taille, type RessourceFichier } from "../../api/ressources";

export interface Envoi {
  cle: string;
  nom: string;
  taille: number;
  envoye: number;
  fichier?: RessourceFichier;
  erreur?: string;
  abort?: () => void;
}

const EXTENSIONS = /\.(pdf|odt|odp|ods|docx|pptx|xlsx|doc|ppt|xls|png|jpe?g|gif|webp|zip|mp3|ogg|oga|wav|m4a|mp4|webm|ogv|mov)$/i;
export const ACCEPT = ".pdf,.odt,.odp,.ods,.docx,.pptx,.xlsx,.doc,.ppt,.xls,.png,.jpg,.jpeg,.gif,.webp,.zip,.mp3,.ogg,.wav,.m4a,.mp4,.webm,.mov";

export function DepotFichiers({
  fichiers,
  setFichiers,
  tailleMax,
  onEnCours
}: {
  fichiers: RessourceFichier[];
  setFichiers: (f: (l: RessourceFichier[]) => RessourceFichier[]) => void;
  tailleMax: number;
  onEnCours: (n: number) => void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [survol, setSurvol] = useState(false);
  const [envois, setEnvois] = useState<Envoi[]>([]);
  const enCours = useRef(0);

  const majEnvoi = (cle: string, m: Partial<Envoi>) => setEnvois(l => l.map(e => (e.cle === cle ? { ...e, ...m } : e)));

  const ajouter = (liste: FileList | File[]) => {
    for (const f of Array.from(liste)) {
      const cle = `${f.name}-${f.size}-${Math.random().toString(36).slice(2)}`;
      if (f.size > tailleMax) {
        setEnvois(l => [...l, { cle, nom: f.name, taille: f.size, envoye: 0, erreur: `Fichier trop volumineux (${taille(f.size)}) : ${taille(tailleMax)} au plus.` }]);
        continue;
      }
      if (f.size === 0) {
        setEnvois(l => [...l, { cle, nom: f.name, taille: 0, envoye: 0, erreur: "Le fichier est vide." }]);
        continue;
      }
      if (!EXTENSIONS.test(f.name)) {
        setEnvois(l => [
          ...l,
          { cle, nom: f.name, taille: f.size, envoye: 0, erreur: "Type de fichier non accepté : PDF, documents bureautiques, images, ZIP, audio ou vidéo." }
        ]);
        continue;
      }
      const d = deposerFichier(f, envoye => majEnvoi(cle, { envoye }));
      setEnvois(l => [...l, { cle, nom: f.name, taille: f.size, envoye: 0, abort: d.abort }]);
      enCours.current += 1;
      onEnCours(enCours.current);
      d.promesse
        .then(fichier => {
          majEnvoi(cle, { fichier, envoye: f.size, abort: undefined });
          setFichiers(l => (l.some(x => x.sha256 === fichier.sha256) ? l : [...l, fichier]));
          // A finished upload is shown in the list of files: its line here goes.
          setEnvois(l => l.filter(e => e.cle !== cle));
        })
        .catch(e => majEnvoi(cle, { erreur: e instanceof Error ? e.message : "Le dépôt a échoué.", abort: undefined }))
        .finally(() => {
          enCours.current -= 1;
          onEnCours(enCours.current);
        });
    }
  };

  const deposer = (e: DragEvent) => {
    e.preventDefault();
    setSurvol(false);
    if (e.dataTransfer.files.length) ajouter(e.dataTransfer.files);
  };

  return (
    <div>
      <div
        className={`coop-ress__depot${survol ? " coop-ress__depot--survol" : ""}`}
        onDragOver={e => {
          e.preventDefault();
          setSurvol(true);
        }}
        onDragLeave={() => setSurvol(false)}
        onDrop={deposer}
        data-testid="zone-depot"
      >
        <p className="fr-mb-1w">
          <span className={fr.cx("fr-icon-upload-2-line")} aria-hidden="true" /> Glissez vos fichiers ici, ou
        </p>
        <label className="fr-label fr-sr-only" htmlFor={id}>
          Ajouter des fichiers
        </label>
        <input
          id={id}
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="fr-sr-only"
          tabIndex={-1}
          aria-describedby={`${id}-aide`}
          onChange={e => {
            if (e.currentTarget.files) ajouter(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
        <Button type="button" priority="secondary" size="small" onClick={() => input.current?.click()}>
          Choisir des fichiers
        </Button>
        <p id={`${id}-aide`} className="fr-hint-text fr-mt-1w fr-mb-0">
          PDF, ODT, ODP, DOCX, PPTX, images, ZIP, audio ou vidéo ; {taille(tailleMax)} au plus par fichier.
        </p>
      </div>
      {envois.length > 0 && (
        <ul className="coop-ress__envois" aria-label="Dépôts en cours">
          {envois.map(e => (
            <li key={e.cle} data-testid="envoi">
              <span className="coop-ress__nom">{e.nom}</span>
              {e.erreur ? (
                <>
                  <span className="fr-error-text fr-mt-0" role="alert">
                    {e.nom} : {e.erreur}
                  </span>
                  <Button type="button" size="small" priority="tertiary no outline" onClick={() => setEnvois(l => l.filter(x => x.cle !== e.cle))}>
                    Fermer
                  </Button>
                </>
              ) : (
                <>
                  <progress max={e.taille || 1} value={e.envoye} aria-label={`Envoi de ${e.nom}`} />
                  <span className="fr-text--sm fr-mb-0">{Math.round((100 * e.envoye) / (e.taille || 1))} %</span>
                  {e.abort && (
                    <Button type="button" size="small" priority="tertiary no outline" onClick={e.abort}>
                      Annuler
                    </Button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {fichiers.length > 0 && (
        <ul className="coop-ress__envois" aria-label="Fichiers de la ressource">
          {fichiers.map(f => (
            <li key={f.sha256} data-testid="fichier-joint">
              <span className="coop-ress__nom">
                {f.nom} <span className="fr-hint-text">{taille(f.taille)}</span>
              </span>
              <Button
                type="button"
                size="small"
                priority="tertiary no outline"
                iconId="fr-icon-delete-line"
                onClick={() => setFichiers(l => l.filter(x => x.sha256 !== f.sha256))}
                nativeButtonProps={{ "aria-label": `Retirer ${f.nom}` }}
              >
                Retirer
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
