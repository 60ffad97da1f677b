/* image.h: program names to image files */
#ifndef FLEET_IMAGE_H
#define FLEET_IMAGE_H

/*
 * Resolve name on $FLEET_PATH (colon-separated; default the installed
 * share/fleet/images then the build tree's images). A name containing '/'
 * is a path. The file must be a multiboot ELF (docs/protocol.md).
 * On success *pathp is a malloc'd absolute path the caller frees.
 * -ENOENT not found, -ENOEXEC not a multiboot ELF, -EACCES unreadable.
 */
int fleet_image_find(const char *name, char **pathp);

/* The colon-separated directories fleet_image_find() searches: FLEET_PATH
 * or its default. Malloc'd (the caller frees it), NULL if out of memory. */
char *fleet_image_path(void);

/* 0 if path is a readable multiboot ELF; else as fleet_image_find(). */
int fleet_image_check(const char *path);

#endif
