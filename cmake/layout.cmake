# Where an installed OphanimFlow keeps its files. Every path is a cache
# variable with the platform's default, so a packager can move any of them;
# the program (src/util/paths.h.in), the service files, the upgrade script
# and the man pages all take them from here.
#
#                 Linux (Debian)              FreeBSD
#   program       PREFIX/bin                  PREFIX/bin
#   config        /etc                        PREFIX/etc (/usr/local/etc)
#   store         /var/lib/ophanimflow        /var/db/ophanimflow
#   pid file      /run                        /var/run
#   service       PREFIX/lib/systemd/system   PREFIX/etc/rc.d
#                 and /etc/init.d (no systemd)
include(GNUInstallDirs)

if(CMAKE_SYSTEM_NAME STREQUAL "FreeBSD")
  set(_of_layout FreeBSD)
else()
  set(_of_layout Linux)
endif()
set(OF_LAYOUT "${_of_layout}" CACHE STRING "Install layout: Linux (Debian) or FreeBSD")
set_property(CACHE OF_LAYOUT PROPERTY STRINGS Linux FreeBSD)

if(OF_LAYOUT STREQUAL "FreeBSD")
  set(_of_sysconf "${CMAKE_INSTALL_PREFIX}/etc")
  set(_of_data /var/db/ophanimflow)
  set(_of_run /var/run)
elseif(OF_LAYOUT STREQUAL "Linux")
  set(_of_sysconf /etc)
  set(_of_data /var/lib/ophanimflow)
  set(_of_run /run)
else()
  message(FATAL_ERROR "OF_LAYOUT must be Linux or FreeBSD, not \"${OF_LAYOUT}\"")
endif()

set(OF_SYSCONFDIR "${_of_sysconf}" CACHE PATH "Where ophanimflow.conf lives")
set(OF_DATADIR "${_of_data}" CACHE PATH "Where the store lives (the service user's only writable place)")
set(OF_RUNDIR "${_of_run}" CACHE PATH "Where the pid file goes when no systemd runs the service")
set(OF_BACKUPDIR /var/backups/ophanimflow CACHE PATH "Where ophanimflow-upgrade keeps what it replaced")
set(OF_USER ophanimflow CACHE STRING "The service's user and group")
set(OF_SYSTEMD_UNITDIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" CACHE PATH "systemd unit directory")
set(OF_INITDIR /etc/init.d CACHE PATH "SysV init script directory (Linux without systemd)")
set(OF_RCDIR "${CMAKE_INSTALL_PREFIX}/etc/rc.d" CACHE PATH "FreeBSD rc.d script directory")
set(OF_UPGRADE_REPO "" CACHE STRING "Default git repository of ophanimflow-upgrade")
set(OF_UPGRADE_BRANCH main CACHE STRING "Default branch of ophanimflow-upgrade")
set(OF_BINDIR "${CMAKE_INSTALL_FULL_BINDIR}")
set(OF_SBINDIR "${CMAKE_INSTALL_FULL_SBINDIR}")

# The unit lets the service write its data directory only: systemd makes
# and owns it when it is under /var/lib (StateDirectory), else it must exist.
if(OF_DATADIR MATCHES "^/var/lib/(.+)$")
  set(OF_UNIT_DATADIR "StateDirectory=${CMAKE_MATCH_1}\nStateDirectoryMode=0750")
else()
  set(OF_UNIT_DATADIR "ReadWritePaths=${OF_DATADIR}")
endif()

# Service files, scripts and man pages with the paths filled in. All of them
# are made on every platform (the tests read them); each platform installs
# its own.
set(_of_dist ${CMAKE_BINARY_DIR}/dist)
configure_file(dist/ophanimflow.service.in ${_of_dist}/ophanimflow.service @ONLY)
configure_file(dist/ophanimflow.init.in ${_of_dist}/init.d/ophanimflow @ONLY)
configure_file(dist/ophanimflow.rc.in ${_of_dist}/rc.d/ophanimflow @ONLY)
configure_file(dist/ophanimflow-upgrade.in ${_of_dist}/ophanimflow-upgrade @ONLY)
configure_file(dist/ophanimflow-upgrade.conf.in ${_of_dist}/ophanimflow-upgrade.conf.example @ONLY)
configure_file(dist/layout.sh.in ${_of_dist}/layout.sh @ONLY)
foreach(page ophanimflow.8 ophanimflow.conf.5 ophanimflow-upgrade.8)
  configure_file(man/${page}.in ${CMAKE_BINARY_DIR}/man/${page} @ONLY)
endforeach()

install(PROGRAMS ${_of_dist}/ophanimflow-upgrade DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(FILES dist/ophanimflow.conf.example ${_of_dist}/ophanimflow-upgrade.conf.example
        DESTINATION ${OF_SYSCONFDIR})
install(FILES ${CMAKE_BINARY_DIR}/man/ophanimflow.8 ${CMAKE_BINARY_DIR}/man/ophanimflow-upgrade.8
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${CMAKE_BINARY_DIR}/man/ophanimflow.conf.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
if(OF_LAYOUT STREQUAL "FreeBSD")
  install(PROGRAMS ${_of_dist}/rc.d/ophanimflow DESTINATION ${OF_RCDIR})
else()
  install(FILES ${_of_dist}/ophanimflow.service DESTINATION ${OF_SYSTEMD_UNITDIR})
  install(PROGRAMS ${_of_dist}/init.d/ophanimflow DESTINATION ${OF_INITDIR})
endif()

# The config files themselves are made from the examples only where there
# are none yet: an install (and so an upgrade) never overwrites them.
foreach(conf ophanimflow ophanimflow-upgrade)
  install(CODE "
    set(_dst \"\$ENV{DESTDIR}${OF_SYSCONFDIR}/${conf}.conf\")
    if(NOT EXISTS \"\${_dst}\")
      message(STATUS \"Installing: \${_dst} (from ${conf}.conf.example)\")
      execute_process(COMMAND \"${CMAKE_COMMAND}\" -E copy
                      \"\$ENV{DESTDIR}${OF_SYSCONFDIR}/${conf}.conf.example\" \"\${_dst}\"
                      RESULT_VARIABLE _rc)
      if(_rc)
        message(FATAL_ERROR \"cannot write \${_dst}\")
      endif()
    endif()")
endforeach()
