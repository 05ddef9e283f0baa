// features/lieux/horaires: the opening_hours parser, its errors, the normaliser, the evaluator
// (French public holidays, past midnight, DST), the next change and the French renderings.
#include <gtest/gtest.h>

#include <sstream>

#include "core/time.hpp"
#include "features/lieux/horaires.hpp"
#include "features/lieux/horaires_cli.hpp"

using namespace coop;
using namespace coop::lieux::horaires;
using namespace std::chrono;

namespace {

Horaires valide(std::string_view s) {
  auto a = analyser(s);
  EXPECT_TRUE(a.valide()) << s << " : " << (a.erreur ? a.erreur->message : "");
  return a.horaires.value_or(Horaires{});
}

std::string erreur(std::string_view s) {
  auto a = analyser(s);
  EXPECT_FALSE(a.valide()) << s;
  return a.erreur ? a.erreur->message : "";
}

HeureLocale le(int a, unsigned m, unsigned j, int h, int mi = 0) {
  return HeureLocale{.date = year{a} / month{m} / day{j}, .minute = h * 60 + mi};
}

Etat en(std::string_view s, int a, unsigned m, unsigned j, int h, int mi = 0) {
  return etat(valide(s), le(a, m, j, h, mi));
}

}  // namespace

TEST(HorairesAnalyse, StructuredValue) {
  auto h = valide("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off");
  ASSERT_EQ(h.regles.size(), 3u);
  const auto& r = h.regles[0];
  EXPECT_EQ(r.separateur, Separateur::premier);
  ASSERT_EQ(r.jours.size(), 1u);
  EXPECT_EQ(r.jours[0].debut, 0);
  EXPECT_EQ(r.jours[0].fin, 4);
  ASSERT_EQ(r.heures.size(), 2u);
  EXPECT_EQ(r.heures[1].debut, 14 * 60);
  EXPECT_EQ(r.heures[1].fin, 18 * 60 + 30);
  EXPECT_EQ(r.etat(), Etat::ouvert);
  EXPECT_EQ(h.regles[1].separateur, Separateur::normal);
  EXPECT_TRUE(h.regles[2].feries);
  EXPECT_EQ(h.regles[2].etat(), Etat::ferme);

  auto w = valide("week 01-53/2 Tu 09:00-12:00");
  ASSERT_EQ(w.regles[0].semaines.size(), 1u);
  EXPECT_EQ(w.regles[0].semaines[0].pas, 2);
  auto d = valide("Dec 24-Jan 02 off");
  ASSERT_TRUE(d.regles[0].dates[0].fin.has_value());
  EXPECT_EQ(d.regles[0].dates[0].fin->mois, 1);
  auto n = valide("Mo[1,-1] 14:00-17:00");
  EXPECT_EQ(n.regles[0].jours[0].rangs, (std::vector<int>{1, -1}));
  auto c = valide("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"");
  EXPECT_EQ(c.regles[1].separateur, Separateur::repli);
  EXPECT_EQ(c.regles[1].commentaire, "sur rendez-vous");
  EXPECT_EQ(c.regles[1].etat(), Etat::inconnu);
  EXPECT_EQ(valide("Mo-Fr 08:00-12:00, We 14:00-16:00").regles[1].separateur, Separateur::supplementaire);
  EXPECT_TRUE(valide("24/7").regles[0].toujours);
  EXPECT_TRUE(valide("PH Mo 09:00-12:00").regles[0].feries_et_jours);
}

TEST(HorairesAnalyse, Normaliser) {
  EXPECT_EQ(normaliser(valide("Mo - Fr 09:00 - 12:00 , 14:00 - 18:30 ;Sa 08:30-12:00;PH off")),
            "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off");
  EXPECT_EQ(normaliser(valide("PH,Sa,Su closed")), "Sa,Su,PH off");
  EXPECT_EQ(normaliser(valide("Dec 24-Dec 26 off; Jan 01 off")), "Dec 24-26 off; Jan 01 off");
  EXPECT_EQ(normaliser(valide("Dec 25: Mo-Su 10:00-12:00")), "Dec 25 Mo-Su 10:00-12:00");
  EXPECT_EQ(normaliser(valide("week 1-53/2 Mo[-1] 09:00-12:00 open \"x\"")), "week 01-53/2 Mo[-1] 09:00-12:00 open \"x\"");
  EXPECT_EQ(normaliser(valide("Mo-Fr 10:00+ || \"rdv\"")), "Mo-Fr 10:00+ || \"rdv\"");
  EXPECT_EQ(normaliser(valide("2026 Dec 24-2027 Jan 03 off")), "2026 Dec 24-2027 Jan 03 off");
  EXPECT_EQ(normaliser(valide("Dec 24,Dec 31,Jan 01 off")), "Dec 24,31,Jan 01 off");
  EXPECT_EQ(normaliser(valide("Fr[2,3,4],Mo[1,-1] 09:00-12:00")), "Fr[2-4],Mo[1,-1] 09:00-12:00");
  // The canonical text parses to itself.
  for (auto s : {"Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Jan-Mar Mo 09:00-12:00", "Dec 24,31 off", "24/7; PH off"}) {
    auto n = normaliser(valide(s));
    EXPECT_EQ(normaliser(valide(n)), n);
  }
}

TEST(HorairesAnalyse, ErrorsNameThePositionAndWhatWasExpected) {
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00; Xx 10:00-12:00"),
            "caractère 20 : « Xx » inconnu ; jour de la semaine attendu (Mo, Tu, We, Th, Fr, Sa, Su)");
  EXPECT_EQ(erreur("Sun 10:00-12:00"),
            "caractère 1 : « Sun » n'est pas un jour de la syntaxe : écrire Su ; jour de la semaine attendu (Mo, Tu, We, "
            "Th, Fr, Sa, Su)");
  EXPECT_EQ(erreur("Mo-Fr 9h-12h"), "caractère 7 : heure attendue au format HH:MM (par exemple 09:00), sans « h »");
  EXPECT_EQ(erreur("Mo-Fr 9:00-12:00"), "caractère 7 : heure sur deux chiffres attendue : écrire 09:00 au lieu de « 9:00 »");
  EXPECT_EQ(erreur(":undefined-17:00"), "caractère 1 : « : » n'est permis qu'après des mois, des dates ou des semaines");
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00;"), "caractère 19 : règle attendue après « ; » (supprimer le séparateur final)");
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00;;Sa 10:00-11:00"), "caractère 19 : règle vide après « ; »");
  EXPECT_EQ(erreur("Mo-Fr 09:00"), "caractère 12 : « - » et une heure de fin attendus après 09:00, pas la fin du texte");
  EXPECT_EQ(erreur("Mo-Fr 09:60-12:00"), "caractère 7 : minutes entre 00 et 59 attendues, pas 09:60");
  EXPECT_EQ(erreur("Mo-Fr 09:00-49:00"), "caractère 13 : heure de fin au plus 48:00 attendue, pas 49:00");
  EXPECT_EQ(erreur("Lu-Ve 09:00-12:00").rfind("caractère 1 : « Lu » n'est pas un jour de la syntaxe : écrire Mo", 0), 0u);
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00 Sa 09:00-12:00"),
            "caractère 19 : « ; », « , » ou « || » attendu entre deux règles, pas « Sa »");
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00 \"rdv"), "caractère 19 : commentaire non fermé : « \" » final attendu");
  EXPECT_EQ(erreur("Mo-Fr 09:00–12:00"), "caractère 12 : « - » et une heure de fin attendus après 09:00, pas « – »");
  EXPECT_EQ(erreur("Mo-Fr 09:00-12:00 & 14:00-17:00"), "caractère 19 : caractère « & » inattendu");
  EXPECT_EQ(erreur("Mo[6] 09:00-12:00"), "caractère 4 : rang du jour dans le mois entre 1 et 5 attendu, pas 6");
  EXPECT_EQ(erreur("week 54 Mo 09:00-12:00"), "caractère 6 : numéro de semaine entre 1 et 53 attendu, pas 54");
  EXPECT_EQ(erreur("week 50-02 Mo 09:00-12:00"),
            "caractère 9 : semaine de fin ≥ 50 attendue (sur deux années : week 50-53,01-02)");
  EXPECT_EQ(erreur("Feb 30 off"), "caractère 5 : jour du mois entre 1 et 29 attendu, pas 30");
  EXPECT_EQ(erreur(""), "caractère 1 : horaires vides");
  EXPECT_EQ(erreur("mo-fr 09:00-12:00"),
            "caractère 1 : « mo » : écrire Mo (la casse compte) ; jour de la semaine attendu (Mo, Tu, We, Th, Fr, Sa, Su)");
  EXPECT_EQ(erreur("Mo-Fr sunrise-sunset"), "caractère 7 : « sunrise » : heures variables (soleil) non prises en charge");
  EXPECT_EQ(erreur("SH off"), "caractère 1 : vacances scolaires (SH) non prises en charge");
  EXPECT_EQ(erreur("fermé"), "caractère 1 : « fermé » : écrire off (fermé) ; jour de la semaine attendu (Mo, Tu, We, Th, Fr, "
                             "Sa, Su)");
  // Positions count characters, not bytes.
  EXPECT_EQ(analyser("\"é\" Xx").erreur->caractere, 5u);
}

TEST(HorairesEvaluation, WeekdaysRangesAndLunchBreak) {
  const char* s = "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00";
  EXPECT_EQ(en(s, 2026, 12, 7, 9), Etat::ouvert);  // lundi
  EXPECT_EQ(en(s, 2026, 12, 7, 8, 59), Etat::ferme);
  EXPECT_EQ(en(s, 2026, 12, 7, 12), Etat::ferme);  // the end is excluded
  EXPECT_EQ(en(s, 2026, 12, 7, 18, 29), Etat::ouvert);
  EXPECT_EQ(en(s, 2026, 12, 12, 8, 30), Etat::ouvert);  // samedi
  EXPECT_EQ(en(s, 2026, 12, 12, 14), Etat::ferme);
  EXPECT_EQ(en(s, 2026, 12, 13, 10), Etat::ferme);  // dimanche
  EXPECT_EQ(en("Fr-Mo 09:00-12:00", 2026, 12, 6, 10), Etat::ouvert);
  EXPECT_EQ(en("24/7", 2026, 12, 6, 3), Etat::ouvert);
  EXPECT_EQ(en("off", 2026, 12, 6, 3), Etat::ferme);
}

TEST(HorairesEvaluation, LaterRulesReplaceDaysButOffClosesOnlyItsHours) {
  EXPECT_EQ(en("Mo-Fr 08:00-12:00; We 14:00-16:00", 2026, 12, 9, 9), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 08:00-12:00, We 14:00-16:00", 2026, 12, 9, 9), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 08:00-18:00; We 12:00-14:00 off", 2026, 12, 9, 9), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 08:00-18:00; We 12:00-14:00 off", 2026, 12, 9, 13), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 08:00-18:00; We 12:00-14:00 unknown", 2026, 12, 9, 9), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 08:00-18:00; 12:00-13:00 off", 2026, 12, 9, 12, 30), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; Dec 24-26 off", 2026, 12, 24, 10), Etat::ferme);
  EXPECT_EQ(en("Dec 24-26 off; Mo-Fr 09:00-12:00", 2026, 12, 24, 10), Etat::ouvert);
}

TEST(HorairesEvaluation, CommentsFallbackAndModifiers) {
  auto h = valide("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"");
  EXPECT_EQ(etat(h, le(2026, 12, 7, 10)), Etat::ouvert);
  auto e = evaluer(h, le(2026, 12, 7, 14));
  EXPECT_EQ(e.etat, Etat::inconnu);
  EXPECT_EQ(e.commentaire, "sur rendez-vous");
  EXPECT_EQ(en("Mo-Fr 08:00-12:00; We off || \"rdv\"", 2026, 12, 9, 10), Etat::inconnu);
  EXPECT_EQ(en("Mo-Fr 10:00-12:00 \"sur rdv\"", 2026, 12, 7, 11), Etat::inconnu);
  EXPECT_EQ(en("Mo-Fr 10:00-12:00 open \"sur rdv\"", 2026, 12, 7, 11), Etat::ouvert);
  EXPECT_EQ(en("Mo 10:00+", 2026, 12, 7, 23), Etat::inconnu);
  EXPECT_EQ(en("Mo 10:00+", 2026, 12, 8, 1), Etat::ferme);
}

TEST(HorairesEvaluation, FrenchPublicHolidays) {
  EXPECT_EQ(paques(2026), year{2026} / April / 5);
  EXPECT_EQ(paques(2027), year{2027} / March / 28);
  EXPECT_EQ(paques(2038), year{2038} / April / 25);
  EXPECT_EQ(jour_ferie(year{2026} / April / 6), "Lundi de Pâques");
  EXPECT_EQ(jour_ferie(year{2026} / May / 14), "Ascension");
  EXPECT_EQ(jour_ferie(year{2026} / May / 25), "Lundi de Pentecôte");
  EXPECT_EQ(jour_ferie(year{2026} / July / 14), "Fête nationale");
  EXPECT_EQ(jour_ferie(year{2026} / December / 25), "Noël");
  EXPECT_FALSE(jour_ferie(year{2026} / December / 26).has_value());  // Alsace-Moselle only: not handled
  EXPECT_FALSE(jour_ferie(year{2026} / April / 3).has_value());      // Good Friday (Alsace-Moselle)
  const char* s = "Mo-Fr 09:00-17:00; PH off";
  EXPECT_EQ(en(s, 2026, 5, 14, 10), Etat::ferme);  // Ascension, a Thursday
  EXPECT_EQ(en(s, 2026, 5, 15, 10), Etat::ouvert);
  EXPECT_EQ(en("PH Mo 09:00-12:00", 2027, 3, 29, 10), Etat::ouvert);  // Easter Monday 2027
  EXPECT_EQ(en("PH Mo 09:00-12:00", 2026, 12, 7, 10), Etat::ferme);
  EXPECT_EQ(en("Mo,PH 09:00-12:00", 2026, 12, 25, 10), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; easter off", 2027, 3, 28, 10), Etat::ferme);
}

TEST(HorairesEvaluation, PastMidnight) {
  EXPECT_EQ(en("Fr 20:00-02:00", 2026, 12, 12, 1), Etat::ouvert);  // Saturday 01:00
  EXPECT_EQ(en("Fr 20:00-02:00", 2026, 12, 12, 2), Etat::ferme);
  EXPECT_EQ(en("Fr 20:00-02:00; Sa off", 2026, 12, 12, 1), Etat::ferme);
  EXPECT_EQ(en("Mo-Su 20:00-02:00; Sa 10:00-12:00", 2026, 12, 12, 1), Etat::ferme);
  EXPECT_EQ(en("Sa 10:00-12:00; Fr 20:00-02:00", 2026, 12, 12, 11), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 22:00-02:00; PH off", 2026, 12, 26, 1), Etat::ouvert);  // Christmas night's spill
  EXPECT_EQ(en("Mo-Fr 22:00-02:00; PH off", 2026, 12, 25, 23), Etat::ferme);
  EXPECT_EQ(en("Mo 00:00-26:00", 2026, 12, 8, 1), Etat::ouvert);
  EXPECT_EQ(en("Mo 12:00-10:00", 2026, 12, 8, 9), Etat::ouvert);
}

TEST(HorairesEvaluation, WeeksMonthsDatesAndNthWeekday) {
  EXPECT_EQ(en("week 01-53/2 Mo 09:00-12:00", 2026, 12, 7, 10), Etat::ferme);  // week 50
  EXPECT_EQ(en("week 02-53/2 Mo 09:00-12:00", 2026, 12, 7, 10), Etat::ouvert);
  EXPECT_EQ(en("week 53 Mo 09:00-12:00", 2026, 12, 28, 10), Etat::ouvert);
  EXPECT_EQ(en("Jan-Mar Mo 09:00-12:00", 2026, 12, 7, 10), Etat::ferme);
  EXPECT_EQ(en("Nov-Feb Mo 09:00-12:00", 2027, 1, 4, 10), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; Dec 24-Jan 02 off", 2027, 1, 1, 10), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; Dec 24-Jan 02 off", 2027, 1, 4, 10), Etat::ouvert);
  EXPECT_EQ(en("Mo[1] 09:00-12:00", 2026, 12, 7, 10), Etat::ouvert);
  EXPECT_EQ(en("Mo[1] 09:00-12:00", 2026, 12, 14, 10), Etat::ferme);
  EXPECT_EQ(en("Mo[-1] 09:00-12:00", 2026, 12, 28, 10), Etat::ouvert);
  EXPECT_EQ(en("2026 Dec 24-2027 Jan 03 off; Mo-Fr 09:00-12:00", 2027, 1, 4, 10), Etat::ouvert);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; 2026 Dec 24-2027 Jan 03 off", 2027, 1, 1, 10), Etat::ferme);
  EXPECT_EQ(en("Mo-Fr 09:00-12:00; 2026 Dec 24-2027 Jan 03 off", 2027, 12, 31, 10), Etat::ouvert);
}

TEST(HorairesEvaluation, ParisTimeAndDst) {
  auto h = valide("Su 01:00-04:00");
  // 29 March 2026: clocks go from 02:00 to 03:00. 00:30 UTC = 01:30 CET, 01:30 UTC = 03:30 CEST.
  auto t = *core::parse_iso("2026-03-29T00:30:00Z");
  EXPECT_EQ(heure_de_paris(t).minute, 90);
  EXPECT_EQ(heure_de_paris(*core::parse_iso("2026-03-29T01:30:00Z")).minute, 3 * 60 + 30);
  EXPECT_TRUE(ouvert(h, t));
  EXPECT_FALSE(ouvert(h, *core::parse_iso("2026-03-29T02:30:00Z")));  // 04:30 CEST
  // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice, both open.
  EXPECT_TRUE(ouvert(h, *core::parse_iso("2026-10-25T00:30:00Z")));
  EXPECT_TRUE(ouvert(h, *core::parse_iso("2026-10-25T01:30:00Z")));
  EXPECT_FALSE(ouvert(h, *core::parse_iso("2026-10-25T03:30:00Z")));  // 04:30 CET
  EXPECT_FALSE(ouvert(valide("Mo-Fr 09:00-12:00"), *core::parse_iso("2026-12-07T11:30:00Z")));  // 12:30 CET
  EXPECT_TRUE(ouvert(valide("Mo-Fr 09:00-12:00"), *core::parse_iso("2026-07-06T09:30:00Z")));   // 11:30 CEST
}

TEST(HorairesEvaluation, OpenDuringARange) {
  auto h = valide("Mo-Fr 09:00-12:00,14:00-18:30");
  auto lundi = year{2026} / December / 7;
  EXPECT_TRUE(ouvert_pendant(h, lundi, 11 * 60, 15 * 60));
  EXPECT_FALSE(ouvert_pendant(h, lundi, 11 * 60, 15 * 60, Couverture::totalite));
  EXPECT_TRUE(ouvert_pendant(h, lundi, 9 * 60, 12 * 60, Couverture::totalite));
  EXPECT_FALSE(ouvert_pendant(h, lundi, 12 * 60, 14 * 60));
  EXPECT_FALSE(ouvert_pendant(h, year{2026} / December / 12, 0, 24 * 60));
  EXPECT_FALSE(ouvert_pendant(h, lundi, 15 * 60, 15 * 60));
  // A range past midnight looks at the next day: Friday 23:00 to Saturday 01:30.
  auto nuit = valide("Sa 01:00-03:00");
  EXPECT_TRUE(ouvert_pendant(nuit, year{2026} / December / 11, 23 * 60, 25 * 60 + 30));
  EXPECT_FALSE(ouvert_pendant(nuit, year{2026} / December / 11, 23 * 60, 25 * 60));
  EXPECT_FALSE(ouvert_pendant(nuit, year{2026} / December / 11, 23 * 60, 25 * 60 + 30, Couverture::totalite));
  auto segs = journee(valide("Fr 22:00-02:00"), year{2026} / December / 12);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].fin, 120);
  EXPECT_EQ(segs[0].etat.etat, Etat::ouvert);
}

TEST(HorairesEvaluation, NextChange) {
  auto h = valide("Mo-Fr 09:00-12:00,14:00-18:30; PH off");
  auto c = prochain_changement(h, le(2026, 12, 7, 10));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->quand.minute, 12 * 60);
  EXPECT_EQ(c->etat, Etat::ferme);
  // Thursday 24 December 19:00 → Christmas is a holiday → Saturday, Sunday → Monday 28 at 09:00.
  c = prochain_changement(h, le(2026, 12, 24, 19));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->quand.date, year{2026} / December / 28);
  EXPECT_EQ(c->quand.minute, 9 * 60);
  EXPECT_EQ(c->etat, Etat::ouvert);
  EXPECT_FALSE(prochain_changement(valide("24/7"), le(2026, 12, 7, 10)).has_value());
  EXPECT_FALSE(prochain_changement(valide("off"), le(2026, 12, 7, 10)).has_value());
}

TEST(HorairesRendu, StateInFrench) {
  auto h = valide("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off");
  EXPECT_EQ(etat_en_francais(h, le(2026, 12, 7, 15)), "Ouvert jusqu'à 18h30");
  EXPECT_EQ(etat_en_francais(h, le(2026, 12, 7, 12, 30)), "Fermé · ouvre à 14h00");
  EXPECT_EQ(etat_en_francais(h, le(2026, 12, 7, 19)), "Fermé · ouvre demain à 9h00");
  EXPECT_EQ(etat_en_francais(h, le(2026, 12, 12, 13)), "Fermé · ouvre lundi à 9h00");
  EXPECT_EQ(etat_en_francais(valide("24/7"), le(2026, 12, 12, 13)), "Ouvert 24 h/24");
  EXPECT_EQ(etat_en_francais(valide("off"), le(2026, 12, 12, 13)), "Fermé");
  EXPECT_EQ(etat_en_francais(valide("Fr 22:00-02:00"), le(2026, 12, 11, 23)), "Ouvert jusqu'à demain 2h00");
  EXPECT_EQ(etat_en_francais(valide("\"sur rendez-vous\""), le(2026, 12, 11, 23)), "Horaires incertains (sur rendez-vous)");
  EXPECT_EQ(heure_en_francais(540), "9h00");
  EXPECT_EQ(heure_en_francais(18 * 60 + 30), "18h30");
}

TEST(HorairesRendu, WeekInFrench) {
  auto h = valide("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00 \"sur rendez-vous\"; Fr 22:00-02:00; PH off");
  auto l = semaine_en_francais(h, year{2026} / December / 14);
  ASSERT_EQ(l.size(), 7u);
  EXPECT_EQ(l[0], "Lundi : 9h00 – 12h00, 14h00 – 18h30");
  EXPECT_EQ(l[4], "Vendredi : 22h00 – 2h00");  // the later rule replaces Friday's hours
  EXPECT_EQ(l[5], "Samedi : 9h00 – 12h00 (sur rendez-vous)");
  EXPECT_EQ(semaine_en_francais(h, year{2026} / December / 21)[4], "Vendredi 25 décembre (Noël) : fermé");
  EXPECT_EQ(l[6], "Dimanche : fermé");
  // Christmas is closed (PH off) but, as in the reference, the night from Friday still spills into Saturday.
  l = semaine_en_francais(h, year{2026} / December / 21);
  EXPECT_EQ(l[5], "Samedi : 0h00 – 2h00, 9h00 – 12h00 (sur rendez-vous)");
  auto n = semaine_en_francais(valide("Fr 22:00-02:00, Tu 00:00-24:00"), year{2026} / December / 7);
  EXPECT_EQ(n[1], "Mardi : 24 h/24");
  EXPECT_EQ(n[4], "Vendredi : 22h00 – 2h00");
  EXPECT_EQ(n[5], "Samedi : fermé");
  auto r = semaine_en_francais(valide("Mo-Fr 09:00-12:00 || \"sur rendez-vous\""), year{2026} / December / 7);
  EXPECT_EQ(r[0], "Lundi : 9h00 – 12h00 ; sinon : sur rendez-vous");
  EXPECT_EQ(r[5], "Samedi : sur rendez-vous");
  auto o = semaine_en_francais(valide("Mo 10:00+; Tu unknown"), year{2026} / December / 7);
  EXPECT_EQ(o[0], "Lundi : 10h00 – 24h00 (incertain)");
  EXPECT_EQ(o[1], "Mardi : horaires incertains");
}

TEST(HorairesCli, EvaluatesPairs) {
  std::istringstream in(
      "2026-12-07T09:30:00Z\tMo-Fr 09:00-12:00; PH off\n"
      "2026-12-25T09:30:00Z\tMo-Fr 09:00-12:00; PH off\n"
      "2026-12-07T09:30:00Z\tMo-Fr 09:00-12:00 \"rdv\"\n"
      "2026-12-07T09:30:00Z\tSun 10:00-12:00\n"
      "pas une date\tMo\n");
  std::ostringstream out;
  EXPECT_EQ(evaluer_flux(in, out), 0);
  EXPECT_EQ(out.str(),
            "ouvert\nferme\ninconnu\ninvalide\tcaractère 1 : « Sun » n'est pas un jour de la syntaxe : écrire Su ; jour de "
            "la semaine attendu (Mo, Tu, We, Th, Fr, Sa, Su)\nerreur\tligne attendue : INSTANT<TAB>HORAIRES (INSTANT en "
            "UTC, 2026-12-07T13:30:00Z)\n");
}

TEST(HorairesTolerant, CorrectsOnlyKnownSlipsAndReportsEach) {
  auto r = analyser_tolerant("Lundi-Ven 9h-12h30,14h00-17h; sun off;");
  ASSERT_TRUE(r.analyse.valide()) << r.analyse.erreur->message;
  EXPECT_EQ(r.texte_corrige, "Mo-Fr 09:00-12:30,14:00-17:00; Su off");
  std::vector<std::string> d;
  for (auto& c : r.corrections) d.push_back(decrire(c));
  EXPECT_EQ(d, (std::vector<std::string>{"caractère 1 : « Lundi » → « Mo »", "caractère 7 : « Ven » → « Fr »",
                                         "caractère 11 : « 9h » → « 09:00 »", "caractère 14 : « 12h30 » → « 12:30 »",
                                         "caractère 20 : « 14h00 » → « 14:00 »", "caractère 26 : « 17h » → « 17:00 »",
                                         "caractère 31 : « sun » → « Su »", "caractère 38 : « ; » supprimé"}));
  // Valid values are not touched; comments are left alone; what cannot be fixed stays an error.
  auto v = analyser_tolerant("Mo-Fr 09:00-12:00 \"lundi 9h\"");
  EXPECT_TRUE(v.corrections.empty());
  auto c = analyser_tolerant("Mo-Fr 9:00–12:00 \"Lundi\"");
  EXPECT_EQ(c.texte_corrige, "Mo-Fr 09:00-12:00 \"Lundi\"");
  EXPECT_EQ(c.corrections.size(), 2u);
  auto e = analyser_tolerant(":undefined-17:00");
  EXPECT_FALSE(e.analyse.valide());
  EXPECT_TRUE(e.corrections.empty());
}

// Random sequences of the syntax's pieces (and of dirt): the parser never throws, every error names
// a character inside the text (or just after it), and every valid value's canonical text parses to
// the same canonical text and evaluates without surprise.
TEST(HorairesAnalyse, RandomInputsNeverBreakTheParser) {
  const std::vector<std::string> morceaux = {
      "Mo", "Tu", "We", "Fr", "Sa", "Su", "PH", "SH", "Sun", "lundi", "-", "-", ",", ",", ";", " ", " ", "||",
      "09:00", "12:00", "14:00", "18:30", "22:00", "02:00", "24:00", "26:00", "9h", "9:00", "+", "[", "]", "1", "-1",
      "5", "53", "2026", "week", "01", "/", "2", "Jan", "Dec", "24", "31", "easter", ":", "off", "open", "unknown",
      "closed", "\"rdv\"", "\"", "24/7", "é", "–", "Feb", "29", "30"};
  unsigned long long graine = 42;
  auto hasard = [&](std::size_t n) {
    graine = graine * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((graine >> 33) % n);
  };
  int valides = 0;
  for (int essai = 0; essai < 20000; ++essai) {
    std::string s;
    std::size_t n = 1 + hasard(12);
    for (std::size_t k = 0; k < n; ++k) s += morceaux[hasard(morceaux.size())];
    auto a = analyser(s);
    auto t = analyser_tolerant(s);
    (void)t;
    if (!a.valide()) {
      ASSERT_TRUE(a.erreur.has_value()) << s;
      EXPECT_GE(a.erreur->caractere, 1u) << s;
      EXPECT_LE(a.erreur->caractere, s.size() + 1) << s;
      continue;
    }
    ++valides;
    auto canonique = normaliser(*a.horaires);
    auto b = analyser(canonique);
    ASSERT_TRUE(b.valide()) << s << " → " << canonique << " : " << b.erreur->message;
    EXPECT_EQ(normaliser(*b.horaires), canonique) << s;
    auto jour = year{2026} / December / 24;
    EXPECT_EQ(etat(*a.horaires, HeureLocale{.date = jour, .minute = 600}),
              etat(*b.horaires, HeureLocale{.date = jour, .minute = 600}))
        << s;
    (void)prochain_changement(*a.horaires, HeureLocale{.date = jour, .minute = 600}, 10);
    (void)semaine_en_francais(*a.horaires, jour);
  }
  EXPECT_GT(valides, 200) << valides;
}
