#include "features/courriels/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace coop::courriels {

namespace {

struct Lecture {
  const std::string* texte;
  std::size_t position = 0;
};

std::size_t lire(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* l = static_cast<Lecture*>(userdata);
  std::size_t n = std::min(size * nitems, l->texte->size() - l->position);
  std::memcpy(buffer, l->texte->data() + l->position, n);
  l->position += n;
  return n;
}

int progression(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* arreter = static_cast<const std::atomic<bool>*>(clientp);
  return arreter && arreter->load() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

void initialiser_smtp() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

ResultatEnvoi envoyer_smtp(const SmtpConfig& cfg, const std::string& de, const std::string& a,
                           const std::string& message, const std::atomic<bool>* arreter) {
  initialiser_smtp();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {false, "curl_easy_init a échoué"};
  CURL* c = curl.get();
  const bool implicite = cfg.securite == "tls";
  std::string url = std::string(implicite ? "smtps://" : "smtp://") + cfg.hote + ":" + std::to_string(cfg.port);
  // The EHLO name: curl's default is the URL's path; the machine's name is not needed by relays.
  url += "/coop";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");  // nothing else, whatever the host setting holds
  if (cfg.securite == "starttls") curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
  if (!cfg.ca_fichier.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, cfg.ca_fichier.c_str());
  if (!cfg.utilisateur.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg.utilisateur.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.mot_de_passe.c_str());
  }
  std::string from = "<" + de + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(nullptr, curl_slist_free_all);
  std::string to = "<" + a + ">";
  rcpt.reset(curl_slist_append(nullptr, to.c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  Lecture lecture{&message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, lire);
  curl_easy_setopt(c, CURLOPT_READDATA, &lecture);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, long(cfg.delai.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(std::min<long>(cfg.delai.count(), 15)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // a worker thread: no SIGALRM for DNS timeouts
  if (arreter) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progression);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(arreter));
  }
  char erreur[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, erreur);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {true, ""};
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string detail = erreur[0] ? erreur : curl_easy_strerror(rc);
  if (code) detail += " (réponse " + std::to_string(code) + ")";
  return {false, detail};
}

}  // namespace coop::courriels
