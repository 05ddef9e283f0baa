import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface ChipGroupProps {
  legend: ReactNode;
  hint?: ReactNode;
  /** Server/client field name: `data-field` of the fieldset, used to focus the first error. */
  field: string;
  options: readonly (readonly [string, string])[];
  selected: string[];
  onToggle: (code: string) => void;
  error?: string | null;
  autoFocus?: boolean;
  /** Single choice (duration presets): aria-pressed on one chip at most. */
  className?: string;
  small?: boolean;
}

/**
 * A group of toggle chips (buttons with aria-pressed) in a fieldset: one Tab stop for the whole
 * group (roving tabindex), arrow keys / Home / End move between chips, Space or Enter toggles.
 * The DSFR's own fr-tag[aria-pressed] script is not used (it would toggle behind React's back).
 */
export function ChipGroup({ legend, hint, field, options, selected, onToggle, error, autoFocus, className, small }: ChipGroupProps) {
  const id = useId().replace(/:/g, "");
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const firstPressed = options.findIndex(([c]) => selected.includes(c));
  const [current, setCurrent] = useState(firstPressed >= 0 ? firstPressed : 0);
  const focusedInside = useRef(false);

  useEffect(() => {
    if (autoFocus) refs.current[current]?.focus({ preventScroll: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoFocus]);

  // Options may change (presets loaded): keep the roving index in range.
  useEffect(() => {
    if (current >= options.length) setCurrent(0);
  }, [options.length, current]);

  const move = (i: number) => {
    const n = options.length;
    const next = ((i % n) + n) % n;
    setCurrent(next);
    refs.current[next]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    switch (e.key) {
      case "ArrowRight":
      case "ArrowDown":
        e.preventDefault();
        move(i + 1);
        break;
      case "ArrowLeft":
      case "ArrowUp":
        e.preventDefault();
        move(i - 1);
        break;
      case "Home":
        e.preventDefault();
        move(0);
        break;
      case "End":
        e.preventDefault();
        move(options.length - 1);
        break;
    }
  };

  const errorId = `${id}-erreur`;
  const hintId = `${id}-aide`;
  return (
    <fieldset
      className={`coop-chips${error ? " coop-chips--error" : ""}${className ? ` ${className}` : ""}`}
      data-field={field}
      aria-describedby={[hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined}
      onFocus={() => (focusedInside.current = true)}
    >
      <legend className="coop-chips__legend">
        {legend}
        {hint && (
          <span className="fr-hint-text" id={hintId}>
            {hint}
          </span>
        )}
      </legend>
      <div className="coop-chips__list">
        {options.map(([code, label], i) => {
          const pressed = selected.includes(code);
          return (
            <button
              key={code}
              ref={el => {
                refs.current[i] = el;
              }}
              type="button"
              className={`coop-chip${small ? " coop-chip--sm" : ""}`}
              aria-pressed={pressed}
              data-code={code}
              tabIndex={i === current ? 0 : -1}
              onFocus={() => setCurrent(i)}
              onKeyDown={e => onKeyDown(e, i)}
              onClick={() => {
                setCurrent(i);
                onToggle(code);
              }}
            >
              {label}
            </button>
          );
        })}
      </div>
      <div className="fr-messages-group" id={errorId} aria-live="polite">
        {error && <p className="fr-message fr-message--error">{error}</p>}
      </div>
    </fieldset>
  );
}
