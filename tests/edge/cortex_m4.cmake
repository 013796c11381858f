# An exported model on a microcontroller: edge.cortex_m4 runs cortex_m4.sh, which cross-compiles
# models exported by io::export_cpp (a random forest, histogram gradient boosting, an RBF SVC, a
# logistic regression, ...) into cortex_m4_main.cpp for a Cortex-M4F with arm-none-eabi-g++,
# links them with newlib-nano and the nosys stubs, and prints each image's text, data and bss
# bytes. Registered only when arm-none-eabi-g++ is found (Debian: gcc-arm-none-eabi,
# libstdc++-arm-none-eabi-dev and libnewlib-arm-none-eabi). Included from tests/CMakeLists.txt
# after the edge_exported_headers target and KESTREL_EXPORTED_DIR are defined.
#
# The headers it reads are the ones the custom command behind edge_exported_headers writes into
# KESTREL_EXPORTED_DIR, part of the ordinary build, which is complete before the tests run; so the
# test simply relies on that target having been built rather than on a fixture that would run the
# export (or a build) again from CTest. REQUIRED_FILES turns a missing export (a partial build of
# other targets only) into a clear "Not Run" instead of compile errors.
find_program(KESTREL_ARM_NONE_EABI_CXX NAMES arm-none-eabi-g++)
if(KESTREL_ARM_NONE_EABI_CXX)
    add_test(NAME edge.cortex_m4
             COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/cortex_m4.sh" "${KESTREL_EXPORTED_DIR}"
                     "${CMAKE_CURRENT_BINARY_DIR}/cortex_m4")
    set_tests_properties(edge.cortex_m4 PROPERTIES
        LABELS edge
        ENVIRONMENT "ARM_CXX=${KESTREL_ARM_NONE_EABI_CXX}"
        REQUIRED_FILES "${KESTREL_EXPORTED_DIR}/check_all.hpp"
        SKIP_REGULAR_EXPRESSION "skipped: arm-none-eabi-g\\+\\+ not installed"
        TIMEOUT 600)
else()
    message(STATUS "kestrel: arm-none-eabi-g++ not found; the edge.cortex_m4 test is not registered")
endif()
