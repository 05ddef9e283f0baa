// SQL of the e-mail outbox (table courriels). Runs on the caller's Session, inside its
// transaction: queue a mail in the same write() as the event that causes it.
#pragma once

#include <cstdint>

#include "features/courriels/model.hpp"
#include "storage/database.hpp"

namespace coop::courriels::store {

// Queues a mail (statut en_attente, to send now) and returns its id. The sender thread picks it
// up after the enclosing transaction commits; a rolled-back transaction leaves no mail.
std::int64_t mettre_en_file(storage::Session& s, const Courriel& m);

}  // namespace coop::courriels::store
