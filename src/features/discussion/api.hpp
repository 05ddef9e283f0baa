// The discussion routes (/api/discussion/*), and the hooks of the real-time stream.
#pragma once

#include "http/router.hpp"

namespace coop::discussion {
void register_routes(http::Router& r);
}
