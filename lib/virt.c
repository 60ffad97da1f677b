/* virt.c: libvirt through dlopen, once (see virt.h) */
#define VIRT_NO_REDIRECT
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include "internal.h"
#include "virt.h"

#define LIBVIRT_SONAME	"libvirt.so.0"

struct virt_api virt_api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[256];

static void
load(void)
{
	void *h = dlopen(LIBVIRT_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (h == NULL) {
		snprintf(why, sizeof(why), "%s", dlerror());
		return;
	}
#define VIRT_SYM(f)							\
	if ((virt_api.f = (__typeof__(f) *)dlsym(h, #f)) == NULL) {	\
		e = dlerror();						\
		snprintf(why, sizeof(why), "%s", e ? e : #f);		\
		return;							\
	}
	VIRT_FUNCS(VIRT_SYM)
#undef VIRT_SYM
	__atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
}

int
virt_load(void)
{
	pthread_once(&once, load);
	if (!loaded)
		return fleet_seterr(-ELIBACC, "libvirt: %s", why);
	return 0;
}

int
virt_loaded(void)
{
	return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE);
}
