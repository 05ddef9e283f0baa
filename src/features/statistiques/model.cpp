#include "features/statistiques/model.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include <fmt/format.h>

namespace coop::statistiques {

namespace {
constexpr std::chrono::sys_days zero{std::chrono::year{2020} / 1 / 1};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::optional<Jour> jour_of(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-' || !digits(d.substr(0, 4)) || !digits(d.substr(5, 2)) ||
      !digits(d.substr(8, 2)))
    return std::nullopt;
  // digits checked above: parsed by hand (this runs once per activity when the engine is built)
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  int y = num(0, 4);
  auto m = static_cast<unsigned>(num(5, 2));
  auto day = static_cast<unsigned>(num(8, 2));
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<Jour>((std::chrono::sys_days{ymd} - zero).count());
}

std::string date_of(Jour j) {
  std::chrono::year_month_day ymd{zero + std::chrono::days{j}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

int mois_of(Jour j) {
  std::chrono::year_month_day ymd{zero + std::chrono::days{j}};
  return (static_cast<int>(ymd.year()) - 2020) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

Jour premier_jour(int mois) {
  int y = 2020 + (mois >= 0 ? mois / 12 : -((-mois + 11) / 12));
  int m = mois - (y - 2020) * 12;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m + 1)},
                                  std::chrono::day{1}};
  return static_cast<Jour>((std::chrono::sys_days{ymd} - zero).count());
}

std::string mois_texte(int mois) { return date_of(premier_jour(mois)).substr(0, 7); }

std::string departement_of(std::string_view insee) {
  if (insee.size() >= 3 && insee[0] == '9' && (insee[1] == '7' || insee[1] == '8')) return std::string(insee.substr(0, 3));
  return std::string(insee.substr(0, std::min<std::size_t>(2, insee.size())));
}

void pourcentages(Repartition& r) {
  std::int64_t total = 0;
  for (auto& l : r.lignes) total += l.valeur;
  if (total <= 0) {
    for (auto& l : r.lignes) l.pourcentage = 0;
    return;
  }
  int donnes = 0;
  std::vector<std::pair<std::int64_t, std::size_t>> restes;  // remainder numerator (×total), index
  for (std::size_t i = 0; i < r.lignes.size(); ++i) {
    auto& l = r.lignes[i];
    l.pourcentage = static_cast<int>(l.valeur * 100 / total);
    donnes += l.pourcentage;
    restes.emplace_back(l.valeur * 100 % total, i);
  }
  // Largest remainder first; ties: larger valeur, then smaller cle (lignes are sorted by cle,
  // so the smaller index). A strict total order: the `manque` first ones are the same set
  // whatever the algorithm, so a selection (linear) replaces a sort (thousands of communes).
  auto avant = [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    if (r.lignes[a.second].valeur != r.lignes[b.second].valeur)
      return r.lignes[a.second].valeur > r.lignes[b.second].valeur;
    return a.second < b.second;
  };
  auto manque = std::min<std::size_t>(static_cast<std::size_t>(std::max(0, 100 - donnes)), restes.size());
  if (manque == 0) return;
  if (manque < restes.size())
    std::nth_element(restes.begin(), restes.begin() + static_cast<std::ptrdiff_t>(manque) - 1, restes.end(), avant);
  for (std::size_t k = 0; k < manque; ++k) r.lignes[restes[k].second].pourcentage++;
}

Repartition repartition(std::map<std::string, std::pair<std::int64_t, std::int64_t>> valeurs) {
  Repartition r;
  for (auto& [cle, v] : valeurs)
    if (v.first != 0 || v.second != 0) r.lignes.push_back({cle, v.first, v.second, 0});
  pourcentages(r);
  return r;
}

Repartition repartition(std::vector<Ligne> lignes) {
  Repartition r;
  r.lignes.reserve(lignes.size());
  for (auto& l : lignes)
    if (l.valeur != 0 || l.activites != 0) r.lignes.push_back(std::move(l));
  std::sort(r.lignes.begin(), r.lignes.end(), [](const Ligne& a, const Ligne& b) { return a.cle < b.cle; });
  pourcentages(r);
  return r;
}

Repartition repartition_triee(std::vector<Ligne> lignes) {
  Repartition r;
  r.lignes.reserve(lignes.size());
  for (auto& l : lignes)
    if (l.valeur != 0 || l.activites != 0) r.lignes.push_back(std::move(l));
  pourcentages(r);
  return r;
}

std::string_view bucket_duree(std::int64_t m) {
  if (m < 30) return "moins_30";
  if (m < 60) return "30_60";
  if (m < 120) return "60_120";
  return "120_plus";
}

}  // namespace coop::statistiques
