# fleetd: the router daemon, a thin main over lib/router (fleetrouter).
if(TARGET fleetrouter)
	add_executable(fleetd ${CMAKE_CURRENT_SOURCE_DIR}/fleetd.c)
	fleet_host_target(fleetd)
	target_link_libraries(fleetd PRIVATE fleetrouter)
	file(RELATIVE_PATH FLEET_SBIN_TO_LIB ${CMAKE_INSTALL_FULL_SBINDIR}
		${CMAKE_INSTALL_FULL_LIBDIR})
	set_target_properties(fleetd PROPERTIES
		RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin
		INSTALL_RPATH "$ORIGIN/${FLEET_SBIN_TO_LIB}")
	install(TARGETS fleetd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()
