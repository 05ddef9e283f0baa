// Load client of bench/chat (issue 10 point 9): one thread, one epoll loop, no library.
//
// 1. Opens one WebSocket to /ws per line of the tokens file ("user_id token member"; member 1 =
//    in the channel posted to), each with the log-in session cookie of its own user, a bounded
//    number of handshakes at a time; measures the server's resident memory before and after.
// 2. Posts into the channel through HTTP (keep-alive connections, each POST with the session of a
//    member, round robin) at increasing rates, open loop (a post is due at t0 + i / rate whether
//    or not the previous ones were answered), until two rates have saturated the server.
//    Each socket first sends {"type":"reprendre","depuis":N} when --depuis N is given (Coop's
//    resume protocol: the discussion stream starts after it).
// 3. Reads every frame but parses only what it needs: the opcode and length, then, for a text
//    message, whether it is a "message_cree" event (a memmem on its first bytes) and the number
//    after its last key, "cree_le_us":N (the creation instant in µs, read backwards from the end).
//    Latency of a delivery = CLOCK_REALTIME at reception − cree_le_us (same machine, same clock).
//
// Prints one JSON line per phase on stdout (bench/chat/run.sh turns them into the report).
//   coop_bench_chat --port P --tokens FILE --post-path /api/discussion/canaux/7/messages
//                   --sujet 3 --pid SERVER_PID [--rates 1,5,10] [--step 10] [--posters 16]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

std::int64_t now_us(clockid_t c = CLOCK_MONOTONIC) {
  timespec ts{};
  clock_gettime(c, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
std::int64_t wall_us() { return now_us(CLOCK_REALTIME); }

[[noreturn]] void die(const std::string& m) {
  std::fprintf(stderr, "coop_bench_chat: %s\n", m.c_str());
  std::exit(1);
}
void info(const std::string& m) { std::fprintf(stderr, "coop_bench_chat: %s\n", m.c_str()); }

// ---- the server process, from /proc

struct ProcSample {
  double cpu_s = 0;       // utime + stime
  std::int64_t rss_kb = 0;
};
ProcSample sample_proc(int pid) {
  ProcSample out;
  if (pid <= 0) return out;
  std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(st, line);
  auto rp = line.rfind(')');
  if (rp != std::string::npos) {
    std::istringstream in(line.substr(rp + 2));
    std::string f;
    std::vector<std::string> fields;
    while (in >> f) fields.push_back(f);
    // fields[0] is field 3 (state); utime = field 14, stime = field 15.
    if (fields.size() > 13) {
      const double tck = static_cast<double>(sysconf(_SC_CLK_TCK));
      out.cpu_s = (std::stod(fields[11]) + std::stod(fields[12])) / tck;
    }
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) out.rss_kb = std::stoll(line.substr(6));
  return out;
}
double self_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// ---- options

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string tokens;
  std::string post_path;
  std::int64_t sujet = 0;
  int pid = 0;
  std::vector<double> rates{1, 5, 10, 20, 50, 100, 200, 500};
  double step_s = 10;
  double drain_s = 10;
  int posters = 16;
  int handshakes = 200;  // in progress at once
  std::size_t limit = 0;  // 0: every line of the tokens file
  double idle_s = 3;      // idle time before the "after" memory sample
  std::int64_t depuis = -1;  // ≥ 0: each socket sends {"type":"reprendre","depuis":N} once open
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--host") o.host = val();
    else if (a == "--port") o.port = std::stoi(val());
    else if (a == "--tokens") o.tokens = val();
    else if (a == "--post-path") o.post_path = val();
    else if (a == "--sujet") o.sujet = std::stoll(val());
    else if (a == "--pid") o.pid = std::stoi(val());
    else if (a == "--step") o.step_s = std::stod(val());
    else if (a == "--drain") o.drain_s = std::stod(val());
    else if (a == "--posters") o.posters = std::stoi(val());
    else if (a == "--handshakes") o.handshakes = std::stoi(val());
    else if (a == "--connections") o.limit = std::stoul(val());
    else if (a == "--idle") o.idle_s = std::stod(val());
    else if (a == "--depuis") o.depuis = std::stoll(val());
    else if (a == "--rates") {
      o.rates.clear();
      std::stringstream ss(val());
      std::string r;
      while (std::getline(ss, r, ',')) o.rates.push_back(std::stod(r));
    } else die("unknown option " + a);
  }
  if (!o.port || o.tokens.empty() || o.post_path.empty()) die("--port, --tokens and --post-path are required");
  return o;
}

// ---- connections

enum class Kind { ws, poster };
enum class State { connecting, handshake, open, closed };

struct Conn {
  int fd = -1;
  Kind kind = Kind::ws;
  State state = State::connecting;
  std::int64_t user_id = 0;
  bool member = false;
  std::string token;
  std::string in;   // bytes not yet consumed (partial frame / partial response)
  std::string msg;  // a fragmented message being reassembled
  std::string out;  // bytes not yet written
  // poster
  bool busy = false;
  std::int64_t due_us = 0;  // when the post in flight was due (open loop)
};

const char* kPostTexts[] = {
    "Bonjour à tous, quelqu'un a-t-il une fiche pratique pour créer un compte sur impots.gouv ?",
    "Atelier **mot de passe** jeudi à 14 h à la médiathèque : il reste trois places.",
    "Pour la CAF, la démarche de déclaration trimestrielle se fait maintenant depuis l'application.",
    "Rappel : le pass numérique ne couvre pas l'accompagnement aux démarches de l'ANTS.",
    "Une usagère n'arrive plus à se connecter à FranceConnect, la double authentification bloque.",
    "Merci pour le partage du kit « Les bons réflexes face aux arnaques en ligne » !",
    "Retour d'expérience sur les ateliers smartphone pour les seniors : venez en parler mardi.",
    "Comment faites-vous pour l'attestation Ameli quand la personne n'a pas d'adresse e-mail ?",
};

class Client {
 public:
  explicit Client(Options o) : o_(std::move(o)) {
    ep_ = epoll_create1(0);
    if (ep_ < 0) die("epoll_create1");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(o_.port));
    if (inet_pton(AF_INET, o_.host.c_str(), &a.sin_addr) != 1) die("bad --host");
    addr_ = a;
    load_tokens();
  }

  void run() {
    auto before = sample_proc(o_.pid);
    open_websockets();
    // Idle: let the server settle (allocator, first pings are 25 s away), then sample.
    loop_for(static_cast<std::int64_t>(o_.idle_s * 1e6));
    auto after = sample_proc(o_.pid);
    int open = 0;
    for (auto& c : conns_)
      if (c->kind == Kind::ws && c->state == State::open) ++open;
    std::printf(
        "{\"phase\":\"connexions\",\"demandees\":%zu,\"ouvertes\":%d,\"echecs\":%d,\"membres\":%d,\"duree_s\":%.2f,"
        "\"rss_avant_kb\":%" PRId64 ",\"rss_apres_kb\":%" PRId64 ",\"octets_par_connexion\":%.0f}\n",
        ws_total_, open, ws_failed_, members_open(), open_s_, before.rss_kb, after.rss_kb,
        open ? static_cast<double>(after.rss_kb - before.rss_kb) * 1024.0 / open : 0.0);
    std::fflush(stdout);
    if (open == 0) die("no WebSocket opened");
    open_posters();
    // One more rate after the first saturated one: a server can saturate on one criterion (its
    // POSTs lag) while its deliveries still grow; the best deliveries/s is taken over both.
    int saturated = 0;
    for (double rate : o_.rates)
      if (step(rate) && ++saturated == 2) break;
  }

 private:
  void load_tokens() {
    std::ifstream in(o_.tokens);
    if (!in) die("cannot read " + o_.tokens);
    std::int64_t uid;
    std::string tok;
    int member;
    while (in >> uid >> tok >> member) {
      if (o_.limit && tokens_.size() >= o_.limit) break;
      tokens_.push_back({uid, tok, member != 0});
      if (member) member_tokens_.push_back(tok);
    }
    if (tokens_.empty()) die("no token in " + o_.tokens);
    if (member_tokens_.empty()) die("no member in " + o_.tokens);
  }

  int members_open() const {
    int n = 0;
    for (auto& c : conns_)
      if (c->kind == Kind::ws && c->state == State::open && c->member) ++n;
    return n;
  }

  Conn* connect_one(Kind kind) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die(std::string("socket: ") + std::strerror(errno) + " (raise ulimit -n)");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_);
    if (r < 0 && errno != EINPROGRESS) die(std::string("connect: ") + std::strerror(errno));
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    c->kind = kind;
    Conn* p = c.get();
    conns_.push_back(std::move(c));
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    ev.data.ptr = p;
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    return p;
  }

  void want_write(Conn* c, bool on) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
    ev.data.ptr = c;
    epoll_ctl(ep_, EPOLL_CTL_MOD, c->fd, &ev);
  }

  void close_conn(Conn* c, bool failed) {
    if (c->state == State::closed) return;
    if (c->kind == Kind::ws) {
      if (c->state != State::open) {
        ++ws_failed_;
        --handshaking_;
      } else {
        ++ws_closed_;
      }
    }
    (void)failed;
    c->state = State::closed;
    epoll_ctl(ep_, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
  }

  void open_websockets() {
    const auto t0 = now_us();
    std::size_t next = 0;
    ws_total_ = tokens_.size();
    std::int64_t last_log = t0;
    while (true) {
      while (next < tokens_.size() && handshaking_ < o_.handshakes) {
        auto* c = connect_one(Kind::ws);
        c->user_id = tokens_[next].uid;
        c->member = tokens_[next].member;
        c->token = tokens_[next].token;
        c->out = "GET /ws HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\nOrigin: http://" + o_.host + ":" + std::to_string(o_.port) +
                 "\r\nCookie: coop_session=" + c->token + "\r\n\r\n";
        ++handshaking_;
        ++next;
      }
      if (next >= tokens_.size() && handshaking_ == 0) break;
      poll(50);
      if (now_us() - last_log > 2000000) {
        last_log = now_us();
        info("connections: " + std::to_string(next - handshaking_) + " / " + std::to_string(tokens_.size()));
      }
      if (now_us() - t0 > 300000000) die("opening the connections took more than 5 minutes");
    }
    open_s_ = static_cast<double>(now_us() - t0) / 1e6;
    info("connections: " + std::to_string(tokens_.size() - ws_failed_) + " open, " + std::to_string(ws_failed_) +
         " failed, in " + std::to_string(open_s_) + " s");
  }

  // One connection now; dispatch() opens more, up to --posters, when every one is busy (a
  // connection opened and left unused would be closed by the server's first-request timeout).
  void open_posters() {
    posters_.push_back(connect_one(Kind::poster));
    loop_for(200000);
    if (posters_[0]->state != State::open) die("the poster connection failed");
  }

  // Runs one rate; true when the server is saturated (then no higher rate is tried).
  bool step(double rate) {
    lat_.clear();
    lat_.reserve(static_cast<std::size_t>(rate * o_.step_s * members_open() * 1.1) + 1024);
    per_post_.clear();
    posts_sent_ = posts_ok_ = posts_err_ = 0;
    post_lat_.clear();
    stray_ = 0;
    counting_ = true;
    const std::int64_t n_posts = std::max<std::int64_t>(1, std::llround(rate * o_.step_s));
    const auto p0 = sample_proc(o_.pid);
    const double c0 = self_cpu_s();
    const auto t0 = now_us();
    step_start_wall_ = wall_us();
    std::int64_t i = 0;
    while (i < n_posts) {
      const auto t = now_us();
      // Every post due by now goes out (queued when every poster connection is busy).
      while (i < n_posts && t0 + static_cast<std::int64_t>(static_cast<double>(i) * 1e6 / rate) <= t) {
        pending_.push_back(t0 + static_cast<std::int64_t>(static_cast<double>(i) * 1e6 / rate));
        ++i;
      }
      dispatch();
      const auto next_due = t0 + static_cast<std::int64_t>(static_cast<double>(i) * 1e6 / rate);
      poll(static_cast<int>(std::clamp<std::int64_t>((next_due - now_us()) / 1000, 0, 50)));
    }
    const auto t_sent = now_us();
    // Drain: every post answered and delivered to every member, or the drain time is over.
    const std::size_t expected = static_cast<std::size_t>(n_posts) * static_cast<std::size_t>(members_open());
    const auto deadline = t_sent + static_cast<std::int64_t>(o_.drain_s * 1e6);
    while (now_us() < deadline) {
      dispatch();
      if (pending_.empty() && inflight() == 0 && lat_.size() >= expected) break;
      poll(20);
    }
    const auto t_end = last_delivery_us_ > t0 ? std::max(last_delivery_us_, t_sent) : now_us();
    const auto p1 = sample_proc(o_.pid);
    const double c1 = self_cpu_s();
    counting_ = false;
    const double wall = static_cast<double>(now_us() - t0) / 1e6;
    // The step lasts step_s (the last post is due a little earlier) or until its last delivery.
    const double active = std::max(o_.step_s, static_cast<double>(t_end - t0) / 1e6);
    const bool complete = lat_.size() >= expected && pending_.empty() && inflight() == 0;

    std::vector<std::int64_t> last;  // per post, its slowest delivery
    last.reserve(per_post_.size());
    for (auto& [k, v] : per_post_) last.push_back(v.max_us);
    auto pct = [](std::vector<std::int64_t>& v, double p) -> double {
      if (v.empty()) return -1;
      auto k = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), std::ceil(p * static_cast<double>(v.size())) - 1));
      std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
      return static_cast<double>(v[k]) / 1000.0;
    };
    double d50 = pct(lat_, 0.50), d99 = pct(lat_, 0.99), dmax = pct(lat_, 1.0);
    double l50 = pct(last, 0.50), l99 = pct(last, 0.99);
    double h50 = pct(post_lat_, 0.50), h99 = pct(post_lat_, 0.99);
    const double achieved = static_cast<double>(posts_ok_) / active;
    const double dps = static_cast<double>(lat_.size()) / active;
    const double server_cpu = (p1.cpu_s - p0.cpu_s) / wall;
    const double client_cpu = (c1 - c0) / wall;
    // Deliveries per CPU-second of the server: its cost per delivery, which does not depend on
    // the share of the CPUs the scheduler gave it (other work on the machine).
    const double per_cpu_s = p1.cpu_s > p0.cpu_s ? static_cast<double>(lat_.size()) / (p1.cpu_s - p0.cpu_s) : 0.0;
    // Saturated: the posts did not go out at the asked rate, were refused, or their deliveries
    // did not all arrive within the drain time, or the slowest delivery took more than a second.
    const bool saturated = !complete || posts_err_ > 0 || achieved < 0.9 * rate || d99 > 1000.0;
    std::printf(
        "{\"phase\":\"palier\",\"debit_demande\":%.1f,\"posts\":%" PRId64 ",\"posts_ok\":%" PRId64 ",\"posts_erreurs\":%" PRId64
        ",\"debit_obtenu\":%.2f,\"livraisons\":%zu,\"livraisons_attendues\":%zu,\"livraisons_par_s\":%.0f,"
        "\"latence_p50_ms\":%.2f,\"latence_p99_ms\":%.2f,\"latence_max_ms\":%.2f,"
        "\"dernier_membre_p50_ms\":%.2f,\"dernier_membre_p99_ms\":%.2f,\"post_http_p50_ms\":%.2f,\"post_http_p99_ms\":%.2f,"
        "\"cpu_serveur\":%.3f,\"cpu_client\":%.3f,\"livraisons_par_s_cpu\":%.0f,\"rss_serveur_kb\":%" PRId64 ",\"duree_s\":%.2f,\"ws_fermees\":%d,\"complet\":%s,"
        "\"sature\":%s}\n",
        rate, n_posts, posts_ok_, posts_err_, achieved, lat_.size(), expected, dps, d50, d99, dmax, l50, l99, h50, h99,
        server_cpu, client_cpu, per_cpu_s, p1.rss_kb, active, ws_closed_, complete ? "true" : "false", saturated ? "true" : "false");
    std::fflush(stdout);
    info("rate " + std::to_string(rate) + "/s: " + std::to_string(lat_.size()) + "/" + std::to_string(expected) +
         " deliveries, p99 " + std::to_string(d99) + " ms, " + std::to_string(static_cast<long>(dps)) + " deliveries/s" +
         (saturated ? " — saturated" : ""));
    // Late frames of this step must not count in the next one: wait for quiet.
    if (!saturated) loop_for(500000);
    return saturated;
  }

  int inflight() const {
    int n = 0;
    for (auto* c : posters_) n += c->busy ? 1 : 0;
    return n;
  }

  void dispatch() {
    if (!pending_.empty() && static_cast<int>(posters_.size()) < o_.posters &&
        std::none_of(posters_.begin(), posters_.end(), [](Conn* c) { return !c->busy && c->state != State::closed; }))
      posters_.push_back(connect_one(Kind::poster));
    for (auto* c : posters_) {
      if (pending_.empty()) return;
      if (c->busy || c->state != State::open) continue;
      const auto due = pending_.front();
      pending_.pop_front();
      const std::string& tok = member_tokens_[next_poster_++ % member_tokens_.size()];
      std::string body = "{\"sujet_id\":" + std::to_string(o_.sujet) + ",\"texte\":\"" +
                         kPostTexts[posts_sent_ % (sizeof kPostTexts / sizeof *kPostTexts)] + "\"}";
      c->out += "POST " + o_.post_path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
                "\r\nOrigin: http://" + o_.host + ":" + std::to_string(o_.port) +
                "\r\nContent-Type: application/json\r\nCookie: coop_csrf=bench-chat; coop_session=" + tok +
                "\r\nX-CSRF-Token: bench-chat\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      c->busy = true;
      c->due_us = due;
      ++posts_sent_;
      flush(c);
    }
  }

  void loop_for(std::int64_t us) {
    const auto end = now_us() + us;
    while (now_us() < end) poll(static_cast<int>(std::max<std::int64_t>(1, (end - now_us()) / 1000)));
  }

  void poll(int timeout_ms) {
    epoll_event evs[512];
    int n = epoll_wait(ep_, evs, 512, timeout_ms);
    for (int k = 0; k < n; ++k) {
      auto* c = static_cast<Conn*>(evs[k].data.ptr);
      if (c->state == State::closed) continue;
      if (evs[k].events & EPOLLOUT) on_writable(c);
      if (c->state != State::closed && (evs[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) on_readable(c);
    }
  }

  void on_writable(Conn* c) {
    if (c->state == State::connecting) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err) {
        if (c->kind == Kind::poster) die(std::string("poster connect: ") + std::strerror(err));
        close_conn(c, true);
        return;
      }
      c->state = c->kind == Kind::ws ? State::handshake : State::open;
    }
    flush(c);
  }

  void flush(Conn* c) {
    while (!c->out.empty()) {
      ssize_t w = ::send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) break;
        if (c->kind == Kind::poster && c->state == State::open) {
          reconnect_poster(c);
          return;
        }
        close_conn(c, true);
        return;
      }
      c->out.erase(0, static_cast<std::size_t>(w));
    }
    want_write(c, !c->out.empty() || c->state == State::connecting);
  }

  void on_readable(Conn* c) {
    static char buf[1 << 16];
    for (;;) {
      ssize_t r = ::recv(c->fd, buf, sizeof buf, 0);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        if (c->kind == Kind::poster) reconnect_poster(c);
        else close_conn(c, r != 0);
        return;
      }
      if (r < 0) return;
      std::string_view data(buf, static_cast<std::size_t>(r));
      if (c->kind == Kind::poster) on_http(c, data);
      else on_ws_bytes(c, data);
      if (c->state == State::closed) return;
      if (static_cast<std::size_t>(r) < sizeof buf) return;
    }
  }

  // A keep-alive connection the server closed (its idle timeout): a new one takes its place, as
  // any HTTP client does; a post in flight on it counts as an error.
  void reconnect_poster(Conn* c) {
    if (c->busy) pending_.push_front(c->due_us);  // closed unanswered: sent again
    close_conn(c, false);
    auto* n = connect_one(Kind::poster);
    std::replace(posters_.begin(), posters_.end(), c, n);
    ++reconnexions_;
  }

  // ---- HTTP responses of the posters (Content-Length or chunked)
  void on_http(Conn* c, std::string_view data) {
    c->in.append(data);
    for (;;) {
      auto he = c->in.find("\r\n\r\n");
      if (he == std::string::npos) return;
      std::string_view head(c->in.data(), he);
      int status = 0;
      if (head.size() > 12) status = std::atoi(std::string(head.substr(9, 3)).c_str());
      std::size_t total = 0;
      std::string lower(head);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (auto p = lower.find("content-length:"); p != std::string::npos) {
        total = he + 4 + std::strtoull(lower.c_str() + p + 15, nullptr, 10);
      } else if (lower.find("transfer-encoding: chunked") != std::string::npos) {
        auto z = c->in.find("\r\n0\r\n\r\n", he);
        if (z == std::string::npos) return;
        total = z + 7;
      } else {
        total = he + 4;
      }
      if (c->in.size() < total) return;
      if (status == 201 || status == 200) {
        ++posts_ok_;
        if (counting_) post_lat_.push_back(now_us() - c->due_us);
      } else {
        ++posts_err_;
        if (posts_err_ <= 3) info("POST answered " + std::to_string(status) + ": " + c->in.substr(he + 4, 300));
      }
      c->in.erase(0, total);
      c->busy = false;
      dispatch();
    }
  }

  // ---- WebSocket bytes
  void on_ws_bytes(Conn* c, std::string_view data) {
    if (c->state == State::handshake) {
      c->in.append(data);
      auto he = c->in.find("\r\n\r\n");
      if (he == std::string::npos) return;
      if (c->in.compare(0, 12, "HTTP/1.1 101") != 0) {
        if (ws_failed_ < 3) info("upgrade refused: " + c->in.substr(0, std::min<std::size_t>(c->in.size(), 300)));
        close_conn(c, true);
        return;
      }
      c->state = State::open;
      --handshaking_;
      // Coop sends the discussion stream to a socket once it asked for it (the resume protocol,
      // as the web client does with the seq of GET /api/discussion/etat).
      if (o_.depuis >= 0) send_frame(c, 0x1, "{\"type\":\"reprendre\",\"depuis\":" + std::to_string(o_.depuis) + "}");
      std::string rest = c->in.substr(he + 4);
      c->in.clear();
      if (!rest.empty()) on_frames(c, rest);
      return;
    }
    if (c->in.empty()) {
      // Fast path: frames parsed in the read buffer; only a partial tail is copied.
      std::size_t used = parse_frames(c, data);
      if (used < data.size() && c->state != State::closed) c->in.assign(data.substr(used));
    } else {
      c->in.append(data);
      on_frames(c, c->in);
    }
  }

  void on_frames(Conn* c, std::string buf) {
    std::size_t used = parse_frames(c, buf);
    if (c->state == State::closed) return;
    c->in.assign(buf, used, std::string::npos);
  }

  // Parses whole frames from `d`; returns the bytes consumed.
  std::size_t parse_frames(Conn* c, std::string_view d) {
    std::size_t pos = 0;
    while (d.size() - pos >= 2) {
      const auto b0 = static_cast<unsigned char>(d[pos]);
      const auto b1 = static_cast<unsigned char>(d[pos + 1]);
      std::size_t hl = 2;
      std::uint64_t len = b1 & 0x7f;
      if (len == 126) {
        if (d.size() - pos < 4) break;
        len = (static_cast<std::uint64_t>(static_cast<unsigned char>(d[pos + 2])) << 8) |
              static_cast<unsigned char>(d[pos + 3]);
        hl = 4;
      } else if (len == 127) {
        if (d.size() - pos < 10) break;
        len = 0;
        for (int k = 0; k < 8; ++k) len = (len << 8) | static_cast<unsigned char>(d[pos + 2 + static_cast<std::size_t>(k)]);
        hl = 10;
      }
      if (b1 & 0x80) hl += 4;  // a masked frame from a server is not expected; skip the key
      if (d.size() - pos < hl + len) break;
      std::string_view payload = d.substr(pos + hl, static_cast<std::size_t>(len));
      const int op = b0 & 0x0f;
      const bool fin = (b0 & 0x80) != 0;
      if (op == 0x9) {
        send_frame(c, 0xA, payload);  // pong
      } else if (op == 0x8) {
        send_frame(c, 0x8, payload.substr(0, std::min<std::size_t>(2, payload.size())));
        close_conn(c, false);
        return pos;
      } else if (op == 0x1 || op == 0x0) {
        if (fin && op == 0x1 && c->msg.empty()) {
          on_message(payload);
        } else {
          c->msg.append(payload);
          if (fin) {
            on_message(c->msg);
            c->msg.clear();
          }
        }
      }
      pos += hl + static_cast<std::size_t>(len);
    }
    return pos;
  }

  void send_frame(Conn* c, int op, std::string_view payload) {
    std::string f;
    f.push_back(static_cast<char>(0x80 | op));
    f.push_back(static_cast<char>(0x80 | payload.size()));  // control frames and resumes: ≤ 125 bytes
    const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t k = 0; k < payload.size(); ++k) f.push_back(static_cast<char>(payload[k] ^ key[k % 4]));
    c->out += f;
    flush(c);
  }

  // Only the event type near the start and the number after the last key.
  void on_message(std::string_view m) {
    static constexpr std::string_view kType = "\"evenement\":\"message_cree\"";
    static constexpr std::string_view kKey = "\"cree_le_us\":";
    const auto head = m.substr(0, std::min<std::size_t>(m.size(), 96));
    if (head.find(kType) == std::string_view::npos) return;
    std::size_t e = m.size();
    while (e > 0 && (m[e - 1] == '}' || m[e - 1] == ' ' || m[e - 1] == '\n')) --e;
    std::size_t b = e;
    while (b > 0 && m[b - 1] >= '0' && m[b - 1] <= '9') --b;
    if (b == e || b < kKey.size() || m.substr(b - kKey.size(), kKey.size()) != kKey) {
      ++stray_;
      return;
    }
    std::int64_t ts = 0;
    for (std::size_t k = b; k < e; ++k) ts = ts * 10 + (m[k] - '0');
    const auto now = wall_us();
    last_delivery_us_ = now_us();
    if (!counting_ || ts < step_start_wall_) return;  // a late delivery of a previous step
    const auto lat = now - ts;
    lat_.push_back(lat);
    auto& p = per_post_[ts];
    ++p.n;
    p.max_us = std::max(p.max_us, lat);
  }

  struct Token {
    std::int64_t uid;
    std::string token;
    bool member;
  };
  struct PerPost {
    int n = 0;
    std::int64_t max_us = 0;
  };

  Options o_;
  int ep_ = -1;
  sockaddr_in addr_{};
  std::vector<Token> tokens_;
  std::vector<std::string> member_tokens_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> posters_;
  std::deque<std::int64_t> pending_;
  std::size_t next_poster_ = 0;
  std::size_t ws_total_ = 0;
  int ws_failed_ = 0, ws_closed_ = 0, handshaking_ = 0, reconnexions_ = 0;
  double open_s_ = 0;
  bool counting_ = false;
  std::int64_t step_start_wall_ = 0, last_delivery_us_ = 0;
  std::int64_t posts_sent_ = 0, posts_ok_ = 0, posts_err_ = 0, stray_ = 0;
  std::vector<std::int64_t> lat_, post_lat_;
  std::unordered_map<std::int64_t, PerPost> per_post_;
};

}  // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  Client(std::move(o)).run();
  return 0;
}
