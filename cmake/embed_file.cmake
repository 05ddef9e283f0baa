# Turns IN into a C++ source defining coop::embedded::openapi_json.
file(READ ${IN} CONTENT)
set(DELIM "coop_embed")
file(WRITE ${OUT} "#include <string_view>\nnamespace coop::embedded {\nextern const std::string_view openapi_json;\nconst std::string_view openapi_json = R\"${DELIM}(${CONTENT})${DELIM}\";\n}\n")
