// HTTP routes of the lieux (docs/api-contract.md « Lieux »): list, sheet, edit, history, the
// structure's sheet, the admin import, the exports, and the public API v1 (/api/v1/lieux).
#pragma once

#include "http/router.hpp"

namespace coop::lieux {
void register_routes(http::Router& router);
}
