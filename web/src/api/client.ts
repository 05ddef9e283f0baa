/**
 * The one way the front end talks to `coop serve`.
 *
 * - cookies travel with every request (credentials: "same-origin");
 * - every non-GET request carries `X-CSRF-Token` = the `coop_csrf` cookie, obtained first from
 *   GET /api/health when the browser does not have it yet;
 * - any non-2xx answer becomes an {@link ApiError} carrying the server's code, French message and
 *   per-field messages;
 * - a 401 on a protected call goes to the handler installed by the session provider, which sends
 *   the user to /connexion.
 */
import type { ErrorBody } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const CSRF_COOKIE = "coop_csrf";
const CSRF_HEADER = "X-CSRF-Token";

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

let csrfPromise: Promise<string | null> | null = null;

async function csrfToken(): Promise<string | null> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing) return existing;
  // The server sets the cookie on any response to a request that had none.
  csrfPromise ??= fetch("/api/health", { credentials: "same-origin" })
    .catch(() => undefined)
    .then(() => readCookie(CSRF_COOKIE))
    .finally(() => {
      csrfPromise = null;
    });
  return csrfPromise;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Installed by the session provider: called when a protected call answers 401. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: "La requête est invalide.",
  401: "Vous devez vous connecter pour accéder à cette page.",
  403: "Vous n'avez pas les droits nécessaires pour effectuer cette action.",
  404: "Élément introuvable.",
  409: "Cette opération est en conflit avec des données existantes.",
  410: "Cet élément n'est plus disponible.",
  429: "Trop de requêtes. Veuillez réessayer dans quelques minutes."
};

function genericMessage(status: number): string {
  return (
    GENERIC_MESSAGES[status] ??
    (status >= 500
      ? "Le service rencontre un problème. Veuillez réessayer plus tard."
      : "Une erreur est survenue.")
  );
}

export interface RequestOptions {
  /** Query parameters; undefined, null and "" values are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Do not call the 401 handler (log-in form, session probe, public pages). */
  allowAnonymous?: boolean;
  signal?: AbortSignal;
  /** Send the body as is (a File or Blob) with this Content-Type instead of JSON. */
  rawContentType?: string;
  /** Extra request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
  /** Called with the status of a successful answer (e.g. 200 vs 201). */
  onStatus?: (status: number) => void;
}

export function buildUrl(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return errorFromBody(response.status, body);
}

/** The ApiError of an error answer's parsed body; `fallback` replaces the generic message. */
function errorFromBody(status: number, body: unknown, fallback?: string): ApiError {
  const err = (body as ErrorBody | null)?.error;
  if (err && typeof err === "object") {
    const fields: Record<string, string> = {};
    if (err.fields && typeof err.fields === "object") {
      for (const [k, v] of Object.entries(err.fields)) if (typeof v === "string") fields[k] = v;
    }
    return new ApiError(
      status,
      typeof err.code === "string" ? err.code : `http_${status}`,
      typeof err.message === "string" && err.message ? err.message : (fallback ?? genericMessage(status)),
      fields
    );
  }
  return new ApiError(status, `http_${status}`, fallback ?? genericMessage(status));
}

export async function request<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  options: RequestOptions = {}
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  // FormData (multipart/form-data): the browser sets the Content-Type with its boundary.
  const form = typeof FormData !== "undefined" && body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = options.rawContentType ?? "application/json";
  if (method !== "GET") {
    const token = await csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : form || options.rawContentType ? (body as BodyInit) : JSON.stringify(body),
      signal: options.signal
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "reseau", "Impossible de joindre le serveur. Vérifiez votre connexion.");
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && !options.allowAnonymous) onUnauthorized?.();
    throw error;
  }
  options.onStatus?.(response.status);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PATCH", path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>("DELETE", path, undefined, options)
};

/** An upload in progress: abort() cancels it (the server keeps nothing of a cut upload). */
export interface Envoi<T> {
  promesse: Promise<T>;
  abort: () => void;
}

export interface MessagesEnvoi {
  /** When the server's answer carries no message (by status, else `echec`). */
  echec: string;
  parStatut?: Record<number, string>;
  /** The connection broke. */
  interrompu: string;
  /** abort() was called (ApiError code "annule"). */
  annule: string;
}

/**
 * POST a multipart form with upload progress events: XMLHttpRequest, since fetch has none. Same
 * rules as {@link request}: cookies, the CSRF header (fetched first when missing), errors as
 * ApiError with the server's code, French message and fields (or `messages`), a 401 to the
 * session provider's handler.
 */
export function envoyerAvecProgression<T>(
  path: string,
  form: FormData,
  tailleConnue: number,
  onProgress: (envoye: number, total: number) => void,
  messages: MessagesEnvoi
): Envoi<T> {
  const xhr = new XMLHttpRequest();
  const promesse = new Promise<T>((resolve, reject) => {
    const start = async () => {
      const token = await csrfToken();
      xhr.open("POST", path);
      xhr.withCredentials = true;
      xhr.setRequestHeader("Accept", "application/json");
      if (token) xhr.setRequestHeader(CSRF_HEADER, token);
      xhr.upload.onprogress = e => onProgress(e.loaded, e.lengthComputable ? e.total : tailleConnue);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body as T);
          return;
        }
        if (xhr.status === 401) onUnauthorized?.();
        reject(errorFromBody(xhr.status, body, messages.parStatut?.[xhr.status] ?? messages.echec));
      };
      xhr.onerror = () => reject(new ApiError(0, "reseau", messages.interrompu));
      xhr.onabort = () => reject(new ApiError(0, "annule", messages.annule));
      xhr.send(form);
    };
    void start();
  });
  return { promesse, abort: () => xhr.abort() };
}
