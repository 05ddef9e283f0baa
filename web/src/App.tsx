import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import { AuthProvider } from "./auth/AuthContext";
import { RequireAuth, RequireRole } from "./auth/guards";
import { Layout } from "./components/Layout";
import { PageLoading } from "./components/PageLoading";
import { NotificationsProvider } from "./notifications/NotificationsContext";
import { DiscussionProvider } from "./pages/discussion/DiscussionContext";
import { AccessibilityPage } from "./pages/AccessibilityPage";
import { ActiviteFormPage } from "./pages/activites/ActiviteFormPage";
import { ActivitePage } from "./pages/activites/ActivitePage";
import { ActivitesPage } from "./pages/activites/ActivitesPage";
import { CorbeillePage } from "./pages/activites/CorbeillePage";
import { EnAttentePage } from "./pages/activites/EnAttentePage";
import { HorsLigne } from "./horsligne/HorsLigne";
import { AccountPage } from "./pages/AccountPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { ResetPasswordPage } from "./pages/ResetPasswordPage";
import { ConfirmEmailPage } from "./pages/ConfirmEmailPage";
import { BeneficiaireFormPage } from "./pages/beneficiaires/BeneficiaireFormPage";
import { BeneficiairePage } from "./pages/beneficiaires/BeneficiairePage";
import { BeneficiairesCorbeillePage } from "./pages/beneficiaires/BeneficiairesCorbeillePage";
import { BeneficiairesPage } from "./pages/beneficiaires/BeneficiairesPage";
import { DoublonsPage } from "./pages/beneficiaires/DoublonsPage";
import { ImportPage } from "./pages/beneficiaires/ImportPage";
import { AdminAuditPage } from "./pages/admin/AdminAuditPage";
import { AdminClientsApiPage } from "./pages/admin/AdminClientsApiPage";
import { AdminCourrielPage } from "./pages/admin/AdminCourrielPage";
import { AdminCourrielsPage } from "./pages/admin/AdminCourrielsPage";
import { AdminInvitationsPage } from "./pages/admin/AdminInvitationsPage";
import { AdminUserPage } from "./pages/admin/AdminUserPage";
import { AdminUserCreatePage } from "./pages/admin/AdminUserCreatePage";
import { AdminUsersPage } from "./pages/admin/AdminUsersPage";
import { AdminEvaluationItemPage } from "./pages/evaluation/AdminEvaluationItemPage";
import { AdminEvaluationItemsPage } from "./pages/evaluation/AdminEvaluationItemsPage";
import { ProfilCompetencesPage } from "./pages/evaluation/ProfilCompetencesPage";
import { TestPositionnementPage } from "./pages/evaluation/TestPositionnementPage";
import { HomePage } from "./pages/HomePage";
import { InvitationPage } from "./pages/InvitationPage";
import { CguPage } from "./pages/inscription/CguPage";
import { ConfirmationPage } from "./pages/inscription/ConfirmationPage";
import { InscriptionPage } from "./pages/inscription/InscriptionPage";
import { ParcoursPage } from "./pages/inscription/ParcoursPage";
import { PremiersPasPage } from "./pages/inscription/PremiersPasPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { StructurePage } from "./pages/StructurePage";
import { StructuresPage } from "./pages/StructuresPage";
import { TeamPage } from "./pages/TeamPage";

// chart.js and the statistics pages: a separate chunk, loaded when one of them is opened.
const StatistiquesPage = lazy(() => import("./pages/statistiques/StatistiquesPage"));
const PartagePublicPage = lazy(() => import("./pages/statistiques/PartagePublicPage"));
const statistiques = (page: React.ReactNode) => <Suspense fallback={<PageLoading label="Chargement des statistiques…" />}>{page}</Suspense>;
// The chat page: a chunk of its own too.
const DiscussionPage = lazy(() => import("./pages/discussion/DiscussionPage"));
const discussion = (page: React.ReactNode) => <Suspense fallback={<PageLoading label="Chargement de la discussion…" />}>{page}</Suspense>;
// The library of resources: a chunk of its own.
const BibliothequePage = lazy(() => import("./pages/ressources/BibliothequePage"));
const RessourcePage = lazy(() => import("./pages/ressources/RessourcePage"));
const EditeurRessourcePage = lazy(() => import("./pages/ressources/EditeurPage"));
const ModerationRessourcesPage = lazy(() => import("./pages/ressources/ModerationPage"));
const pagesCollections = () => import("./pages/ressources/CollectionsPages");
const MesRessourcesPage = lazy(() => pagesCollections().then(m => ({ default: m.MesRessourcesPage })));
const FavorisPage = lazy(() => pagesCollections().then(m => ({ default: m.FavorisPage })));
const SuivisPage = lazy(() => pagesCollections().then(m => ({ default: m.SuivisPage })));
const CollectionsPage = lazy(() => pagesCollections().then(m => ({ default: m.CollectionsPage })));
const CollectionPage = lazy(() => pagesCollections().then(m => ({ default: m.CollectionPage })));
const LieuxPage = lazy(() => import("./pages/lieux/LieuxPage"));
const LieuPage = lazy(() => import("./pages/lieux/LieuPage"));
const ModifierLieuPage = lazy(() => import("./pages/lieux/ModifierLieuPage"));
const ImportLieuxPage = lazy(() => import("./pages/lieux/ImportLieuxPage"));
const DoublonsLieuxPage = lazy(() => import("./pages/lieux/DoublonsLieuxPage"));
const MesLieuxPage = lazy(() => import("./pages/lieux/MesLieuxPage"));
const OrienterPage = lazy(() => import("./pages/lieux/OrienterPage"));
const lieux = (page: React.ReactNode) => <Suspense fallback={<PageLoading label="Chargement des lieux…" />}>{page}</Suspense>;
// The map of lieux (MapLibre): a chunk of its own.
const LieuxCartePage = lazy(() => import("./pages/lieux/carte/LieuxCartePage"));
// Local networks (issue 12 point 8): a chunk of their own.
const ReseauxPage = lazy(() => import("./pages/reseaux/ReseauxPage"));
const ReseauPage = lazy(() => import("./pages/reseaux/ReseauPage"));
const ReseauFormPage = lazy(() => import("./pages/reseaux/ReseauFormPage"));
const InvitationsReseauxPage = lazy(() => import("./pages/reseaux/InvitationsReseauxPage"));
const MonReseauPage = lazy(() => import("./pages/reseaux/MonReseauPage"));
const reseaux = (page: React.ReactNode) => <Suspense fallback={<PageLoading label="Chargement des réseaux…" />}>{page}</Suspense>;
const ressources = (page: React.ReactNode) => <Suspense fallback={<PageLoading label="Chargement des ressources…" />}>{page}</Suspense>;

export function App() {
  return (
    <AuthProvider>
      <NotificationsProvider>
        <DiscussionProvider>
        <HorsLigne />
        <Routes>
          <Route element={<Layout />}>
            <Route path="/connexion" element={<LoginPage />} />
            <Route path="/invitation/:token" element={<InvitationPage />} />
            <Route path="/mot-de-passe-oublie" element={<ForgotPasswordPage />} />
            <Route path="/reinitialisation/:token" element={<ResetPasswordPage />} />
            <Route path="/inscription" element={<InscriptionPage />} />
            <Route path="/inscription/confirmer/:token" element={<ConfirmationPage />} />
            <Route path="/cgu" element={<CguPage />} />
            <Route path="/compte/confirmer-courriel/:token" element={<ConfirmEmailPage />} />
            <Route path="/partage/statistiques/:jeton" element={statistiques(<PartagePublicPage />)} />
            <Route path="/accessibilite" element={<AccessibilityPage />} />
            <Route element={<RequireAuth />}>
              <Route index element={<HomePage />} />
              <Route path="/compte" element={<AccountPage />} />
              <Route path="/evaluation/profil" element={<ProfilCompetencesPage />} />
              <Route path="/evaluation/tests/:id" element={<TestPositionnementPage />} />
              <Route path="/inscription/parcours" element={<ParcoursPage />} />
              <Route path="/premiers-pas" element={<PremiersPasPage />} />
              <Route path="/statistiques" element={statistiques(<StatistiquesPage />)} />
              <Route path="/discussion" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/mentions" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/recherche" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/annuaire" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/nouvelle" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/moderation" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/:canal" element={discussion(<DiscussionPage />)} />
              <Route path="/discussion/:canal/:sujet" element={discussion(<DiscussionPage />)} />
              <Route path="/reseaux" element={reseaux(<ReseauxPage />)} />
              <Route path="/reseaux/nouveau" element={reseaux(<ReseauFormPage />)} />
              <Route path="/reseaux/invitations" element={reseaux(<InvitationsReseauxPage />)} />
              <Route path="/reseaux/departement/:code" element={reseaux(<MonReseauPage />)} />
              <Route path="/reseaux/:id" element={reseaux(<ReseauPage />)} />
              <Route path="/reseaux/:id/modifier" element={reseaux(<ReseauFormPage />)} />
              <Route path="/lieux/carte" element={<Suspense fallback={<PageLoading label="Chargement de la carte…" />}><LieuxCartePage /></Suspense>} />
              <Route path="/ressources" element={ressources(<BibliothequePage />)} />
              <Route path="/ressources/nouvelle" element={ressources(<EditeurRessourcePage />)} />
              <Route path="/ressources/miennes" element={ressources(<MesRessourcesPage />)} />
              <Route path="/ressources/favoris" element={ressources(<FavorisPage />)} />
              <Route path="/ressources/suivis" element={ressources(<SuivisPage />)} />
              <Route path="/ressources/collections" element={ressources(<CollectionsPage />)} />
              <Route path="/ressources/collections/:id" element={ressources(<CollectionPage />)} />
              <Route path="/ressources/:id" element={ressources(<RessourcePage />)} />
              <Route path="/ressources/:id/modifier" element={ressources(<EditeurRessourcePage />)} />
              <Route path="/lieux" element={lieux(<LieuxPage />)} />
              <Route path="/lieux/mes-lieux" element={lieux(<MesLieuxPage />)} />
              <Route path="/lieux/orienter" element={lieux(<OrienterPage />)} />
              <Route path="/lieux/:id" element={lieux(<LieuPage />)} />
              <Route path="/lieux/:id/modifier" element={lieux(<ModifierLieuPage />)} />
              <Route element={<RequireRole roles={["mediateur"]} />}>
                <Route path="/activites" element={<ActivitesPage />} />
                <Route path="/activites/nouvelle" element={<ActiviteFormPage />} />
                <Route path="/activites/corbeille" element={<CorbeillePage />} />
                <Route path="/activites/en-attente" element={<EnAttentePage />} />
                <Route path="/activites/en-attente/:cle" element={<ActiviteFormPage />} />
                <Route path="/activites/:id" element={<ActivitePage />} />
                <Route path="/activites/:id/modifier" element={<ActiviteFormPage />} />
                <Route path="/beneficiaires" element={<BeneficiairesPage />} />
                <Route path="/beneficiaires/nouveau" element={<BeneficiaireFormPage />} />
                <Route path="/beneficiaires/doublons" element={<DoublonsPage />} />
                <Route path="/beneficiaires/corbeille" element={<BeneficiairesCorbeillePage />} />
                <Route path="/beneficiaires/import" element={<ImportPage />} />
                <Route path="/beneficiaires/:id" element={<BeneficiairePage />} />
                <Route path="/beneficiaires/:id/modifier" element={<BeneficiaireFormPage />} />
              </Route>
              <Route element={<RequireRole roles={["coordinateur"]} />}>
                <Route path="/equipe" element={<TeamPage />} />
              </Route>
              <Route element={<RequireRole roles={["gestionnaire_structure", "admin"]} />}>
                <Route path="/structures" element={<StructuresPage />} />
              </Route>
              <Route path="/structures/:id" element={<StructurePage />} />
              <Route element={<RequireRole roles={["admin"]} />}>
                <Route path="/admin" element={<Navigate to="/admin/utilisateurs" replace />} />
                <Route path="/admin/utilisateurs" element={<AdminUsersPage />} />
                <Route path="/admin/utilisateurs/nouveau" element={<AdminUserCreatePage />} />
                <Route path="/admin/utilisateurs/:id" element={<AdminUserPage />} />
                <Route path="/admin/invitations" element={<AdminInvitationsPage />} />
                <Route path="/admin/audit" element={<AdminAuditPage />} />
                <Route path="/admin/lieux/import" element={lieux(<ImportLieuxPage />)} />
                <Route path="/admin/lieux/doublons" element={lieux(<DoublonsLieuxPage />)} />
                <Route path="/admin/lieux/doublons/:id" element={lieux(<DoublonsLieuxPage />)} />
                <Route path="/admin/clients-api" element={<AdminClientsApiPage />} />
                <Route path="/admin/courriels" element={<AdminCourrielsPage />} />
                <Route path="/admin/courriels/:id" element={<AdminCourrielPage />} />
                <Route path="/admin/evaluation/items" element={<AdminEvaluationItemsPage />} />
                <Route path="/admin/evaluation/items/:id" element={<AdminEvaluationItemPage />} />
                <Route path="/ressources/moderation" element={ressources(<ModerationRessourcesPage />)} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Routes>
        </DiscussionProvider>
      </NotificationsProvider>
    </AuthProvider>
  );
}
