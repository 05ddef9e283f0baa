// The one translation unit that compiles Boost.Asio and Boost.Beast (the coop_net target defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, so every other file only
// sees declarations). Editing a session therefore never recompiles the libraries themselves.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
