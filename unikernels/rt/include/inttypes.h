#ifndef FLEETRT_INTTYPES_H
#define FLEETRT_INTTYPES_H

#include <stdint.h>

#define PRId32	"d"
#define PRIu32	"u"
#define PRIx32	"x"
#define PRId64	"lld"
#define PRIu64	"llu"
#define PRIx64	"llx"
#define PRIX64	"llX"

#endif
