/**
 * Client-side rules mirroring the server's, so that errors show while the user types.
 * Each rule returns a French message, or null when the value is fine.
 */

export const MIN_PASSWORD_LENGTH = 12;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function required(value: string, message = "Ce champ est obligatoire."): string | null {
  return value.trim() === "" ? message : null;
}

export function email(value: string): string | null {
  if (value.trim() === "") return "L'adresse e-mail est obligatoire.";
  return EMAIL_RE.test(value.trim())
    ? null
    : "Adresse e-mail invalide (format attendu : nom@domaine.fr).";
}

export function password(value: string): string | null {
  if (value === "") return "Le mot de passe est obligatoire.";
  return value.length < MIN_PASSWORD_LENGTH
    ? `Le mot de passe doit contenir au moins ${MIN_PASSWORD_LENGTH} caractères.`
    : null;
}

export function confirmation(value: string, original: string): string | null {
  if (value === "") return "Veuillez confirmer le mot de passe.";
  return value === original ? null : "Les deux mots de passe ne correspondent pas.";
}

/** Optional French phone number: 10 digits (spaces, dots, dashes allowed) or +33 form. */
export function telephone(value: string): string | null {
  const v = value.replace(/[\s.-]/g, "");
  if (v === "") return null;
  return /^(0\d{9}|\+\d{8,15})$/.test(v)
    ? null
    : "Numéro de téléphone invalide (exemple : 06 12 34 56 78).";
}

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Spaces, dots and dashes are accepted as separators, as on the server. */
export function normalizeSiret(value: string): string {
  return value.replace(/[\s.-]/g, "");
}

/** SIRET: optional (associations may have none); when given, 14 digits with a valid key. */
export function siret(value: string): string | null {
  const v = normalizeSiret(value);
  if (v === "") return null;
  if (!/^\d+$/.test(v)) return "Le SIRET ne doit contenir que des chiffres.";
  if (v.length !== 14) return `Le SIRET doit contenir 14 chiffres (${v.length} saisi${v.length > 1 ? "s" : ""}).`;
  // La Poste's establishments (SIREN 356000000) use a different check: sum of digits % 5.
  if (v.startsWith("356000000")) {
    const sum = [...v].reduce((acc, c) => acc + Number(c), 0);
    if (sum % 5 === 0) return null;
  }
  return luhnValid(v) ? null : "SIRET invalide : la clé de contrôle ne correspond pas.";
}

export function date(value: string, label = "La date"): string | null {
  if (value === "") return `${label} est obligatoire.`;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : `${label} est invalide.`;
}
