# The converter python/kestrel_convert.py against kestrel: export_models (export_models.cpp) fits
# every estimator in double and saves each model with its test rows and outputs; then
# check_from_kestrel.py converts each to scikit-learn and back and compares. Registered only when
# Debian's /usr/bin/python3 has scikit-learn and NumPy. Included from tests/CMakeLists.txt.
execute_process(COMMAND /usr/bin/python3 -c "import sklearn, numpy"
                RESULT_VARIABLE kestrel_python_sklearn_result OUTPUT_QUIET ERROR_QUIET)
if(kestrel_python_sklearn_result STREQUAL "0")
    add_executable(python_export_models "${CMAKE_CURRENT_LIST_DIR}/export_models.cpp")
    target_link_libraries(python_export_models PRIVATE kestrel::kestrel)
    target_compile_options(python_export_models PRIVATE $<$<AND:$<CONFIG:Release>,$<CXX_COMPILER_ID:GNU,Clang>>:-O1>
        $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>)
    set(kestrel_python_models_dir "${CMAKE_CURRENT_BINARY_DIR}/python_models")
    add_test(NAME python.export_models COMMAND python_export_models "${kestrel_python_models_dir}")
    set_tests_properties(python.export_models PROPERTIES FIXTURES_SETUP kestrel_python_models LABELS python)
    add_test(NAME python.from_kestrel
             COMMAND /usr/bin/python3 "${CMAKE_CURRENT_LIST_DIR}/check_from_kestrel.py" "${kestrel_python_models_dir}")
    set_tests_properties(python.from_kestrel PROPERTIES FIXTURES_REQUIRED kestrel_python_models LABELS python)
else()
    message(STATUS "kestrel: /usr/bin/python3 with scikit-learn and NumPy not found; "
                   "the python.export_models and python.from_kestrel tests are not registered")
endif()
