#include "features/evaluation/verification.hpp"

#include <fmt/format.h>

#include <array>
#include <map>

namespace coop::evaluation {
namespace {

// `s` cut or padded to `n` characters (code points), for the table's first column.
std::string colonne(std::string_view s, std::size_t n) {
  std::string out;
  std::size_t k = 0;
  for (std::size_t i = 0; i < s.size() && k < n; ++k) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
    out.append(s.substr(i, len));
    i += len;
  }
  out.append(n - k, ' ');
  return out;
}

}  // namespace

std::string resume(const Banque& banque) {
  std::map<std::string, std::array<int, 9>> par_niveau;  // competence → count per level (index 1..8)
  std::map<Type, int> par_type;
  std::map<std::string, int> tubes;
  for (const auto& t : banque.tubes) ++tubes[t.competence];
  for (const auto& i : banque.items) {
    auto& ligne = par_niveau[i.competence];
    if (i.niveau >= 1 && i.niveau <= 8) ++ligne[static_cast<std::size_t>(i.niveau)];
    ++par_type[i.type];
  }
  std::string out = fmt::format("Banque {} : {} items, {} tubes.\n\n", banque.dossier.string(), banque.items.size(),
                                banque.tubes.size());
  out += "Compétence                 tubes   N1   N2   N3   N4   N5   N6   N7   N8  total\n";
  std::array<int, 9> totaux{};
  std::vector<std::string> incompletes;
  for (const auto& c : banque.referentiel.competences) {
    const auto& l = par_niveau[c.code];
    int total = 0;
    std::string cellules;
    for (std::size_t n = 1; n <= 8; ++n) {
      total += l[n];
      totaux[n] += l[n];
      cellules += fmt::format(" {:>4}", l[n]);
    }
    bool incomplete = false;
    for (std::size_t n = 1; n <= 6; ++n) incomplete = incomplete || l[n] < 3;
    if (incomplete) incompletes.push_back(c.code);
    out += fmt::format("{:<4} {} {:>5}{} {:>6}{}\n", c.code, colonne(c.titre, 21),
                       tubes[c.code], cellules, total, incomplete ? "  *" : "");
  }
  int total = 0;
  std::string cellules;
  for (std::size_t n = 1; n <= 8; ++n) {
    total += totaux[n];
    cellules += fmt::format(" {:>4}", totaux[n]);
  }
  out += fmt::format("{:<26} {:>5}{} {:>6}\n", "Total", banque.tubes.size(), cellules, total);
  out += "\nPar type :";
  for (Type t : {Type::qcu, Type::qcm, Type::qroc, Type::qrocm_ind, Type::qrocm_dep})
    out += fmt::format(" {} {}{}", nom(t), par_type[t], t == Type::qrocm_dep ? "\n" : ",");
  if (!incompletes.empty()) {
    out += "\n* moins de 3 items à l'un des niveaux 1 à 6 (règle de rédaction de la banque) :";
    for (const auto& c : incompletes) out += " " + c;
    out += "\n";
  }
  return out;
}

int verifier(const std::filesystem::path& dossier, std::ostream& sortie, std::ostream& erreurs) {
  const Chargement c = charger(dossier);
  for (const auto& e : c.erreurs) erreurs << dossier.string() << "/" << format(e) << "\n";
  sortie << resume(c.banque);
  if (!c.erreurs.empty()) {
    erreurs << c.erreurs.size() << (c.erreurs.size() > 1 ? " erreurs" : " erreur") << " : la banque est refusée.\n";
    return 1;
  }
  sortie << "Banque valide.\n";
  return 0;
}

}  // namespace coop::evaluation
