// The application's client routes, read from the router itself (web/src/App.tsx) with the
// TypeScript parser: every <Route path=…> with the guards around it (<RequireAuth/>,
// <RequireRole roles={[…]}/>). A route added to App.tsx is visited by the layout test without
// editing the test; a guard this reader does not know makes it throw, so that nobody's page is
// silently left out.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const APP_TSX = fileURLToPath(new URL("../../src/App.tsx", import.meta.url));

/** Elements that wrap routes without changing who may see them. */
const TRANSPARENT = new Set(["Layout", "Suspense", "Fragment", "React.Fragment"]);

function tagName(node) {
  const t = ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName;
  return t.getText();
}

function attributes(node) {
  return (ts.isJsxElement(node) ? node.openingElement : node).attributes.properties;
}

function attr(node, name) {
  return attributes(node).find(a => ts.isJsxAttribute(a) && a.name.getText() === name);
}

function stringAttr(node, name) {
  const a = attr(node, name);
  if (!a) return undefined;
  if (!a.initializer) return true; // <Route index />
  if (ts.isStringLiteral(a.initializer)) return a.initializer.text;
  if (ts.isJsxExpression(a.initializer) && a.initializer.expression && ts.isStringLiteralLike(a.initializer.expression)) return a.initializer.expression.text;
  throw new Error(`App.tsx: attribute ${name} of a <Route> is not a string literal (${a.getText()})`);
}

/** The element given as `element={<X …/>}`, or null. */
function elementOf(node) {
  const a = attr(node, "element");
  if (!a) return null;
  let e = a.initializer && ts.isJsxExpression(a.initializer) ? a.initializer.expression : null;
  while (e && ts.isParenthesizedExpression(e)) e = e.expression;
  return e ?? null;
}

/** The JSX element a route renders (through `statistiques(<Page/>)`-style helpers too). */
function renderedTag(expr) {
  if (!expr) return null;
  if (ts.isJsxElement(expr) || ts.isJsxSelfClosingElement(expr)) return expr;
  if (ts.isCallExpression(expr)) for (const a of expr.arguments) { const t = renderedTag(a); if (t) return t; }
  return null;
}

function rolesOf(el) {
  const a = attr(el, "roles");
  const e = a?.initializer && ts.isJsxExpression(a.initializer) ? a.initializer.expression : null;
  if (!e || !ts.isArrayLiteralExpression(e)) throw new Error(`App.tsx: <RequireRole roles=…> must be a literal array (${el.getText()})`);
  return e.elements.map(x => {
    if (!ts.isStringLiteralLike(x)) throw new Error(`App.tsx: role ${x.getText()} is not a string literal`);
    return x.text;
  });
}

function join(parent, path) {
  if (path.startsWith("/")) return path;
  return `${parent.replace(/\/$/, "")}/${path}`;
}

/**
 * Routes of a router source: [{ path, acces, roles, redirection, page }] where acces is "public"
 * (no guard), "connecte" (RequireAuth) or "roles" (RequireRole, roles = the roles allowed), index
 * routes have path "/", and `redirection` is the target of a <Navigate to=…/> route.
 */
export function routesFromSource(source, file = "App.tsx") {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out = [];
  const walk = (node, ctx) => {
    if ((ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node)) && tagName(node) === "Route") {
      const path = stringAttr(node, "path");
      const index = stringAttr(node, "index");
      const el = elementOf(node);
      const tag = renderedTag(el);
      const name = tag ? tagName(tag) : null;
      let next = ctx;
      const children = ts.isJsxElement(node) ? node.children : [];
      if (path === undefined && !index) {
        // A layout or guard route.
        if (name === "RequireAuth") next = { ...ctx, acces: ctx.acces === "roles" ? "roles" : "connecte" };
        else if (name === "RequireRole") {
          const roles = rolesOf(tag);
          next = { ...ctx, acces: "roles", roles: ctx.roles ? ctx.roles.filter(r => roles.includes(r)) : roles };
        } else if (!name || !TRANSPARENT.has(name)) {
          throw new Error(`${file}: unknown route wrapper <${name ?? el?.getText()}>: teach e2e/mise-en-page/routes.mjs who may see its routes`);
        }
      } else {
        const full = index ? ctx.base || "/" : join(ctx.base, path);
        let redirection = null;
        if (name === "Navigate") redirection = stringAttr(tag, "to");
        out.push({ path: full, acces: ctx.acces, roles: ctx.acces === "roles" ? ctx.roles : null, redirection, page: name });
        if (path) next = { ...ctx, base: full };
      }
      for (const c of children) walk(c, next);
      return;
    }
    ts.forEachChild(node, c => walk(c, ctx));
  };
  walk(sf, { acces: "public", roles: null, base: "" });
  if (!out.length) throw new Error(`${file}: no <Route> found`);
  return out;
}

export function appRoutes() {
  return routesFromSource(readFileSync(APP_TSX, "utf8"), APP_TSX);
}

/** May a user with these roles (null: anonymous) open this route? */
export function permise(route, roles) {
  if (route.acces === "public") return roles === null;
  if (roles === null) return false;
  if (route.acces === "connecte") return true;
  return route.roles.some(r => roles.includes(r));
}

/** ":id"-style parameters of a path. */
export function parametres(path) {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map(m => m[1]);
}

/** Does a visited pathname match a route pattern ("*" matches anything)? */
export function correspond(pattern, pathname) {
  if (pattern === "*" || pattern.endsWith("/*")) return true;
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_][A-Za-z0-9_]*/g, "[^/]+")}/?$`);
  return re.test(pathname);
}
