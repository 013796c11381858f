# Installs the headers and an exported kestrel::kestrel target with a package config, so that
# find_package(kestrel) works from the install prefix.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KESTREL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/kestrel"
    CACHE STRING "Where kestrel's CMake package files are installed")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kestrel" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS kestrel EXPORT kestrelTargets)
install(EXPORT kestrelTargets NAMESPACE kestrel:: DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/kestrelConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/kestrelConfig.cmake"
    INSTALL_DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/kestrelConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/kestrelConfig.cmake" "${PROJECT_BINARY_DIR}/kestrelConfigVersion.cmake"
    "${PROJECT_SOURCE_DIR}/cmake/kestrelDependencies.cmake"
    DESTINATION "${KESTREL_INSTALL_CMAKEDIR}")
