export function PageLoading({ label = "Chargement en cours…" }: { label?: string }) {
  return (
    <div className="fr-container fr-my-6w" role="status" aria-live="polite">
      <p className="fr-text--lg">{label}</p>
    </div>
  );
}
