import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback, useState } from "react";
import { Link, Navigate } from "react-router";
import * as inscription from "../../api/inscription";
import { useSession } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

type Values = { email: string; prenom: string; nom: string; password: string; confirmation: string; cgu: boolean };

/** « Vérifiez votre boîte mail », with « renvoyer le lien ». Also used by the log-in page. */
export function LienEnvoye({ email, message }: { email: string; message: string }) {
  const [renvoi, setRenvoi] = useState<string | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);
  return (
    <>
      <Alert severity="success" as="h2" title="Vérifiez votre boîte mail" description={message} className="fr-mb-3w" id="inscription-envoyee" />
      <p>
        L'e-mail a été envoyé à <strong>{email}</strong>. Pensez à regarder dans les courriers indésirables.
      </p>
      {renvoi && <Alert severity="info" small role="status" description={renvoi} className="fr-mb-2w" />}
      {erreur && <Alert severity="error" small description={erreur} className="fr-mb-2w" />}
      <Button
        priority="secondary"
        disabled={envoi}
        onClick={async () => {
          setEnvoi(true);
          setErreur(null);
          try {
            const r = await inscription.renvoyerLien(email);
            setRenvoi(`Un nouveau lien a été demandé. ${r.message}`);
          } catch (e) {
            setErreur(e instanceof Error ? e.message : "Le lien n'a pas pu être renvoyé.");
          } finally {
            setEnvoi(false);
          }
        }}
      >
        Renvoyer le lien
      </Button>
    </>
  );
}

export function InscriptionPage() {
  useTitle("Créer un compte");
  const { me } = useSession();
  const [envoye, setEnvoye] = useState<{ email: string; message: string } | null>(null);
  const validate = useCallback(
    (values: Values) => ({
      email: v.email(values.email),
      prenom: v.required(values.prenom, "Le prénom est obligatoire."),
      nom: v.required(values.nom, "Le nom est obligatoire."),
      password: v.password(values.password),
      confirmation: v.confirmation(values.confirmation, values.password),
      cgu: values.cgu ? null : "Vous devez accepter les conditions générales d'utilisation."
    }),
    []
  );
  const form = useForm<Values>({ email: "", prenom: "", nom: "", password: "", confirmation: "", cgu: false }, validate);
  if (me) return <Navigate to="/inscription/parcours" replace />;

  const submit = form.handleSubmit(async values => {
    const email = values.email.trim().toLowerCase();
    const r = await inscription.inscrire({
      email,
      prenom: values.prenom.trim(),
      nom: values.nom.trim(),
      password: values.password,
      cgu: values.cgu
    });
    setEnvoye({ email, message: r.message });
  });
  const pwdError = form.errorFor("password");
  const confError = form.errorFor("confirmation");
  const cguError = form.errorFor("cgu");

  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Créer un compte Coop</h1>
          {envoye ? (
            <LienEnvoye email={envoye.email} message={envoye.message} />
          ) : (
            <>
              <p>
                Coop est l'outil des médiateurs numériques, des conseillers numériques et de leurs coordinateurs. Vous
                avez reçu une invitation ? Vous pouvez la suivre, ou vous inscrire ici avec la même adresse : elle sera
                prise en compte.
              </p>
              <ErrorAlert error={form.error} title="Votre compte n'a pas été créé" extra={form.unboundServerErrors(["email", "prenom", "nom", "password", "confirmation", "cgu"])} />
              <form onSubmit={submit} noValidate aria-label="Inscription">
                <fieldset className="fr-fieldset">
                  <legend className="fr-fieldset__legend">
                    <span className="fr-text--regular">Tous les champs sont obligatoires.</span>
                  </legend>
                  <div className="fr-fieldset__element">
                    <Input
                      label="Adresse e-mail"
                      hintText="Format attendu : nom@domaine.fr. Ce sera votre identifiant."
                      {...form.fieldState("email")}
                      nativeInputProps={{ ...form.bind("email"), id: "inscription-email", type: "email", autoComplete: "email" }}
                    />
                  </div>
                  <div className="fr-fieldset__element">
                    <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "inscription-prenom", autoComplete: "given-name" }} />
                  </div>
                  <div className="fr-fieldset__element">
                    <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "inscription-nom", autoComplete: "family-name" }} />
                  </div>
                  <div className="fr-fieldset__element">
                    <PasswordInput
                      label="Mot de passe"
                      messagesHint="Votre mot de passe doit contenir :"
                      messages={[
                        pwdError
                          ? { severity: "error", message: pwdError }
                          : { severity: form.values.password.length >= v.MIN_PASSWORD_LENGTH ? "valid" : "info", message: `au moins ${v.MIN_PASSWORD_LENGTH} caractères` }
                      ]}
                      nativeInputProps={{ ...form.bind("password"), id: "inscription-password", autoComplete: "new-password" }}
                    />
                  </div>
                  <div className="fr-fieldset__element">
                    <PasswordInput
                      label="Confirmation du mot de passe"
                      messagesHint=""
                      messages={confError ? [{ severity: "error", message: confError }] : []}
                      nativeInputProps={{ ...form.bind("confirmation"), id: "inscription-confirmation", autoComplete: "new-password" }}
                    />
                  </div>
                  <div className="fr-fieldset__element">
                    <Checkbox
                      state={cguError ? "error" : "default"}
                      stateRelatedMessage={cguError}
                      options={[
                        {
                          label: "J'accepte les conditions générales d'utilisation",
                          hintText: (
                            <Link to="/cgu" target="_blank" rel="noopener">
                              Lire les conditions générales d'utilisation (nouvel onglet)
                            </Link>
                          ),
                          nativeInputProps: {
                            name: "cgu",
                            checked: form.values.cgu,
                            onChange: e => form.setField("cgu", e.target.checked)
                          }
                        }
                      ]}
                    />
                  </div>
                </fieldset>
                <Button type="submit" disabled={form.submitting}>
                  {form.submitting ? "Création du compte…" : "Créer mon compte"}
                </Button>
              </form>
            </>
          )}
          <p className="fr-mt-4w fr-text--sm">
            Vous avez déjà un compte ? <Link to="/connexion">Se connecter</Link>
          </p>
        </div>
      </div>
    </div>
  );
}
