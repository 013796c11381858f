# Makes find_package(kestrel) work from two places: an install prefix (the headers, an exported
# kestrel::kestrel target and a package config, installed by `cmake --install`), and this build
# tree as it stands (the same config and target, exported at configure time, pointing at the
# source tree's headers). Included when KESTREL_INSTALL is ON: a project that adds kestrel with
# add_subdirectory and installs its own targets, which link kestrel::kestrel, turns it on too,
# since CMake exports a target only together with those it links.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KESTREL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/kestrel"
    CACHE STRING "Where kestrel's CMake package files are installed")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kestrel" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS kestrel EXPORT kestrelTargets)
if(KESTREL_HAVE_MPI)
    install(TARGETS kestrel_distributed EXPORT kestrelTargets)
endif()
install(EXPORT kestrelTargets NAMESPACE kestrel:: DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")

# The build tree's package: the same four files side by side in the build directory, so that
# kestrel_DIR or CMAKE_PREFIX_PATH can name it.
export(EXPORT kestrelTargets NAMESPACE kestrel:: FILE "${PROJECT_BINARY_DIR}/kestrelTargets.cmake")
configure_file("${PROJECT_SOURCE_DIR}/cmake/kestrelDependencies.cmake"
    "${PROJECT_BINARY_DIR}/kestrelDependencies.cmake" COPYONLY)

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/kestrelConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/kestrelConfig.cmake"
    INSTALL_DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/kestrelConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/kestrelConfig.cmake" "${PROJECT_BINARY_DIR}/kestrelConfigVersion.cmake"
    "${PROJECT_SOURCE_DIR}/cmake/kestrelDependencies.cmake"
    DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")
