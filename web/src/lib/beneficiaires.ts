import type { Beneficiaire } from "../api/types";
import { GENRES, STATUTS_SOCIAUX, TRANCHES_AGE, labelOf } from "./activites";
import * as v from "./validation";

/** The fields of a followed beneficiary, in the reference's order, with their French labels. */
export const CHAMPS_BENEFICIAIRE: [keyof Beneficiaire, string][] = [
  ["prenom", "Prénom"],
  ["nom", "Nom"],
  ["annee_naissance", "Année de naissance"],
  ["telephone", "Téléphone"],
  ["email", "Adresse e-mail"],
  ["adresse", "Adresse"],
  ["commune_nom", "Commune"],
  ["genre", "Genre"],
  ["tranche_age", "Tranche d'âge"],
  ["statut_social", "Statut"],
  ["notes", "Notes"]
];

export function valeurBeneficiaire(b: Partial<Beneficiaire>, key: keyof Beneficiaire): string {
  const x = b[key];
  if (x === null || x === undefined || x === "") {
    if (key === "telephone" && b.pas_de_telephone) return "Pas de téléphone";
    return "";
  }
  if (key === "genre") return labelOf(GENRES, String(x));
  if (key === "tranche_age") return labelOf(TRANCHES_AGE, String(x));
  if (key === "statut_social") return labelOf(STATUTS_SOCIAUX, String(x));
  if (key === "commune_nom") return `${x}${b.code_postal ? ` (${b.code_postal})` : ""}`;
  return String(x);
}

export function anneeNaissance(value: string): string | null {
  const t = value.trim();
  if (t === "") return null;
  if (!/^\d{4}$/.test(t)) return "L'année de naissance doit comporter 4 chiffres (exemple : 1958).";
  const n = Number(t);
  const max = new Date().getFullYear();
  if (n < 1900 || n > max) return `L'année de naissance doit être comprise entre 1900 et ${max}.`;
  return null;
}

export function emailFacultatif(value: string): string | null {
  return value.trim() === "" ? null : v.email(value);
}
