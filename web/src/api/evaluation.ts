/** The evaluation's item bank (issue 13): the admin preview of its items and the answer check. */
import { api } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type EvaluationItems = S["EvaluationItems"];
export type EvaluationItemResume = S["EvaluationItemResume"];
export type EvaluationItemDetail = S["EvaluationItemDetail"];
export type EvaluationType = S["EvaluationType"];
export type EvaluationEssai = S["EvaluationEssai"];
export type EvaluationCorrection = S["EvaluationCorrection"];

export const TYPES: EvaluationType[] = ["QCU", "QCM", "QROC", "QROCM-ind", "QROCM-dep"];
export const TYPE_LABELS: Record<EvaluationType, string> = {
  QCU: "QCU (un choix)",
  QCM: "QCM (plusieurs choix)",
  QROC: "QROC (réponse courte)",
  "QROCM-ind": "QROCM-ind (champs indépendants)",
  "QROCM-dep": "QROCM-dep (champs interchangeables)"
};
export const TOLERANCE_LABELS: Record<string, string> = {
  exacte: "identique",
  t1: "t1 (casse, accents, espaces)",
  t2: "t2 (ponctuation)",
  t3: "t3 (faute de frappe, distance ≤ 25 %)",
  numerique: "égalité numérique"
};

export const listItems = (query: { competence?: string; niveau?: string; type?: string }) =>
  api.get<EvaluationItems>("/api/admin/evaluation/items", { query: { ...query } });
export const getItem = (id: string) => api.get<EvaluationItemDetail>(`/api/admin/evaluation/items/${encodeURIComponent(id)}`);
export const essayerItem = (id: string, essai: EvaluationEssai) =>
  api.post<EvaluationCorrection>(`/api/admin/evaluation/items/${encodeURIComponent(id)}/essayer`, essai);
