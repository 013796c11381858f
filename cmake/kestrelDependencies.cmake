# Finds what kestrel::kestrel links: Eigen 3.4 and xsimd (OpenMP is handled by the caller).
# Used by kestrel's own build and by the installed kestrelConfig.cmake alike.
include(CMakeFindDependencyMacro)
# Inside kestrelConfig.cmake a missing dependency makes find_package(kestrel) fail politely;
# in kestrel's own build it is a hard error.
macro(_kestrel_find_dependency)
    if(CMAKE_FIND_PACKAGE_NAME STREQUAL "kestrel")
        find_dependency(${ARGN})
    else()
        find_package(${ARGN} REQUIRED)
    endif()
endmacro()

_kestrel_find_dependency(Eigen3 3.4 NO_MODULE)

# Debian's xsimd 8.1 package exports a target that links a bare `xtl` without finding it; xsimd
# itself needs xtl only for XSIMD_ENABLE_XTL_COMPLEX. Use xtl when it is installed, and an empty
# stand-in otherwise, so that `xtl` never reaches the linker as -lxtl.
if(NOT TARGET xtl)
    find_package(xtl QUIET)
endif()
_kestrel_find_dependency(xsimd)
if(NOT TARGET xtl)
    get_target_property(_kestrel_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
    if(_kestrel_xsimd_links AND "xtl" IN_LIST _kestrel_xsimd_links)
        add_library(xtl INTERFACE IMPORTED)
    endif()
    unset(_kestrel_xsimd_links)
endif()
