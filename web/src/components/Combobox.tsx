import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface ComboboxProps<T> {
  label: ReactNode;
  hintText?: ReactNode;
  /** name of the native input (used to focus the first invalid field). */
  name: string;
  /** Text shown in the field for the selected item (null: nothing selected). */
  selectedText: string | null;
  search: (query: string, signal: AbortSignal) => Promise<T[]>;
  getKey: (item: T) => string;
  getText: (item: T, query: string) => string;
  renderOption?: (item: T, query: string) => ReactNode;
  /** Called with the chosen item and its text, or null when the user edits the text after a choice. */
  onSelect: (item: T | null, text: string) => void;
  onBlur?: () => void;
  /** Characters needed before searching (0: search on focus too). Default 2. */
  minChars?: number;
  debounceMs?: number;
  placeholder?: string;
  state?: "default" | "error" | "success" | "info";
  stateRelatedMessage?: ReactNode;
  disabled?: boolean;
  /** "commune", "médiateur"…: used in the status messages read by screen readers. */
  noun: string;
  nounPlural: string;
  /** Grammatical gender of the noun, for the French status messages. */
  feminine?: boolean;
}

/**
 * Accessible combobox (WAI-ARIA 1.2 "list autocomplete" pattern) built on the DSFR Input:
 * searches as the user types (debounced), arrow keys move through the options, Enter chooses,
 * Escape closes; the number of results is announced in a polite live region.
 */
export function Combobox<T>(props: ComboboxProps<T>) {
  const {
    label,
    hintText,
    name,
    selectedText,
    search,
    getKey,
    getText,
    renderOption,
    onSelect,
    onBlur,
    minChars = 2,
    debounceMs = 250,
    placeholder,
    state,
    stateRelatedMessage,
    disabled,
    noun,
    nounPlural,
    feminine = false
  } = props;
  const e_ = feminine ? "e" : "";
  const baseId = useId().replace(/:/g, "");
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-listbox`;
  const [text, setText] = useState(selectedText ?? "");
  const [items, setItems] = useState<T[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const [status, setStatus] = useState("");
  const [failed, setFailed] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const searchRef = useRef(search);
  searchRef.current = search;

  // Text of the current selection (null: the text is a free query). A selection made from outside
  // (initial value loaded, form reset) replaces the text; typing drops the selection.
  const selectedRef = useRef<string | null>(selectedText);
  useEffect(() => {
    if (selectedText !== null && selectedText !== selectedRef.current) {
      selectedRef.current = selectedText;
      setText(selectedText);
    } else if (selectedText === null && selectedRef.current !== null) {
      selectedRef.current = null;
      setText("");
    }
  }, [selectedText]);

  useEffect(
    () => () => {
      clearTimeout(timerRef.current);
      abortRef.current?.abort();
    },
    []
  );

  const runSearch = (query: string) => {
    clearTimeout(timerRef.current);
    abortRef.current?.abort();
    if (query.trim().length < minChars) {
      setItems([]);
      setOpen(false);
      setLoading(false);
      setStatus(
        minChars > 0 && query.trim().length > 0
          ? `Saisissez au moins ${minChars} caractères pour lancer la recherche.`
          : ""
      );
      return;
    }
    setLoading(true);
    timerRef.current = setTimeout(async () => {
      const controller = new AbortController();
      abortRef.current = controller;
      try {
        const found = await searchRef.current(query.trim(), controller.signal);
        if (controller.signal.aborted) return;
        setItems(found);
        setActive(-1);
        setOpen(true);
        setFailed(false);
        setStatus(
          found.length === 0
            ? `Aucun${e_} ${noun} trouvé${e_}.`
            : `${found.length} ${found.length > 1 ? nounPlural : noun} disponible${found.length > 1 ? "s" : ""}. Utilisez les flèches haut et bas pour parcourir la liste.`
        );
      } catch (e) {
        if (controller.signal.aborted || (e instanceof DOMException && e.name === "AbortError")) return;
        setItems([]);
        setOpen(false);
        setFailed(true);
        setStatus("La recherche a échoué. Veuillez réessayer.");
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    }, debounceMs);
  };

  const choose = (item: T) => {
    const t = getText(item, text);
    setText(t);
    selectedRef.current = t;
    setOpen(false);
    setActive(-1);
    setStatus(`${noun[0].toUpperCase()}${noun.slice(1)} sélectionné${e_} : ${t}.`);
    onSelect(item, t);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!open) {
          if (items.length) setOpen(true);
          else runSearch(text);
          return;
        }
        setActive(i => (items.length ? (i + 1) % items.length : -1));
        break;
      case "ArrowUp":
        e.preventDefault();
        if (!open) return;
        setActive(i => (items.length ? (i <= 0 ? items.length - 1 : i - 1) : -1));
        break;
      case "Home":
        if (open && items.length) {
          e.preventDefault();
          setActive(0);
        }
        break;
      case "End":
        if (open && items.length) {
          e.preventDefault();
          setActive(items.length - 1);
        }
        break;
      case "Enter":
        if (open && active >= 0 && items[active]) {
          e.preventDefault();
          choose(items[active]);
        } else if (open) {
          e.preventDefault();
        }
        break;
      case "Escape":
        if (open) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        }
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  };

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(`${listId}-${active}`)?.scrollIntoView?.({ block: "nearest" });
  }, [active, listId]);

  const expanded = open && items.length > 0;

  return (
    <div className="coop-combobox">
      <Input
        label={label}
        hintText={hintText}
        disabled={disabled}
        state={failed && state !== "error" ? "error" : state}
        stateRelatedMessage={failed && state !== "error" ? "La recherche a échoué." : stateRelatedMessage}
        nativeInputProps={{
          id: inputId,
          name,
          type: "text",
          role: "combobox",
          autoComplete: "off",
          spellCheck: false,
          placeholder,
          value: text,
          "aria-autocomplete": "list",
          "aria-expanded": expanded,
          "aria-controls": listId,
          "aria-activedescendant": expanded && active >= 0 ? `${listId}-${active}` : undefined,
          "aria-invalid": state === "error" ? true : undefined,
          "aria-busy": loading || undefined,
          onChange: e => {
            const v = e.target.value;
            setText(v);
            if (selectedRef.current !== null) {
              selectedRef.current = null;
              onSelect(null, v);
            }
            runSearch(v);
          },
          onFocus: () => {
            if (minChars === 0 && !open && selectedRef.current === null) runSearch(text);
          },
          onKeyDown,
          onBlur: () => {
            // Let a click on an option land first.
            setTimeout(() => setOpen(false), 150);
            onBlur?.();
          }
        }}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={typeof label === "string" ? label : nounPlural}
        className="coop-combobox__listbox"
        hidden={!expanded}
      >
        {items.map((item, i) => (
          <li
            key={getKey(item)}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "coop-combobox__option coop-combobox__option--active" : "coop-combobox__option"}
            onMouseDown={e => e.preventDefault()}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(item)}
          >
            {renderOption ? renderOption(item, text) : getText(item, text)}
          </li>
        ))}
      </ul>
      <div className="fr-sr-only" role="status" aria-live="polite">
        {status}
      </div>
    </div>
  );
}
