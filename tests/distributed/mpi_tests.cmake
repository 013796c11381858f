# The tests/distributed/test_*.cpp files make one MPI program, distributed_tests (its main, in
# mpi_support.hpp, initialises MPI; its files compile as one translation unit, as the other tests'
# do). CTest runs each file's cases under mpiexec with 2 and with 3 ranks: tests
# distributed.<unit>.np2 / .np3, label `mpi` (`ctest -L mpi`), the file picked by its tag (Catch2's
# --filenames-as-tags: [#<unit>]). --oversubscribe lets 3 ranks share 2 cores; --allow-run-as-root
# lets them run where CI runs, as root. A rank that waits forever fails the test at its timeout
# instead. Under the asan preset, AddressSanitizer and UndefinedBehaviorSanitizer check these tests
# as any other, but LeakSanitizer is off: Open MPI keeps allocations of the plugins it loads until
# exit and unloads the plugins first, so their leaks cannot be told apart from kestrel's by a
# suppression (no module name is left to match).
set(KESTREL_MPI_TEST_ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
file(GLOB KESTREL_MPI_TEST_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/distributed/test_*.cpp")
# A precompiled header of their own (their flags differ from the other tests'), as the other tests
# have: their support header first (it asks Catch2 for its runner), then the other tests' headers
# but the fixtures (these programs do not read tests/reference).
set(mpi_pch_headers ${KESTREL_TEST_PCH_HEADERS})
list(FILTER mpi_pch_headers EXCLUDE REGEX "fixtures|catch")
list(PREPEND mpi_pch_headers "${CMAKE_CURRENT_SOURCE_DIR}/distributed/mpi_support.hpp")
add_executable(distributed_tests ${KESTREL_MPI_TEST_SOURCES})
# Always one translation unit: mpi_support.hpp defines the program's main and Catch2's runner.
set_target_properties(distributed_tests PROPERTIES UNITY_BUILD ON)
target_link_libraries(distributed_tests PRIVATE kestrel::distributed Catch2::Catch2)
target_include_directories(distributed_tests PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/support")
target_compile_definitions(distributed_tests PRIVATE KESTREL_TEST_BINARY_DIR="${CMAKE_CURRENT_BINARY_DIR}")
target_compile_options(distributed_tests PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>
    $<$<AND:$<CONFIG:Release>,$<CXX_COMPILER_ID:GNU,Clang>>:-O1>)
target_precompile_headers(distributed_tests PRIVATE ${mpi_pch_headers})
foreach(source IN LISTS KESTREL_MPI_TEST_SOURCES)
    get_filename_component(unit "${source}" NAME_WE)
    foreach(ranks IN ITEMS 2 3)
        add_test(NAME distributed.${unit}.np${ranks}
            COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} --oversubscribe --allow-run-as-root
                    ${MPIEXEC_PREFLAGS} $<TARGET_FILE:distributed_tests> --filenames-as-tags --warn NoTests "[#${unit}]"
                    ${MPIEXEC_POSTFLAGS})
        # The ranks of one run share the machine's cores: run alone, so a timeout means a hang.
        set_tests_properties(distributed.${unit}.np${ranks} PROPERTIES LABELS "mpi;distributed" TIMEOUT 300
            RUN_SERIAL TRUE ENVIRONMENT "${KESTREL_MPI_TEST_ENVIRONMENT}")
    endforeach()
endforeach()

# The example, as its comment says to run it: mpirun -np 2 from the build tree. (Labels are
# regular expressions to ctest -L: no other label contains "mpi".)
if(KESTREL_BUILD_EXAMPLES)
    add_test(NAME distributed.example_kmeans.np2
        COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 2 --oversubscribe --allow-run-as-root
                ${MPIEXEC_PREFLAGS} $<TARGET_FILE:distributed_kmeans> "${CMAKE_CURRENT_BINARY_DIR}" ${MPIEXEC_POSTFLAGS})
    set_tests_properties(distributed.example_kmeans.np2 PROPERTIES LABELS "mpi;distributed;examples" TIMEOUT 300
        RUN_SERIAL TRUE ENVIRONMENT "${KESTREL_MPI_TEST_ENVIRONMENT}" PASS_REGULAR_EXPRESSION "largest centre difference from the single-process fit: 0\\.00e\\+00|e-1[2-9]")
endif()
