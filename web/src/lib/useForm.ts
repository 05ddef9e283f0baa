import { useCallback, useMemo, useRef, useState, type FormEvent } from "react";
import { ApiError, isApiError } from "../api/client";

type Values = Record<string, string | boolean>;
export type Errors<T> = Partial<Record<keyof T, string | null | undefined>>;

export interface SubmitContext {
  /** Fields of the server's 400 that no input of this form shows. */
  unknownFields: Record<string, string>;
}

/**
 * Form state with validation as the user types:
 * - a format error shows as soon as the field holds something, a "required" error once the field
 *   has been left or the form submitted;
 * - the server's field errors (error.fields of a 400) show next to their input until it changes;
 * - values are never reset on an error.
 */
export function useForm<T extends Values>(initial: T, validate: (values: T) => Errors<T>) {
  const [values, setValues] = useState<T>(initial);
  const [dirty, setDirty] = useState<Partial<Record<keyof T, boolean>>>({});
  const [blurred, setBlurred] = useState<Partial<Record<keyof T, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const formRef = useRef<HTMLFormElement | null>(null);

  const clientErrors = useMemo(() => validate(values), [values, validate]);

  const setField = useCallback(<K extends keyof T>(key: K, value: T[K]) => {
    setValues(prev => ({ ...prev, [key]: value }));
    setDirty(prev => (prev[key] ? prev : { ...prev, [key]: true }));
    setServerErrors(prev => {
      if (!(key in prev)) return prev;
      const next = { ...prev };
      delete next[key as string];
      return next;
    });
  }, []);

  const errorFor = (key: keyof T): string | undefined => {
    const client = clientErrors[key];
    const value = values[key];
    const filled = typeof value === "string" ? value !== "" : true;
    if (client && (submitted || blurred[key] || (dirty[key] && filled))) return client;
    return serverErrors[key as string];
  };

  /** Props for a DSFR Input/Select: state + stateRelatedMessage. */
  const fieldState = (key: keyof T) => {
    const message = errorFor(key);
    return message
      ? { state: "error" as const, stateRelatedMessage: message }
      : { state: "default" as const };
  };

  /** Props for the native <input>/<select>. */
  const bind = (key: keyof T) => ({
    name: key as string,
    value: String(values[key] ?? ""),
    onChange: (e: { target: { value: string } }) => setField(key, e.target.value as T[keyof T]),
    onBlur: () => setBlurred(prev => (prev[key] ? prev : { ...prev, [key]: true })),
    "aria-invalid": errorFor(key) ? true : undefined
  });

  const reset = useCallback((next: T) => {
    setValues(next);
    setDirty({});
    setBlurred({});
    setSubmitted(false);
    setServerErrors({});
    setError(null);
  }, []);

  const focusFirstError = (keys: string[]) => {
    const form = formRef.current;
    if (!form) return;
    for (const el of Array.from(form.elements)) {
      const name = (el as HTMLInputElement).name;
      if (name && keys.includes(name)) {
        (el as HTMLElement).focus();
        return;
      }
    }
  };

  const handleSubmit =
    (onValid: (values: T) => Promise<void> | void) => async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      formRef.current = event.currentTarget;
      setSubmitted(true);
      const invalid = Object.entries(clientErrors)
        .filter(([, v]) => !!v)
        .map(([k]) => k);
      if (invalid.length > 0) {
        setError(null);
        focusFirstError(invalid);
        return;
      }
      setSubmitting(true);
      setError(null);
      try {
        await onValid(values);
      } catch (e) {
        if (isApiError(e)) {
          setServerErrors(e.fields);
          setError(e);
          const keys = Object.keys(e.fields);
          if (keys.length) setTimeout(() => focusFirstError(keys), 0);
        } else {
          setError(new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
          console.error(e);
        }
      } finally {
        setSubmitting(false);
      }
    };

  /** Server field errors for which the form has no input (shown in the form-level alert). */
  const unboundServerErrors = (boundKeys: (keyof T | string)[]): string[] =>
    Object.entries(serverErrors)
      .filter(([k]) => !boundKeys.includes(k))
      .map(([, v]) => v);

  return {
    values,
    setValues,
    setField,
    errorFor,
    fieldState,
    bind,
    reset,
    handleSubmit,
    submitting,
    submitted,
    error,
    setError,
    serverErrors,
    unboundServerErrors
  };
}
