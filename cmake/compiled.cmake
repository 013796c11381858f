# kestrel::compiled: kestrel's heaviest templates (the linear models' solvers, the Eigen decompositions
# under them, the k-means runs) compiled once, for float and double, into a static library, as fmt
# offers a compiled mode beside its header-only one. An application that links kestrel::compiled
# gets KESTREL_SEPARATE_COMPILATION, under which the headers declare those instantiations
# `extern template`, so its own files skip them; kestrel::kestrel alone stays header-only.
#
# The library is compiled with this project's flags: give it the same -march as the application
# (CMAKE_CXX_FLAGS reaches both when kestrel is added with add_subdirectory), or the two halves
# would vectorise, and round, differently.
#
# Built on demand when something links it; with KESTREL_BUILD_COMPILED it is built by default,
# installed and exported as kestrel::compiled.
option(KESTREL_BUILD_COMPILED "Build, install and export the kestrel::compiled library" OFF)

add_library(kestrel_compiled STATIC
    "${PROJECT_SOURCE_DIR}/src/instantiations_double.cpp"
    "${PROJECT_SOURCE_DIR}/src/instantiations_float.cpp")
add_library(kestrel::compiled ALIAS kestrel_compiled)
target_link_libraries(kestrel_compiled PUBLIC kestrel)
target_compile_definitions(kestrel_compiled PUBLIC KESTREL_SEPARATE_COMPILATION)
set_target_properties(kestrel_compiled PROPERTIES EXPORT_NAME compiled POSITION_INDEPENDENT_CODE ON)

if(KESTREL_BUILD_COMPILED)
    install(TARGETS kestrel_compiled EXPORT kestrelTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
else()
    set_target_properties(kestrel_compiled PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
