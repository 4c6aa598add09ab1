# Every dependency is a Debian package installed by scripts/setup.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(simdjson CONFIG REQUIRED)
# The HTTP transport of the server: Boost.Asio and Boost.Beast (header-only, libboost-dev).
find_package(Boost 1.74 REQUIRED CONFIG)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(PSL REQUIRED IMPORTED_TARGET libpsl)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)  # the PostgreSQL backend (store/postgres_database.h)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)
pkg_check_modules(PROTOBUF REQUIRED IMPORTED_TARGET protobuf)
# The bank interchange: the NATS C client with JetStream (interchange/nats.cc).
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
# ISO 20022 messages (iso20022/): libxml2 for its streaming reader, line numbers and XSD validation.
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)

# libphonenumber ships neither a pkg-config file nor a CMake package: find it by name.
find_library(PHONENUMBER_LIB phonenumber REQUIRED)
find_library(GEOCODING_LIB geocoding REQUIRED)
find_path(PHONENUMBER_INCLUDE phonenumbers/phonenumberutil.h REQUIRED)
add_library(fanzha_libphonenumber INTERFACE)
target_include_directories(fanzha_libphonenumber INTERFACE ${PHONENUMBER_INCLUDE})
target_link_libraries(fanzha_libphonenumber INTERFACE ${GEOCODING_LIB} ${PHONENUMBER_LIB}
                      PkgConfig::ICU PkgConfig::PROTOBUF)

if(FANZHA_BUILD_TESTS)
  find_package(GTest REQUIRED)
  # cpp-httplib: the HTTP client of the server's tests (the server itself is Boost.Beast).
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()
if(FANZHA_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
