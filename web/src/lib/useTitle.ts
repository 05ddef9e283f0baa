import { useEffect } from "react";

/** Sets document.title to "Page – Coop" (RGAA: a distinct title per page). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} – Coop` : "Coop";
  }, [title]);
}
