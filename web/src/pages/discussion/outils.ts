import type { Canal, CanalType, Message } from "../../api/discussionTypes";

/** The groups of the channel list, in their order. */
export const GROUPES: { cle: string; titre: string; types: CanalType[] }[] = [
  { cle: "territoires", titre: "Général et territoires", types: ["general", "region", "departement"] },
  { cle: "themes", titre: "Thèmes et annonces", types: ["theme", "annonces"] },
  { cle: "groupes", titre: "Groupes privés", types: ["groupe"] },
  { cle: "directs", titre: "Messages directs", types: ["direct"] }
];

export const TYPE_LIBELLE: Record<CanalType, string> = {
  general: "Canal national",
  region: "Canal régional",
  departement: "Canal départemental",
  theme: "Canal thématique",
  groupe: "Groupe privé",
  direct: "Message direct",
  annonces: "Canal d'annonces"
};

/** The name shown for a channel: the other participants of a direct message. */
export function nomCanal(c: Canal, moiId: number | null): string {
  if (c.type === "direct" && c.participants?.length) {
    const autres = c.participants.filter(p => p.id !== moiId);
    return (autres.length ? autres : c.participants).map(p => p.nom).join(", ");
  }
  return c.nom;
}

const jourFmt = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const heureFmt = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit" });
const courtFmt = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "short" });

/** Local day key "YYYY-MM-DD" of an instant. */
export function cleJour(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** « Aujourd'hui », « Hier » or « lundi 7 décembre 2026 ». */
export function libelleJour(iso: string, maintenant = new Date()): string {
  const cle = cleJour(iso);
  if (cle === cleJour(maintenant.toISOString())) return "Aujourd'hui";
  const hier = new Date(maintenant);
  hier.setDate(hier.getDate() - 1);
  if (cle === cleJour(hier.toISOString())) return "Hier";
  const s = jourFmt.format(new Date(iso));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const heure = (iso: string) => heureFmt.format(new Date(iso));

/** Last activity: the time today, else the day. */
export function activite(iso: string | null | undefined): string {
  if (!iso) return "";
  return cleJour(iso) === cleJour(new Date().toISOString()) ? heure(iso) : courtFmt.format(new Date(iso));
}

/** Inserts or replaces messages, kept in id order (ids grow with time). */
export function fusionner(liste: Message[], nouveaux: Message[]): Message[] {
  if (!nouveaux.length) return liste;
  const parId = new Map(liste.map(m => [m.id, m]));
  for (const m of nouveaux) parId.set(m.id, m);
  return [...parId.values()].sort((a, b) => a.id - b.id);
}

export function pluriel(n: number, un: string, plusieurs: string): string {
  return `${n} ${n > 1 ? plusieurs : un}`;
}

/** Is this object a whole Message (the data of message events)? */
export function estMessage(x: unknown): x is Message {
  if (!x || typeof x !== "object") return false;
  const m = x as Partial<Message>;
  return typeof m.id === "number" && typeof m.sujet_id === "number" && typeof m.cree_le === "string" && !!m.auteur;
}

export const REACTIONS = ["👍", "❤️", "😄", "🎉", "👀", "✅"];

/** A mute « until further notice » (the server takes any end from 2200 on as one). */
export const SOURDINE_INDEFINIE = "2200-01-01T00:00:00Z";

const finFmt = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** « jusqu'au 7 décembre 2026 à 19:05 », or « jusqu'à nouvel ordre ». */
export function finSourdine(iso: string): string {
  if (iso >= "2200") return "jusqu'à nouvel ordre";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? `jusqu'au ${iso}` : `jusqu'au ${finFmt.format(d)}`;
}
