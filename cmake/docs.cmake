# The API reference: Doxygen over the public headers, README.md and docs/*.md. Defines the target
# `docs` (writes ${CMAKE_BINARY_DIR}/docs/html) and, with the tests, the CTest test `docs.doxygen`,
# which fails on any Doxygen warning (an undocumented public name, a broken reference).
# Both exist only when Doxygen is found (Debian: `doxygen`).
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND)
    message(STATUS "Doxygen not found: no `docs` target and no docs.doxygen test")
    return()
endif()

# Detail headers that hold the base class of a public estimator: Doxygen reads them so that an
# estimator's page lists what it inherits (INLINE_INHERITED_MEMB); their other internals are
# named in KESTREL_DOCS_INTERNAL_SYMBOLS and kept out of the reference (classes by their qualified
# name; functions and variables by their bare name, as EXCLUDE_SYMBOLS matches them).
set(KESTREL_DOCS_BASE_HEADERS
    core/detail/estimator_base.hpp
    linear_model/detail/linear_regressor.hpp
    linear_model/detail/coordinate_descent.hpp
    svm/detail/libsvm_classifier.hpp
    svm/detail/libsvm_single.hpp
    tree/detail/tree_base.hpp
    ensemble/detail/forest_base.hpp
    ensemble/detail/hgb_base.hpp
    model_selection/detail/folds.hpp)
set(KESTREL_DOCS_INTERNAL_SYMBOLS
    soft_threshold_update
    coordinate_descent_path
    kestrel::linear_model::detail::descent_path
    kestrel::linear_model::detail::elastic_net_settings
    kestrel::svm::detail::kernel_function
    kestrel::tree::detail::forest_access
    kestrel::tree::detail::training_data
    kestrel::tree::detail::fit_target
    kestrel::tree::detail::tree_builder
    as_entry
    as_grid_axis
    check_split_size
    gather_rows
    kestrel::model_selection::detail::index_in
    kestrel::model_selection::detail::no_steps
    kestrel::model_selection::detail::optional_value
    pipeline_size
    scoring_prefix
    seconds_since
    kestrel::model_selection::detail::step_index
    take_entries
    take_rows)

set(KESTREL_DOCS_OUTPUT_DIR "${CMAKE_BINARY_DIR}/docs")
set(docs_input "${PROJECT_SOURCE_DIR}/include/kestrel" "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/docs")
foreach(header IN LISTS KESTREL_DOCS_BASE_HEADERS)
    list(APPEND docs_input "${PROJECT_SOURCE_DIR}/include/kestrel/${header}")
endforeach()
list(JOIN docs_input " \\\n                         " KESTREL_DOCS_INPUT)
list(JOIN KESTREL_DOCS_INTERNAL_SYMBOLS " \\\n                         " KESTREL_DOCS_INTERNAL_SYMBOLS)
configure_file("${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${KESTREL_DOCS_OUTPUT_DIR}/Doxyfile" @ONLY)

add_custom_target(docs
    COMMAND "${DOXYGEN_EXECUTABLE}" "${KESTREL_DOCS_OUTPUT_DIR}/Doxyfile"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Doxygen: the API reference in ${KESTREL_DOCS_OUTPUT_DIR}/html"
    VERBATIM)

if(KESTREL_BUILD_TESTS)
    add_test(NAME docs.doxygen
        COMMAND "${DOXYGEN_EXECUTABLE}" "${KESTREL_DOCS_OUTPUT_DIR}/Doxyfile"
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
    set_tests_properties(docs.doxygen PROPERTIES LABELS docs TIMEOUT 120)
endif()
