#include "storage/suivi_changements.hpp"

#include <algorithm>
#include <charconv>

namespace coop::storage {

namespace {

std::uint64_t xid_de(std::string_view t) {
  std::uint64_t x = 0;
  std::from_chars(t.data(), t.data() + t.size(), x);
  return x;
}

std::uint64_t xmin_courant(Session& s) {
  return xid_de(as_text(s.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").rows.at(0).at(0)));
}

}  // namespace

SuiviChangements::SuiviChangements(std::string table, std::string colonne, std::chrono::steady_clock::duration oubli)
    : table_(std::move(table)), colonne_(std::move(colonne)), oubli_(oubli) {}

SuiviChangements::Nouveautes SuiviChangements::lire(Session& s) {
  const bool pg = s.dialect() == Dialect::postgres;
  attente_ = {};
  Nouveautes out;
  if (!suivi_ || std::chrono::steady_clock::now() - vu_le_ > oubli_) {
    // The mark first, then (by the caller) the rows: the same snapshot.
    attente_.tout = out.tout = true;
    if (pg) attente_.xmin = xmin_courant(s);
    else attente_.dernier_seq = as_int(s.query("SELECT COALESCE(MAX(seq), 0) FROM " + table_).rows.at(0).at(0));
    return out;
  }
  if (pg) {
    // Every transaction below xmin has ended: its rows are visible to this snapshot or never will be.
    attente_.xmin = xmin_courant(s);
    for (auto& r : s.query("SELECT seq, " + colonne_ + ", xid::text FROM " + table_ + " WHERE xid >= ?::xid8",
                           {std::to_string(xmin_)})
                       .rows) {
      const auto seq = as_int(r[0]);
      if (appliques_.contains(seq)) continue;
      out.ids.push_back(as_int(r[1]));
      attente_.nouveaux.emplace_back(seq, xid_de(as_text(r[2])));
    }
  } else {
    attente_.dernier_seq = dernier_seq_;
    for (auto& r : s.query("SELECT seq, " + colonne_ + " FROM " + table_ + " WHERE seq > ? ORDER BY seq", {dernier_seq_}).rows) {
      out.ids.push_back(as_int(r[1]));
      attente_.dernier_seq = as_int(r[0]);
    }
  }
  std::sort(out.ids.begin(), out.ids.end());
  out.ids.erase(std::unique(out.ids.begin(), out.ids.end()), out.ids.end());
  return out;
}

void SuiviChangements::confirmer() {
  if (attente_.tout) {
    appliques_.clear();
    xmin_ = attente_.xmin;
    dernier_seq_ = attente_.dernier_seq;
    suivi_ = true;
  } else {
    appliques_.insert(attente_.nouveaux.begin(), attente_.nouveaux.end());
    xmin_ = std::max(xmin_, attente_.xmin);
    std::erase_if(appliques_, [&](const auto& a) { return a.second < xmin_; });
    dernier_seq_ = std::max(dernier_seq_, attente_.dernier_seq);
  }
  vu_le_ = std::chrono::steady_clock::now();
  attente_ = {};
}

}  // namespace coop::storage
