// The PostgreSQL engine: a pool of up to options.readers libpq connections shared by read() and
// write().
//
// Pool. The first connection is opened eagerly (a wrong URL fails at startup), the others on
// demand. A caller finding every connection lent out and the pool full waits on cv_ (counted in
// `waiting`). A connection that failed is checked on return: if PQstatus says it is broken it is
// PQreset, and dropped if that fails too (the next caller opens a fresh one). A stale idle
// connection (server restarted) is detected by the BEGIN of the next transaction, which is then
// retried once on a reset connection: nothing of the caller's work has run yet, so it is safe.
//
// Transactions. read(fn): BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ (one snapshot for all
// of fn; a read-only repeatable-read transaction never fails with a serialization error).
// write(fn): BEGIN (read committed) … COMMIT; ROLLBACK and rethrow if fn throws. COMMIT returns
// once the WAL record is flushed (synchronous_commit=on), so a committed write survives a kill.
//
// Nesting. read() or write() called from inside a write() of the same database on the same thread,
// or read() inside read(), runs inline on the same connection, in a SAVEPOINT: it sees the
// enclosing transaction's changes,
// a failure undoes only its own work, and the pool can never deadlock on a caller that already
// holds a connection. This is also the portable way to recover from an expected error inside a
// transaction (PostgreSQL aborts the whole transaction on any failed statement otherwise).
//
// Lock order: mu_ only; connections are opened, reset and closed outside it.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/engines.hpp"
#include "storage/postgres/connection.hpp"

namespace coop::storage::postgres {
namespace {

class PgDatabase;

// The transaction this thread is running, if any (see "Nesting" above).
struct TxContext {
  const PgDatabase* db = nullptr;
  PgSession* session = nullptr;
  int depth = 0;
  bool writable = false;
};
thread_local TxContext tls_tx;

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string conninfo, const Options& options)
      : conninfo_(std::move(conninfo)), max_(std::max(1, options.readers)) {
    idle_.push_back(std::make_unique<Connection>(conninfo_));  // throws DbError(connection)
    open_ = 1;
    detail::add_pool(this);
  }
  ~PgDatabase() override { close(); }

  Dialect dialect() const override { return Dialect::postgres; }

  void read(const std::function<void(Session&)>& fn) override {
    if (tls_tx.db == this) return run_nested(fn);
    run_transaction("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ", fn, false);
  }

  void read_parallel(const std::vector<std::function<void(Session&)>>& fns) override {
    // (a pool smaller than the fns would leave the imports waiting for the exporter's connection)
    if (fns.size() <= 1 || tls_tx.db == this || fns.size() > static_cast<std::size_t>(max_))
      return Database::read_parallel(fns);
    read([&](Session& first) {
      std::string snapshot = as_text(first.query("SELECT pg_export_snapshot()").rows.at(0).at(0));
      // a server-made identifier such as 00000003-0000001B-1: checked before it is spliced
      if (snapshot.empty() || snapshot.find_first_not_of("0123456789ABCDEFabcdef-") != std::string::npos)
        throw DbError(DbError::Kind::other, "postgres: unexpected snapshot identifier");
      const std::string begin =
          "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '" + snapshot + "'";
      std::vector<std::exception_ptr> errors(fns.size());
      std::vector<std::thread> threads;
      for (std::size_t k = 1; k < fns.size(); ++k)
        threads.emplace_back([&, k] {
          try {
            run_transaction(begin.c_str(), fns[k], false);
          } catch (...) {
            errors[k] = std::current_exception();
          }
        });
      try {
        fns[0](first);
      } catch (...) {
        errors[0] = std::current_exception();
      }
      for (auto& t : threads) t.join();
      for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    });
  }

  // A write() inside a read() of the same database cannot join the read-only transaction: it
  // takes a connection of its own (so it must not be done with a pool of one).
  void write(const std::function<void(Session&)>& fn) override {
    if (tls_tx.db == this && tls_tx.writable) return run_nested(fn);
    bool ok = false;
    struct Count {
      PgDatabase* self;
      bool& ok;
      ~Count() {
        std::lock_guard lock(self->mu_);
        ++self->writes_;
        if (ok) ++self->commits_;
      }
    } count{this, ok};
    run_transaction("BEGIN", fn, true);
    ok = true;
  }

  Health health() override {
    Health h;
    h.engine = "postgresql";
    auto start = std::chrono::steady_clock::now();
    // Two attempts, like read()/write(): a pooled connection the server dropped while idle
    // fails once and is reset; the database is only reported down when a fresh one fails too.
    for (int attempt = 0; attempt < 2 && !h.ok; ++attempt) {
      try {
        Lease lease = acquire();
        try {
          lease.conn->exec_simple("SELECT 1");
        } catch (...) {
          lease.failed = true;
          throw;
        }
        h.ok = true;
        h.detail.clear();
      } catch (const std::exception& e) {
        h.detail = e.what();
      }
    }
    h.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return h;
  }

  PoolStats stats() const override {
    std::lock_guard lock(mu_);
    PoolStats s;
    s.size = open_;
    s.in_use = in_use_;
    s.waiting = waiting_;
    s.writes = writes_;
    s.write_batches = commits_;
    return s;
  }

  // Stops lending connections (waiters and new callers get DbError), waits for the transactions in
  // progress to end, closes every connection. Must not be called from inside read()/write().
  void close() override {
    std::lock_guard close_lock(close_mu_);
    if (finished_) return;
    detail::remove_pool(this);
    std::vector<std::unique_ptr<Connection>> doomed;
    {
      std::unique_lock lock(mu_);
      closed_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return in_use_ == 0; });
      doomed.swap(idle_);
      open_ = 0;
    }
    doomed.clear();  // PQfinish outside the lock
    finished_ = true;
  }

 private:
  // A connection lent to one caller; returned (or dropped, if broken) by the destructor.
  struct Lease {
    PgDatabase* db = nullptr;
    std::unique_ptr<Connection> conn;
    bool failed = false;  // an error happened: check the connection before reuse
    Lease(PgDatabase* d, std::unique_ptr<Connection> c) : db(d), conn(std::move(c)) {}
    Lease(Lease&& o) noexcept : db(o.db), conn(std::move(o.conn)), failed(o.failed) { o.db = nullptr; }
    ~Lease() {
      if (db) db->release(std::move(conn), failed);
    }
  };

  static DbError closed_error() { return DbError(DbError::Kind::connection, "postgres: database is closed"); }

  Lease acquire() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (closed_) throw closed_error();
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        return Lease(this, std::move(c));
      }
      if (open_ < max_) {
        ++open_;  // reserve the slot, connect outside the lock
        ++in_use_;
        lock.unlock();
        try {
          return Lease(this, std::make_unique<Connection>(conninfo_));
        } catch (...) {
          lock.lock();
          --open_;
          --in_use_;
          cv_.notify_all();
          throw;
        }
      }
      ++waiting_;
      cv_.wait(lock);
      --waiting_;
    }
  }

  void release(std::unique_ptr<Connection> c, bool failed) {
    if (c && failed && !c->ok()) {
      // Broken (server restart, network): try to get it back now rather than fail the next caller.
      if (!c->reset()) {
        spdlog::warn("postgres: dropping a broken connection: {}", PQerrorMessage(c->handle()));
        c.reset();
      }
    }
    std::unique_lock lock(mu_);
    --in_use_;
    if (c && !closed_) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
    cv_.notify_all();  // a waiter may take it; close() may be waiting for in_use_ == 0
    lock.unlock();
    // `c`, if still owned here (closed or broken), is finished outside the lock.
  }

  void run_transaction(const char* begin, const std::function<void(Session&)>& fn, bool is_write) {
    Lease lease = acquire();
    try {
      lease.conn->exec_simple(begin);
    } catch (const DbError& e) {
      lease.failed = true;
      if (lease.conn->ok() || !lease.conn->reset()) throw;
      spdlog::info("postgres: reconnected a stale connection ({})", e.what());
      lease.conn->exec_simple(begin);  // throws again if the server really is gone
      lease.failed = false;
    }
    Connection& c = *lease.conn;
    PgSession session(c);
    TxContext saved = tls_tx;
    tls_tx = {this, &session, 0, is_write};
    struct Restore {
      TxContext saved;
      ~Restore() { tls_tx = saved; }
    } restore{saved};
    try {
      fn(session);
      if (PQtransactionStatus(c.handle()) == PQTRANS_INERROR) {
        // fn caught a statement error and carried on: PostgreSQL would turn our COMMIT into a
        // silent ROLLBACK. Say so instead of pretending the write happened.
        throw DbError(DbError::Kind::other,
                      "postgres: the transaction was aborted by an earlier error that was caught inside the "
                      "transaction (wrap the statement that may fail in a nested write())");
      }
      ResultPtr r = c.exec_simple("COMMIT");
      if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0)
        throw DbError(DbError::Kind::other, "postgres: COMMIT was turned into a ROLLBACK by the server");
    } catch (...) {
      lease.failed = true;
      rollback_quietly(c);
      throw;
    }
  }

  void run_nested(const std::function<void(Session&)>& fn) {
    PgSession& session = *tls_tx.session;
    Connection& c = session.connection();
    std::string sp = fmt::format("coop_nested_{}", ++tls_tx.depth);
    struct Depth {
      ~Depth() { --tls_tx.depth; }
    } restore_depth;
    c.exec_simple("SAVEPOINT " + sp);
    try {
      fn(session);
      c.exec_simple("RELEASE SAVEPOINT " + sp);
    } catch (...) {
      if (c.ok() && PQtransactionStatus(c.handle()) != PQTRANS_IDLE) {
        try {
          c.exec_simple("ROLLBACK TO SAVEPOINT " + sp);
          c.exec_simple("RELEASE SAVEPOINT " + sp);
        } catch (const std::exception& e) {
          spdlog::error("postgres: cannot roll back savepoint {}: {}", sp, e.what());
        }
      }
      throw;
    }
  }

  static void rollback_quietly(Connection& c) {
    if (!c.ok() || PQtransactionStatus(c.handle()) == PQTRANS_IDLE) return;
    ResultPtr r(PQexec(c.handle(), "ROLLBACK"));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      spdlog::warn("postgres: ROLLBACK failed: {}", PQerrorMessage(c.handle()));
  }

  const std::string conninfo_;
  const int max_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // a connection came back / a slot freed / closing
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  int waiting_ = 0;
  bool closed_ = false;
  std::uint64_t writes_ = 0;
  std::uint64_t commits_ = 0;

  std::mutex close_mu_;
  bool finished_ = false;
};

}  // namespace
}  // namespace coop::storage::postgres

namespace coop::storage::detail {
std::unique_ptr<Database> open_postgres(const std::string& conninfo, const Options& options) {
  return std::make_unique<postgres::PgDatabase>(conninfo, options);
}
}  // namespace coop::storage::detail
