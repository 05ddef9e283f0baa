#include "features/ressources/extraction.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/text.hpp"

extern char** environ;

namespace coop::ressources::extraction {

namespace fs = std::filesystem;

std::optional<std::string> executer(const std::vector<std::string>& argv, std::chrono::milliseconds delai,
                                    std::size_t sortie_max) {
  int tube[2];
  if (pipe2(tube, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, tube[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(tube[1]);
  if (rc != 0) {
    close(tube[0]);
    spdlog::warn("ressources: {} could not start ({})", argv[0], rc);
    return std::nullopt;
  }
  std::string out;
  bool echec = false;
  const auto fin = std::chrono::steady_clock::now() + delai;
  char buf[65536];
  for (;;) {
    const auto reste = std::chrono::duration_cast<std::chrono::milliseconds>(fin - std::chrono::steady_clock::now()).count();
    if (reste <= 0) {
      spdlog::warn("ressources: {} stopped after {} ms", argv[0], delai.count());
      echec = true;
      break;
    }
    pollfd p{.fd = tube[0], .events = POLLIN, .revents = 0};
    const int r = poll(&p, 1, static_cast<int>(reste));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    const auto n = read(tube[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > sortie_max) {
      echec = true;
      break;
    }
  }
  close(tube[0]);
  if (echec) kill(pid, SIGKILL);
  int statut = 0;
  while (waitpid(pid, &statut, 0) < 0 && errno == EINTR) {
  }
  if (echec || !WIFEXITED(statut) || WEXITSTATUS(statut) != 0) return std::nullopt;
  return out;
}

namespace {

// A private temporary directory, removed with what it holds.
struct Dossier {
  fs::path chemin;
  Dossier() {
    std::string modele = (fs::temp_directory_path() / "coop-ressource-XXXXXX").string();
    if (mkdtemp(modele.data())) chemin = modele;
  }
  ~Dossier() {
    std::error_code ec;
    if (!chemin.empty()) fs::remove_all(chemin, ec);
  }
  bool ok() const { return !chemin.empty(); }
};

bool ecrire(const fs::path& p, std::string_view contenu) {
  std::ofstream f(p, std::ios::binary);
  f.write(contenu.data(), static_cast<std::streamsize>(contenu.size()));
  return static_cast<bool>(f);
}

constexpr std::string_view kOdt = "application/vnd.oasis.opendocument.text";
constexpr std::string_view kOdp = "application/vnd.oasis.opendocument.presentation";
constexpr std::string_view kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kPptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

void ajouter_utf8(std::string& out, unsigned long c) {
  if (c != 0 && c <= 0x10FFFF) core::append_utf8(out, static_cast<char32_t>(c));
}

}  // namespace

std::string texte_xml(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() / 3);
  for (std::size_t i = 0; i < xml.size();) {
    const char c = xml[i];
    if (c == '<') {
      const auto fin = xml.find('>', i);
      if (fin == std::string_view::npos) break;
      std::string_view tag = xml.substr(i + 1, fin - i - 1);
      const bool fermant = tag.starts_with("/");
      if (fermant) tag.remove_prefix(1);
      const auto nom = tag.substr(0, tag.find_first_of(" /\t\r\n"));
      // Paragraphs, headings, breaks and tabs separate words; runs and spans do not.
      if ((fermant && (nom == "text:p" || nom == "text:h" || nom == "w:p" || nom == "a:p" || nom == "text:list-item")) ||
          nom == "text:s" || nom == "text:tab" || nom == "text:line-break" || nom == "w:tab" || nom == "w:br" || nom == "a:br")
        out += ' ';
      i = fin + 1;
    } else if (c == '&') {
      const auto fin = xml.find(';', i);
      if (fin == std::string_view::npos || fin - i > 10) { out += c; ++i; continue; }
      const auto e = xml.substr(i + 1, fin - i - 1);
      if (e == "amp") out += '&';
      else if (e == "lt") out += '<';
      else if (e == "gt") out += '>';
      else if (e == "quot") out += '"';
      else if (e == "apos") out += '\'';
      else if (e.starts_with("#x") || e.starts_with("#X")) ajouter_utf8(out, std::strtoul(std::string(e.substr(2)).c_str(), nullptr, 16));
      else if (e.starts_with("#")) ajouter_utf8(out, std::strtoul(std::string(e.substr(1)).c_str(), nullptr, 10));
      i = fin + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

bool extractible(std::string_view mime) {
  return mime == "application/pdf" || mime == kOdt || mime == kOdp || mime == kDocx || mime == kPptx;
}

std::optional<std::string> texte(std::string_view contenu, std::string_view mime, const Options& o) {
  if (!extractible(mime)) return std::nullopt;
  Dossier d;
  if (!d.ok()) return std::nullopt;
  const auto f = d.chemin / "fichier";
  if (!ecrire(f, contenu)) return std::nullopt;
  std::optional<std::string> t;
  if (mime == "application/pdf") {
    t = executer({"pdftotext", "-q", "-enc", "UTF-8", f.string(), "-"}, o.delai, o.texte_max * 4);
  } else {
    std::vector<std::string> membres;
    if (mime == kOdt || mime == kOdp) membres = {"content.xml"};
    else if (mime == kDocx) membres = {"word/document.xml"};
    else membres = {"ppt/slides/slide*.xml"};
    std::vector<std::string> argv{"unzip", "-p", "-qq", f.string()};
    argv.insert(argv.end(), membres.begin(), membres.end());
    auto xml = executer(argv, o.delai, o.texte_max * 16);
    if (xml) t = texte_xml(*xml);
  }
  if (!t) return std::nullopt;
  std::string propre = core::utf8_prefix(*t, o.texte_max);
  if (!core::valid_utf8(propre)) return std::nullopt;
  return propre;
}

std::optional<std::string> apercu_pdf(std::string_view contenu, const Options& o) {
  Dossier d;
  if (!d.ok()) return std::nullopt;
  const auto f = d.chemin / "fichier.pdf";
  if (!ecrire(f, contenu)) return std::nullopt;
  const auto racine = d.chemin / "apercu";
  if (!executer({"pdftoppm", "-q", "-jpeg", "-f", "1", "-l", "1", "-singlefile", "-scale-to", "600", f.string(), racine.string()},
                o.delai, 1024))
    return std::nullopt;
  std::ifstream in(racine.string() + ".jpg", std::ios::binary);
  if (!in) return std::nullopt;
  std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (jpeg.size() < 4 || jpeg.size() > 4 * 1024 * 1024) return std::nullopt;
  return jpeg;
}

}  // namespace coop::ressources::extraction
