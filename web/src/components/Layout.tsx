import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Header } from "@codegouvfr/react-dsfr/Header";
import type { MainNavigationProps } from "@codegouvfr/react-dsfr/MainNavigation";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { useEffect, useRef } from "react";
import { Outlet, useLocation } from "react-router";
import { useSession } from "../auth/AuthContext";
import { fullName } from "../lib/format";
import { EnAttenteBadge } from "../horsligne/EnAttenteBadge";
import { useTablesDefilantesFocusables } from "../lib/tablesDefilantes";
import { NotificationBell } from "../notifications/NotificationBell";
import { MentionsBadge } from "../pages/discussion/MentionsBadge";
import { Toaster } from "../notifications/Toaster";
import { isActive, navigationFor } from "./navigation";

const brandTop = (
  <>
    République
    <br />
    Française
  </>
);

declare global {
  interface Window {
    dsfr?: (el: Element) => { modal?: { conceal: () => void } };
  }
}

export function Layout() {
  const { me, logout } = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useTablesDefilantesFocusables();

  // After a client-side navigation: close the mobile menu, go to the top and move the focus to the
  // content so that screen readers start reading the new page (RGAA 12.x).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const modal = document.getElementById("header-menu-modal-fr-header");
    if (modal?.classList.contains("fr-modal--opened")) {
      try {
        window.dsfr?.(modal).modal?.conceal();
      } catch {
        /* DSFR JS not started yet */
      }
    }
    if (!location.hash) {
      window.scrollTo(0, 0);
      mainRef.current?.focus({ preventScroll: true });
    }
  }, [location.pathname, location.hash]);

  // Anchors (#inviter…) of the section to show once the page is rendered.
  useEffect(() => {
    if (!location.hash) return;
    const t = setTimeout(() => document.getElementById(location.hash.slice(1))?.scrollIntoView(), 50);
    return () => clearTimeout(t);
  }, [location.pathname, location.hash]);

  const navigation: MainNavigationProps.Item[] | undefined = me
    ? navigationFor(me).map(item =>
        "links" in item
          ? {
              text: item.text,
              isActive: item.links.some(l => isActive(l.to, location.pathname)),
              menuLinks: item.links.map(l => ({
                text: l.text,
                linkProps: { to: l.to },
                isActive: isActive(l.to, location.pathname)
              }))
            }
          : {
              text: item.text,
              linkProps: { to: item.to },
              isActive: isActive(item.to, location.pathname)
            }
      )
    : undefined;

  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          ...(me ? [{ label: "Menu", anchor: "#fr-header-main-navigation" }] : []),
          { label: "Pied de page", anchor: "#pied-de-page" }
        ]}
      />
      <Header
        id="fr-header"
        brandTop={brandTop}
        serviceTitle="Coop"
        serviceTagline="La plateforme des médiateurs numériques"
        homeLinkProps={{ to: "/", title: "Accueil – Coop" }}
        navigation={navigation}
        quickAccessItems={
          me
            ? [
                <NotificationBell key="bell" />,
                <MentionsBadge key="mentions" />,
                <EnAttenteBadge key="hors-ligne" />,
                {
                  iconId: "fr-icon-account-circle-line",
                  text: fullName(me) || me.email,
                  linkProps: { to: "/compte", title: "Mon compte" }
                },
                {
                  iconId: "fr-icon-logout-box-r-line",
                  text: "Se déconnecter",
                  buttonProps: { onClick: () => void logout(), type: "button" }
                }
              ]
            : [
                {
                  iconId: "fr-icon-lock-line",
                  text: "Se connecter",
                  linkProps: { to: "/connexion" }
                }
              ]
        }
      />
      <main id="contenu" tabIndex={-1} ref={mainRef} className="coop-main">
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        accessibility="partially compliant"
        accessibilityLinkProps={{ to: "/accessibilite" }}
        contentDescription="Coop accompagne les médiateurs numériques, les conseillers numériques et leurs coordinateurs dans leur activité quotidienne."
        bottomItems={[headerFooterDisplayItem]}
        homeLinkProps={{ to: "/", title: "Accueil – Coop" }}
        brandTop={brandTop}
      />
      {me && <Toaster />}
    </>
  );
}
