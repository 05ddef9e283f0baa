// The SQLite engine: one writer thread with group commit, a pool of read-only connections.
//
// Write path. write(fn) puts a Job (living on the caller's stack) into queue_ and blocks on the
// job's condition variable. The writer thread owns the only read-write connection. It takes every
// queued job at once and runs the batch as
//     BEGIN IMMEDIATE; { SAVEPOINT job; fn(); RELEASE job }*; COMMIT
// A job that throws is undone with ROLLBACK TO + RELEASE of its own savepoint, so it never undoes
// the jobs before or after it; its exception is handed back to its caller. One COMMIT (one WAL
// append) makes the whole batch durable; only then are the callers woken. If COMMIT fails, every
// job that had succeeded gets the COMMIT error: nothing of the batch was written.
//
// Durability. journal_mode=WAL + synchronous=NORMAL: COMMIT appends the transaction's frames to
// the -wal file with write(2) and fsyncs only at checkpoints. When COMMIT returns, the frames are in
// the kernel's page cache, which belongs to the OS, not to the process: a crash or kill -9 of the
// process loses nothing, and the next opener replays the WAL. Only an OS crash or power loss can
// drop the last transactions (the database stays consistent either way). That is exactly the
// contract of Database::write ("durable against a kill of the process"), at a fraction of the cost
// of an fsync per commit.
//
// Read path. read(fn) borrows one of options.readers SQLITE_OPEN_READONLY connections and wraps fn
// in BEGIN … COMMIT: in WAL mode the snapshot is fixed at the first read and stays until COMMIT,
// so fn sees one consistent state while the writer carries on.
//
// Lock order: mu_ only; no other lock is taken while holding it (the metrics registry lock may
// be held by a caller of stats(), which then takes mu_ - never the reverse).
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/engines.hpp"
#include "storage/sqlite/connection.hpp"

namespace coop::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

class SqliteDatabase;

// Set on the writer thread while it runs a batch: a write() issued from inside a write job of the
// same database must run inline (queueing it would wait for the batch that is running it).
struct WriterContext {
  const SqliteDatabase* db = nullptr;
  SqliteSession* session = nullptr;
  int depth = 0;  // nested savepoints opened by inline writes
};
thread_local WriterContext tls_writer;

// Set while a thread runs read(fn): a read() nested in it reuses the same connection and snapshot
// (borrowing a second one could wait forever on an exhausted pool).
struct ReaderContext {
  const SqliteDatabase* db = nullptr;
  SqliteSession* session = nullptr;
};
thread_local ReaderContext tls_reader;

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const Options& options) : temporary_(path.empty()) {
    path_ = temporary_ ? make_temp_file() : path;
    try {
      open(options);
    } catch (...) {
      readers_.clear();
      writer_conn_.reset();
      if (temporary_) remove_files();
      throw;
    }
    writer_ = std::thread([this] { writer_loop(); });
    detail::add_pool(this);
  }

  ~SqliteDatabase() override { close(); }

  Dialect dialect() const override { return Dialect::sqlite; }

  void write(const std::function<void(Session&)>& fn) override {
    if (tls_writer.db == this) return write_inline(fn);
    Job job{&fn};
    std::unique_lock lock(mu_);
    if (closed_) throw closed_error();
    queue_.push_back(&job);
    writer_cv_.notify_one();
    job.cv.wait(lock, [&] { return job.done; });
    lock.unlock();
    if (job.error) std::rethrow_exception(job.error);
  }

  // read() inside a write job runs on the writer connection (it sees the job's own changes);
  // read() inside read() reuses the enclosing snapshot.
  void read(const std::function<void(Session&)>& fn) override {
    if (tls_writer.db == this) return write_inline(fn);
    if (tls_reader.db == this) return fn(*tls_reader.session);
    Connection* c = acquire_reader();
    struct Return {
      SqliteDatabase* self;
      Connection* c;
      ~Return() { self->release_reader(c); }
    } give_back{this, c};
    c->run("BEGIN");
    try {
      SqliteSession session(*c);
      ReaderContext saved = tls_reader;
      tls_reader = {this, &session};
      struct Restore {
        ReaderContext saved;
        ~Restore() { tls_reader = saved; }
      } restore{saved};
      fn(session);
      c->run("COMMIT");
    } catch (...) {
      if (c->in_transaction()) {
        try {
          c->run("ROLLBACK");
        } catch (const std::exception& e) {
          spdlog::warn("sqlite: ROLLBACK of a read failed: {}", e.what());
        }
      }
      throw;
    }
  }

  Health health() override {
    Health h;
    h.engine = "sqlite";
    auto start = std::chrono::steady_clock::now();
    try {
      read([](Session& s) { s.query("SELECT 1"); });
      h.ok = true;
    } catch (const std::exception& e) {
      h.detail = e.what();
    }
    h.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return h;
  }

  PoolStats stats() const override {
    std::lock_guard lock(mu_);
    PoolStats s;
    s.size = connections_open_;
    s.in_use = readers_in_use_ + (writer_busy_ ? 1 : 0);
    s.waiting = readers_waiting_ + static_cast<int>(queue_.size());
    s.writes = writes_;
    s.write_batches = batches_;
    return s;
  }

  // Stops accepting work, lets the writer finish every job already queued, waits for reads in
  // progress to hand their connection back, then closes everything. Must not be called from
  // inside read()/write() of this database (it would wait for itself).
  void close() override {
    std::lock_guard close_lock(close_mu_);
    if (finished_) return;
    detail::remove_pool(this);
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    writer_cv_.notify_all();
    reader_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    {
      std::unique_lock lock(mu_);
      reader_cv_.wait(lock, [&] { return readers_in_use_ == 0; });
      free_readers_.clear();
      connections_open_ = 0;
    }
    readers_.clear();
    writer_conn_.reset();  // last connection: checkpoints and removes the -wal file
    if (temporary_) remove_files();
    finished_ = true;
  }

 private:
  struct Job {
    const std::function<void(Session&)>* fn;
    std::exception_ptr error{};
    bool done = false;
    std::condition_variable cv{};  // notified under mu_, so it outlives the notify
  };

  static DbError closed_error() { return DbError(DbError::Kind::connection, "sqlite: database is closed"); }

  static std::string make_temp_file() {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/coop-mem-XXXXXX";
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw DbError(DbError::Kind::connection, "sqlite: cannot create a temporary database file");
    ::close(fd);  // an empty file is a valid empty database
    return tmpl;
  }

  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path_ + suffix).c_str());
  }

  void open(const Options& options) {
    // A fresh checkout runs with "sqlite:data/coop.db": create the directory rather than fail.
    if (!temporary_) {
      auto parent = std::filesystem::path(path_).parent_path();
      std::error_code ec;
      if (!parent.empty() && !std::filesystem::exists(parent, ec)) std::filesystem::create_directories(parent, ec);
      if (ec)
        throw DbError(DbError::Kind::connection,
                      fmt::format("sqlite: cannot create directory '{}': {}", parent.string(), ec.message()));
    }
    writer_conn_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, kBusyTimeoutMs);
    try {
      SqliteSession s(*writer_conn_);
      auto mode = s.query("PRAGMA journal_mode = WAL");
      if (mode.empty() || as_text(mode.rows[0][0]) != "wal")
        throw DbError(DbError::Kind::connection, fmt::format("sqlite: cannot enable WAL on '{}'", path_));
      // See the durability note at the top of this file. A private temporary database has
      // nothing to keep across a crash.
      writer_conn_->exec_script(temporary_ ? "PRAGMA synchronous = OFF" : "PRAGMA synchronous = NORMAL");
    } catch (const DbError& e) {
      // e.g. "file is not a database": the database cannot be opened.
      throw DbError(DbError::Kind::connection, e.what());
    }
    // The writer connection exists and the file is in WAL mode (the -shm file is there), so the
    // read-only connections can open it.
    int n = std::max(1, options.readers);
    for (int i = 0; i < n; ++i) {
      readers_.push_back(std::make_unique<Connection>(path_, SQLITE_OPEN_READONLY, kBusyTimeoutMs));
      free_readers_.push_back(readers_.back().get());
    }
    connections_open_ = n + 1;
  }

  Connection* acquire_reader() {
    std::unique_lock lock(mu_);
    if (closed_) throw closed_error();
    if (free_readers_.empty()) {
      ++readers_waiting_;
      reader_cv_.wait(lock, [&] { return closed_ || !free_readers_.empty(); });
      --readers_waiting_;
      if (closed_) throw closed_error();
    }
    Connection* c = free_readers_.back();
    free_readers_.pop_back();
    ++readers_in_use_;
    return c;
  }

  void release_reader(Connection* c) {
    {
      std::lock_guard lock(mu_);
      free_readers_.push_back(c);
      --readers_in_use_;
    }
    // notify_all: both a waiting reader and close() (waiting for readers_in_use_ == 0) may wait.
    reader_cv_.notify_all();
  }

  // A write() from inside a running write job: a nested savepoint on the writer connection, so
  // that a failure of the inner write undoes only the inner write (and is rethrown to its caller),
  // and its success commits with the enclosing job.
  void write_inline(const std::function<void(Session&)>& fn) {
    Connection& c = tls_writer.session->connection();
    std::string sp = fmt::format("coop_nested_{}", ++tls_writer.depth);
    struct Depth {
      ~Depth() { --tls_writer.depth; }
    } restore_depth;
    c.run("SAVEPOINT " + sp);
    try {
      fn(*tls_writer.session);
    } catch (...) {
      undo_savepoint(c, sp);
      throw;
    }
    c.run("RELEASE " + sp);
  }

  // ROLLBACK TO + RELEASE: undoes the savepoint's work and removes it, leaving the enclosing
  // transaction open. Returns false when that was not possible (the transaction is gone).
  static bool undo_savepoint(Connection& c, const std::string& sp) {
    if (!c.in_transaction()) return false;
    try {
      c.run("ROLLBACK TO " + sp);
      c.run("RELEASE " + sp);
      return true;
    } catch (const std::exception& e) {
      spdlog::error("sqlite: cannot roll back savepoint {}: {}", sp, e.what());
      return false;
    }
  }

  void writer_loop() {
    std::vector<Job*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        writer_cv_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        // On close, the jobs already queued still run: their callers were promised an outcome.
        if (queue_.empty()) return;
        batch.assign(queue_.begin(), queue_.end());
        queue_.clear();
        writer_busy_ = true;
      }
      bool committed = run_batch(batch);
      std::lock_guard lock(mu_);
      writes_ += batch.size();
      if (committed) ++batches_;
      writer_busy_ = false;
      for (Job* j : batch) {
        j->done = true;
        j->cv.notify_one();  // under mu_: the caller cannot return (and destroy j) before this
      }
      batch.clear();
    }
  }

  // Runs one batch in one transaction; every job ends with either error == nullptr (its work
  // committed) or the exception its caller must see. Returns true when a COMMIT succeeded.
  bool run_batch(std::vector<Job*>& batch) {
    Connection& c = *writer_conn_;
    SqliteSession session(c);
    tls_writer = {this, &session, 0};
    struct Clear {
      ~Clear() { tls_writer = {}; }
    } clear_tls;

    bool any_committed = false;
    std::size_t next = 0;
    // Normally one pass. If the transaction dies under a job (SQLite rolls the whole transaction
    // back on some errors such as SQLITE_FULL, or a job ran COMMIT/ROLLBACK itself), the jobs
    // that had succeeded before it in this transaction lost their work and are failed; the
    // remaining jobs then start a fresh transaction.
    while (next < batch.size()) {
      std::size_t first = next;
      try {
        c.run("BEGIN IMMEDIATE");
      } catch (...) {
        for (std::size_t i = first; i < batch.size(); ++i) batch[i]->error = std::current_exception();
        return any_committed;
      }
      bool broken = false;
      for (; next < batch.size() && !broken; ++next) {
        Job& job = *batch[next];
        try {
          c.run("SAVEPOINT coop_job");
        } catch (...) {
          job.error = std::current_exception();
          broken = !c.in_transaction();
          continue;
        }
        try {
          (*job.fn)(session);
          check_deferred_foreign_keys(c);
          c.run("RELEASE coop_job");
        } catch (...) {
          job.error = std::current_exception();
          if (!undo_savepoint(c, "coop_job")) broken = true;
        }
      }
      if (broken) {
        auto lost = std::make_exception_ptr(DbError(
            DbError::Kind::other, "sqlite: the write transaction was aborted by another write of the same batch"));
        for (std::size_t i = first; i + 1 < next; ++i)
          if (!batch[i]->error) batch[i]->error = lost;
        if (c.in_transaction()) rollback_quietly(c);
        continue;
      }
      try {
        c.run("COMMIT");
        any_committed = true;
      } catch (...) {
        auto err = std::current_exception();
        for (std::size_t i = first; i < next; ++i)
          if (!batch[i]->error) batch[i]->error = err;
        if (c.in_transaction()) rollback_quietly(c);
      }
    }
    return any_committed;
  }

  // A deferred foreign key left unresolved by a job would only fail at COMMIT and take the whole
  // batch with it; checking the connection's deferred-FK counter after each job keeps the failure
  // where it belongs. (Immediate FKs already failed inside the job.)
  static void check_deferred_foreign_keys(Connection& c) {
    int cur = 0, hi = 0;
    if (sqlite3_db_status(c.handle(), SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &hi, 0) == SQLITE_OK && cur > 0)
      throw DbError(DbError::Kind::foreign_key_violation, "sqlite: FOREIGN KEY constraint failed (deferred)");
  }

  static void rollback_quietly(Connection& c) {
    try {
      c.run("ROLLBACK");
    } catch (const std::exception& e) {
      spdlog::error("sqlite: ROLLBACK failed: {}", e.what());
    }
  }

  std::string path_;
  bool temporary_;
  std::unique_ptr<Connection> writer_conn_;  // used only by writer_ once it runs
  std::vector<std::unique_ptr<Connection>> readers_;

  mutable std::mutex mu_;
  std::condition_variable writer_cv_;  // work queued, or closing
  std::condition_variable reader_cv_;  // a reader came back, or closing
  std::deque<Job*> queue_;
  std::vector<Connection*> free_readers_;
  bool closed_ = false;
  bool writer_busy_ = false;
  int connections_open_ = 0;
  int readers_in_use_ = 0;
  int readers_waiting_ = 0;
  std::uint64_t writes_ = 0;
  std::uint64_t batches_ = 0;
  std::thread writer_;

  std::mutex close_mu_;  // serialises close() calls
  bool finished_ = false;
};

}  // namespace
}  // namespace coop::storage::sqlite

namespace coop::storage::detail {
std::unique_ptr<Database> open_sqlite(const std::string& path, const Options& options) {
  return std::make_unique<sqlite::SqliteDatabase>(path, options);
}
}  // namespace coop::storage::detail
