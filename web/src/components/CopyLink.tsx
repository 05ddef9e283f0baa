import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useId, useRef, useState } from "react";

/** A read-only field holding a link, with a button that copies it. */
export function CopyLink({ label, value }: { label: string; value: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      inputRef.current?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 4000);
  };
  return (
    <div className="coop-copylink">
      <Input
        label={label}
        nativeInputProps={{
          id,
          ref: inputRef,
          readOnly: true,
          value,
          onFocus: e => e.currentTarget.select(),
          "data-testid": "invitation-link"
        } as React.InputHTMLAttributes<HTMLInputElement>}
        className="fr-mb-1w"
      />
      <Button type="button" priority="secondary" size="small" iconId="fr-icon-clipboard-line" onClick={copy}>
        Copier le lien
      </Button>
      <span className="fr-ml-2w fr-text--sm" role="status">
        {copied ? "Lien copié dans le presse-papiers." : ""}
      </span>
    </div>
  );
}
