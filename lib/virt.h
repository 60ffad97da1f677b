/*
 * virt.h: libvirt, loaded the first time a connection needs it. A
 * spawn from fleetd's warm pool never does, and loading libvirt and the
 * fifty libraries behind it costs more than the whole spawn
 * (docs/benchmarks.md). libfleet's files include this instead of
 * <libvirt/libvirt.h>: each libvirt call goes through virt_api, which
 * virt_load() fills.
 */
#ifndef FLEET_VIRT_H
#define FLEET_VIRT_H

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define VIRT_FUNCS(X) \
	X(virConnectClose) \
	X(virConnectDomainEventDeregisterAny) \
	X(virConnectDomainEventRegisterAny) \
	X(virConnectGetURI) \
	X(virConnectListAllDomains) \
	X(virConnectOpen) \
	X(virConnectRef) \
	X(virConnectRegisterCloseCallback) \
	X(virConnectSetKeepAlive) \
	X(virConnectUnregisterCloseCallback) \
	X(virDomainCreateXML) \
	X(virDomainDestroy) \
	X(virDomainFree) \
	X(virDomainGetInfo) \
	X(virDomainGetMetadata) \
	X(virDomainGetName) \
	X(virDomainGetState) \
	X(virDomainIsActive) \
	X(virDomainLookupByName) \
	X(virDomainOpenConsole) \
	X(virDomainResume) \
	X(virDomainSetMetadata) \
	X(virDomainShutdown) \
	X(virDomainSuspend) \
	X(virEventRegisterDefaultImpl) \
	X(virEventRunDefaultImpl) \
	X(virGetLastErrorMessage) \
	X(virInitialize) \
	X(virSetErrorFunc) \
	X(virStreamAbort) \
	X(virStreamEventAddCallback) \
	X(virStreamEventRemoveCallback) \
	X(virStreamFree) \
	X(virStreamNew) \
	X(virStreamRecv) \
	X(virStreamSend) \
	/* end */

struct virt_api {
#define VIRT_MEMBER(f) __typeof__(f) *f;
	VIRT_FUNCS(VIRT_MEMBER)
#undef VIRT_MEMBER
};
extern struct virt_api virt_api;

/* 0 once libvirt is loaded; a negative errno and fleet_last_error(). */
int	virt_load(void);
int	virt_loaded(void);

#ifndef VIRT_NO_REDIRECT
#define virConnectClose virt_api.virConnectClose
#define virConnectRef virt_api.virConnectRef
#define virConnectDomainEventDeregisterAny virt_api.virConnectDomainEventDeregisterAny
#define virConnectDomainEventRegisterAny virt_api.virConnectDomainEventRegisterAny
#define virConnectGetURI virt_api.virConnectGetURI
#define virConnectListAllDomains virt_api.virConnectListAllDomains
#define virConnectOpen virt_api.virConnectOpen
#define virConnectRegisterCloseCallback virt_api.virConnectRegisterCloseCallback
#define virConnectSetKeepAlive virt_api.virConnectSetKeepAlive
#define virConnectUnregisterCloseCallback virt_api.virConnectUnregisterCloseCallback
#define virDomainCreateXML virt_api.virDomainCreateXML
#define virDomainDestroy virt_api.virDomainDestroy
#define virDomainFree virt_api.virDomainFree
#define virDomainGetInfo virt_api.virDomainGetInfo
#define virDomainGetMetadata virt_api.virDomainGetMetadata
#define virDomainGetName virt_api.virDomainGetName
#define virDomainGetState virt_api.virDomainGetState
#define virDomainIsActive virt_api.virDomainIsActive
#define virDomainLookupByName virt_api.virDomainLookupByName
#define virDomainOpenConsole virt_api.virDomainOpenConsole
#define virDomainResume virt_api.virDomainResume
#define virDomainSetMetadata virt_api.virDomainSetMetadata
#define virDomainShutdown virt_api.virDomainShutdown
#define virDomainSuspend virt_api.virDomainSuspend
#define virEventRegisterDefaultImpl virt_api.virEventRegisterDefaultImpl
#define virEventRunDefaultImpl virt_api.virEventRunDefaultImpl
#define virGetLastErrorMessage virt_api.virGetLastErrorMessage
#define virInitialize virt_api.virInitialize
#define virSetErrorFunc virt_api.virSetErrorFunc
#define virStreamAbort virt_api.virStreamAbort
#define virStreamEventAddCallback virt_api.virStreamEventAddCallback
#define virStreamEventRemoveCallback virt_api.virStreamEventRemoveCallback
#define virStreamFree virt_api.virStreamFree
#define virStreamNew virt_api.virStreamNew
#define virStreamRecv virt_api.virStreamRecv
#define virStreamSend virt_api.virStreamSend
#endif

#endif
