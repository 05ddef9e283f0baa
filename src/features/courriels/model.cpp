#include "features/courriels/model.hpp"

#include "core/text.hpp"

namespace coop::courriels {

using core::html_escape;

Courriel composer(std::string modele, std::string destinataire, std::string sujet, const Contenu& c,
                  std::optional<std::int64_t> user_id) {
  const std::string salutation = c.salutation.empty() ? "Bonjour," : c.salutation;
  std::string texte = salutation + "\n\n";
  for (const auto& p : c.paragraphes) texte += p + "\n\n";
  if (!c.bouton_libelle.empty()) texte += c.bouton_libelle + " :\n" + c.bouton_lien + "\n\n";
  for (const auto& p : c.apres) texte += p + "\n\n";
  texte += "—\nCoop, la plateforme des médiateurs numériques\n";

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\"><title>" + html_escape(sujet) +
      "</title></head>\n<body style=\"margin:0;padding:0;background:#f6f6f6;font-family:Marianne,Arial,sans-serif;"
      "color:#161616\">\n<div style=\"max-width:600px;margin:0 auto;background:#ffffff;padding:24px\">\n"
      "<p style=\"margin:0 0 24px;font-weight:700;font-size:14px;color:#000091\">Coop · médiation numérique</p>\n"
      "<h1 style=\"font-size:24px;line-height:32px;margin:0 0 16px\">" + html_escape(c.titre) + "</h1>\n"
      "<p style=\"font-size:16px;line-height:24px\">" + html_escape(salutation) + "</p>\n";
  for (const auto& p : c.paragraphes)
    html += "<p style=\"font-size:16px;line-height:24px\">" + html_escape(p) + "</p>\n";
  if (!c.bouton_libelle.empty()) {
    html += "<p style=\"margin:24px 0\"><a href=\"" + html_escape(c.bouton_lien) +
            "\" style=\"display:inline-block;background:#000091;color:#ffffff;padding:12px 24px;"
            "text-decoration:none;font-size:16px\">" + html_escape(c.bouton_libelle) + "</a></p>\n"
            "<p style=\"font-size:14px;line-height:20px;color:#3a3a3a\">Si le bouton ne fonctionne pas, "
            "copiez ce lien dans votre navigateur&nbsp;:<br><span style=\"word-break:break-all\">" +
            html_escape(c.bouton_lien) + "</span></p>\n";
  }
  for (const auto& p : c.apres)
    html += "<p style=\"font-size:14px;line-height:20px;color:#3a3a3a\">" + html_escape(p) + "</p>\n";
  html += "<hr style=\"border:0;border-top:1px solid #dddddd;margin:24px 0\">\n"
          "<p style=\"font-size:12px;color:#666666\">Coop, la plateforme des médiateurs numériques</p>\n"
          "</div>\n</body></html>\n";

  Courriel m;
  m.modele = std::move(modele);
  m.destinataire = std::move(destinataire);
  m.user_id = user_id;
  m.sujet = std::move(sujet);
  m.texte = std::move(texte);
  m.html = std::move(html);
  return m;
}

}  // namespace coop::courriels
