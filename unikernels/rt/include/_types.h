/* Types shared by the libc headers. */
#ifndef FLEETRT__TYPES_H
#define FLEETRT__TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef long long off_t;
typedef long long time_t;

#endif
