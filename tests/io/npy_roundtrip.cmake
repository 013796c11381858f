# The NumPy round trip of load_npy / save_npy (tests/io/npy_roundtrip_numpy.cpp): a plain
# executable, not Catch2, so that CTest reports it skipped (exit code 77) when /usr/bin/python3
# or its numpy is missing. Included from tests/CMakeLists.txt.
add_executable(io_npy_roundtrip_numpy "${CMAKE_CURRENT_LIST_DIR}/npy_roundtrip_numpy.cpp")
target_link_libraries(io_npy_roundtrip_numpy PRIVATE kestrel::kestrel)
target_compile_definitions(io_npy_roundtrip_numpy PRIVATE
    KESTREL_NPY_ROUNDTRIP_SCRIPT="${CMAKE_CURRENT_LIST_DIR}/npy_roundtrip.py")
target_compile_options(io_npy_roundtrip_numpy PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>)
add_test(NAME io.npy_roundtrip_numpy COMMAND io_npy_roundtrip_numpy)
set_tests_properties(io.npy_roundtrip_numpy PROPERTIES SKIP_RETURN_CODE 77 LABELS io)
