import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { useSearchParams } from "react-router";

/** DSFR pagination driven by the ?page= query parameter (other parameters are kept). */
export function Pager({ total, perPage }: { total: number; perPage: number }) {
  const [params] = useSearchParams();
  const count = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Number(params.get("page") ?? 1) || 1), count);
  if (count <= 1) return null;
  return (
    <Pagination
      count={count}
      defaultPage={page}
      showFirstLast
      className="fr-mt-3w"
      getPageLinkProps={n => {
        const next = new URLSearchParams(params);
        next.set("page", String(n));
        return { to: `?${next.toString()}` };
      }}
    />
  );
}

export function usePageParam(): number {
  const [params] = useSearchParams();
  return Math.max(1, Number(params.get("page") ?? 1) || 1);
}
