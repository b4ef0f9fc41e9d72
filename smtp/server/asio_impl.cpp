// smtp/server/asio_impl.cpp: Boost.Asio and Asio SSL compiled once for the
// whole program (BOOST_ASIO_SEPARATE_COMPILATION), to keep builds lean.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
