// SQL of the public API v1: keyset pages ordered by (updated_at, id). Read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/exports/national.hpp"
#include "features/public_api/model.hpp"
#include "storage/database.hpp"

namespace coop::public_api::store {

using storage::Session;

struct PageQuery {
  std::int64_t size = default_page_size;
  std::optional<Cursor> after;
  std::optional<std::string> depuis;  // updated_at >= depuis
};

struct StructureRow {
  std::int64_t id = 0;
  std::string nom, siret, adresse, commune_insee, created_at, updated_at;
};
// Up to size + 1 rows: the extra one only tells that a next page exists.
std::vector<StructureRow> structures(Session& s, const PageQuery& q);

struct LieuRow {
  std::int64_t id = 0, mediateur_id = 0, structure_id = 0;
  std::string nom, adresse, commune_insee, debut;
  std::optional<std::string> fin;
  std::string created_at, updated_at;  // updated_at: set on insert and on every change (fin…)
};
// Lieux d'activité of every mediator, keyset pages on (updated_at, id).
std::vector<LieuRow> lieux(Session& s, const PageQuery& q);

// Activities of every mediator, deleted ones included (deleted_at set), keyset pages on
// (updated_at, id); followed beneficiaries as counts only, tags other than personal ones.
std::vector<exports::Ligne> activites(Session& s, const PageQuery& q);

}  // namespace coop::public_api::store
