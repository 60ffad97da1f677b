/* ps.h: fleet VMs printed as a ps-like table or as JSON */
#ifndef FLEET_PS_H
#define FLEET_PS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <fleet/proc.h>

/*
 * A header and one line per VM: ID PROGRAM STATE UPTIME MEM OWNER PARENT
 * ARGS. now is seconds since the epoch (uptimes are counted to it).
 * Bytes in ARGS that are not printable appear as \ooo (octal).
 */
int fleet_ps_table(FILE *f, const struct fleet_proc_info *l, size_t n,
    int64_t now);

/* A JSON array of objects, one per VM, ending in a newline. */
int fleet_ps_json(FILE *f, const struct fleet_proc_info *l, size_t n,
    int64_t now);

/* s as a JSON string literal, quotes included; bytes of invalid UTF-8
 * appear as \u00XX. */
void fleet_json_string(FILE *f, const char *s);

/* "59s", "12:05", "3:02:07" or "4d03h" into buf. */
void fleet_ps_uptime(int64_t secs, char *buf, size_t len);

#endif
