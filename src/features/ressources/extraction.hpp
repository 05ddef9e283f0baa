// Text of PDF and office files for the search, and the first page of a PDF as a preview, by
// external programs run as subprocesses with a timeout (never inside a database transaction):
// poppler-utils' pdftotext and pdftoppm, and unzip for ODT/ODP/DOCX/PPTX (their XML, tags
// stripped). A program missing, failing or too slow gives nothing: the file is kept, just not
// searched by its content (logged).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::ressources::extraction {

struct Options {
  std::chrono::milliseconds delai{10000};  // --ressources-extraction-delai-s
  std::size_t texte_max = 1024 * 1024;     // bytes of text kept per file
};

// Runs argv (argv[0] looked up in PATH) with stdin closed; its stdout, or nullopt when it could
// not start, exited non-zero, was killed after `delai`, or wrote more than `sortie_max` bytes.
std::optional<std::string> executer(const std::vector<std::string>& argv, std::chrono::milliseconds delai,
                                    std::size_t sortie_max);

// True for the types whose text is extracted (PDF, ODT, ODP, DOCX, PPTX).
bool extractible(std::string_view mime);
// The text of the file (nullopt: not extractible or the extraction failed).
std::optional<std::string> texte(std::string_view contenu, std::string_view mime, const Options& o);
// The first page of a PDF as a JPEG at most 600 px wide (pdftoppm -jpeg -f 1 -l 1 -scale-to 600).
std::optional<std::string> apercu_pdf(std::string_view contenu, const Options& o);

// Office XML → text: tags removed (a paragraph, a line break or a tab is a space, other tags
// nothing: a word split over several runs stays one word), entities decoded. Pure.
std::string texte_xml(std::string_view xml);

}  // namespace coop::ressources::extraction
