/* fleet.h: the whole public API */
#ifndef FLEET_FLEET_H
#define FLEET_FLEET_H

#include <fleet/error.h>
#include <fleet/conn.h>
#include <fleet/image.h>
#include <fleet/proc.h>
#include <fleet/job.h>
#include <fleet/argv.h>
#include <fleet/status.h>
#include <fleet/ps.h>
#include <fleet/flow.h>
#include <fleet/env.h>

#define FLEET_VERSION "0.1.0"

#endif
