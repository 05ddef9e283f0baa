/**
 * The hand-off between a CRA being typed and the orientation wizard (/lieux/orienter): the CRA
 * form keeps its whole state here (sessionStorage: this tab only, gone with it) before opening
 * the wizard; the wizard adds the chosen lieu and goes back to the form, which restores its state
 * with the orientation. Nothing typed is lost, with or without a choice.
 */
export interface LieuOriente {
  id: number;
  nom: string;
  commune: string;
  code_postal: string;
}

export interface BrouillonOrientation {
  /** Where the CRA form is (path + search), to go back to. */
  retour: string;
  /** The CRA form's state, opaque here. */
  formulaire: unknown;
  /** Set by the wizard: the chosen lieu and the services of the need it offers. */
  choix?: { lieu: LieuOriente; services: string[] } | null;
}

const CLE = "coop.orientation.cra";

export function garderBrouillon(b: BrouillonOrientation): void {
  try {
    sessionStorage.setItem(CLE, JSON.stringify(b));
  } catch {
    /* storage full or disabled: the wizard then opens without a CRA to return to */
  }
}

export function lireBrouillon(): BrouillonOrientation | null {
  try {
    const t = sessionStorage.getItem(CLE);
    if (!t) return null;
    const b = JSON.parse(t) as BrouillonOrientation;
    return typeof b?.retour === "string" && b.retour.startsWith("/activites/") ? b : null;
  } catch {
    return null;
  }
}

export function oublierBrouillon(): void {
  try {
    sessionStorage.removeItem(CLE);
  } catch {
    /* nothing to forget */
  }
}

/** The CRA's thématiques that name a need of the lieux' standard: the wizard's first step pre-filled. */
export const SERVICES_DES_THEMATIQUES: Record<string, string> = {
  aide_aux_demarches_administratives: "Aide aux démarches administratives",
  prendre_en_main_du_materiel: "Maîtrise des outils numériques du quotidien",
  navigation_sur_internet: "Maîtrise des outils numériques du quotidien",
  email: "Maîtrise des outils numériques du quotidien",
  bureautique: "Maîtrise des outils numériques du quotidien",
  insertion_professionnelle: "Insertion professionnelle via le numérique",
  securite_numerique: "Utilisation sécurisée du numérique",
  parentalite: "Parentalité et éducation avec le numérique",
  scolarite_et_numerique: "Parentalité et éducation avec le numérique",
  creer_avec_le_numerique: "Loisirs et créations numériques",
  culture_numerique: "Compréhension du monde numérique",
  intelligence_artificielle: "Compréhension du monde numérique",
  maintenance_de_materiel: "Accès internet et matériel informatique"
};
