# Install and export: libveil.so + public headers + generated export.h, and a
# relocatable veilConfig.cmake so consumers write find_package(veil) and link veil::agent.
# The library's dependencies are private (not in public headers), so the package needs none.
include(GNUInstallDirs)
set_target_properties(veil_agent PROPERTIES EXPORT_NAME agent)  # imported as veil::agent
include(CMakePackageConfigHelpers)

install(TARGETS veil_agent EXPORT veilTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES
  ${PROJECT_SOURCE_DIR}/include/veil/agent.hpp
  ${PROJECT_SOURCE_DIR}/include/veil/options.hpp
  ${PROJECT_SOURCE_DIR}/include/veil/veil.h
  ${PROJECT_SOURCE_DIR}/include/veil/module.modulemap
  ${PROJECT_BINARY_DIR}/include/veil/export.h
  ${PROJECT_BINARY_DIR}/include/veil/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/veil)
# The shipped defaults: agent config, policies (events; call-quality aggregates) and zstd dictionary.
install(FILES ${PROJECT_SOURCE_DIR}/config/agent.json ${PROJECT_SOURCE_DIR}/config/policy.json
  ${PROJECT_SOURCE_DIR}/config/policy-aggregate.json
  ${PROJECT_SOURCE_DIR}/config/zstd.dict DESTINATION ${CMAKE_INSTALL_DATADIR}/veil)

set(VEIL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/veil)
install(EXPORT veilTargets NAMESPACE veil:: DESTINATION ${VEIL_CMAKE_DIR})
file(WRITE ${PROJECT_BINARY_DIR}/veilConfig.cmake.in [=[
@PACKAGE_INIT@
include("${CMAKE_CURRENT_LIST_DIR}/veilTargets.cmake")
check_required_components(veil)
]=])
configure_package_config_file(${PROJECT_BINARY_DIR}/veilConfig.cmake.in ${PROJECT_BINARY_DIR}/veilConfig.cmake
  INSTALL_DESTINATION ${VEIL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/veilConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/veilConfig.cmake ${PROJECT_BINARY_DIR}/veilConfigVersion.cmake
  DESTINATION ${VEIL_CMAKE_DIR})
