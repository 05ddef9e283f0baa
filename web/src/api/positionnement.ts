/** The positioning test (issue 13 point 3): start, resume, answer, the profile of competences. */
import { api } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type EvaluationTest = S["EvaluationTest"];
export type EvaluationTestReponse = S["EvaluationTestReponse"];
export type EvaluationQuestion = S["EvaluationQuestion"];
export type EvaluationProfil = S["EvaluationProfil"];
export type EvaluationReponseTest = S["EvaluationReponseTest"];

export const getProfil = () => api.get<EvaluationProfil>("/api/evaluation/profil");
export const commencerTest = (competence?: string) =>
  api.post<EvaluationTest>("/api/evaluation/tests", competence ? { competence } : {});
export const getTest = (id: string | number) => api.get<EvaluationTest>(`/api/evaluation/tests/${id}`);
export const repondreTest = (id: string | number, r: EvaluationReponseTest) =>
  api.post<EvaluationTestReponse>(`/api/evaluation/tests/${id}/reponses`, r);

/** "2026-12-12" or an ISO instant → "12/12/2026". */
export function dateFr(s: string): string {
  const d = s.slice(0, 10).split("-");
  return d.length === 3 ? `${d[2]}/${d[1]}/${d[0]}` : s;
}
